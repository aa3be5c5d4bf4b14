// OfflineInspector: see offline_inspector.h.

#include "cli/offline_inspector.h"

namespace weir::cli {

namespace {

int action_rank(detect::VerdictAction a) {
  switch (a) {
    case detect::VerdictAction::Pass: return 0;
    case detect::VerdictAction::Alert: return 1;
    case detect::VerdictAction::Drop: return 2;
    case detect::VerdictAction::Reset: return 3;
    case detect::VerdictAction::Block: return 4;
  }
  return 0;
}

}  // namespace

void accumulate_stats(detect::InspectionStats& sum, const detect::InspectionStats& s) {
  sum.fields += s.fields;
  sum.scans += s.scans;
  sum.exact_scans += s.exact_scans;
  sum.transforms += s.transforms;
  sum.lexical_checks += s.lexical_checks;
  sum.unconfirmed += s.unconfirmed;
  sum.excepted += s.excepted;
  sum.arena_full += s.arena_full;
  sum.findings_dropped += s.findings_dropped;
  sum.match_overflow += s.match_overflow;
  sum.prefilter_overflow += s.prefilter_overflow;
}

const char* finding_zone_name(const FindingRecord& f) {
  return f.zone == parse::Zone::Count ? "protocol" : parse::zone_name(f.zone);
}

OfflineInspector::OfflineInspector(std::shared_ptr<const detect::PolicySnapshot> snapshot)
    : snapshot_(std::move(snapshot)), inspector_(engine_) {
  inspector_.set_snapshot(snapshot_.get());
  // Scratch and tables are sized here, not inside the first timed request.
  engine_.bind(*snapshot_);
}

void OfflineInspector::inspect(std::string_view raw, RequestOutcome& out) {
  out.action = detect::VerdictAction::Pass;
  out.score = 0;
  out.decisions = 0;
  out.parse_error.clear();
  out.scan_error = false;
  out.stats = {};
  out.findings.clear();
  current_ = &out;
  inspector_.reset();
  const parse::FeedResult r = parse::parse_http_request(raw, *this, workspace_);
  out.feed_status = r.status;
  if (r.status == parse::FeedStatus::ParseError || r.status == parse::FeedStatus::ResourceLimit) {
    out.parse_error.assign(r.error.name);
  }
  if (r.status == parse::FeedStatus::ParseError && !detect::Verdict{out.action}.stops_traffic()) {
    // As the dataplane does: the cause is a fatal parser finding for the
    // engine, so policy.parser_fatal, monitor mode and exceptions apply.
    parse::Transaction txn;
    txn.index = UINT32_MAX;  // no message to carry a score from
    txn.findings = {&r.error, 1};
    on_decision(txn);
  }
  current_ = nullptr;
}

parse::SinkVerdict OfflineInspector::on_decision(const parse::Transaction& txn) {
  const parse::SinkVerdict verdict = inspector_.on_decision(txn);
  const detect::InspectionResult& result = inspector_.last();
  RequestOutcome& out = *current_;
  ++out.decisions;
  if (action_rank(result.verdict.action) > action_rank(out.action)) out.action = result.verdict.action;
  if (result.score > out.score) out.score = result.score;
  if (result.status != detect::InspectionStatus::Ok) out.scan_error = true;
  accumulate_stats(out.stats, result.stats);
  for (const detect::Finding& f : result.findings) {
    FindingRecord& rec = out.findings.emplace_back();
    rec.rule.assign(f.rule_id);
    rec.message.assign(f.message);
    rec.field_name.assign(f.field_name);
    rec.excerpt.assign(f.excerpt_view());
    rec.zone = f.zone;
    rec.attack_class = f.attack_class;
    rec.severity = f.severity;
    rec.score = f.score;
    rec.excerpt_truncated = f.excerpt_truncated;
  }
  return verdict;
}

}  // namespace weir::cli
