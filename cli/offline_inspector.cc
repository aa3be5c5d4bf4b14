// OfflineInspector: see offline_inspector.h.

#include "cli/offline_inspector.h"

#include <algorithm>
#include <cstddef>

#include "parsers/http2/http2_parser.h"
#include "parsers/protocol_sniff.h"
#include "parsers/registry.h"
#include "parsers/websocket/websocket_parser.h"

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
  sum.exact_stopped += s.exact_stopped;
  sum.transforms += s.transforms;
  sum.lexical_checks += s.lexical_checks;
  sum.unconfirmed += s.unconfirmed;
  sum.unconfirmed_nominations += s.unconfirmed_nominations;
  sum.excepted += s.excepted;
  sum.arena_full += s.arena_full;
  sum.findings_dropped += s.findings_dropped;
  sum.match_overflow += s.match_overflow;
  sum.prefilter_overflow += s.prefilter_overflow;
  sum.clean_cache_hits += s.clean_cache_hits;
}

const char* finding_zone_name(const FindingRecord& f) {
  return f.zone == parse::Zone::Count ? "protocol" : parse::zone_name(f.zone);
}

OfflineInspector::OfflineInspector(std::shared_ptr<const detect::PolicySnapshot> snapshot,
                                   const parse::GraphqlPolicy& graphql, const parse::XmlPolicy& xml)
    : snapshot_(std::move(snapshot)), inspector_(engine_) {
  workspace_.graphql_policy() = graphql;
  workspace_.xml_policy() = xml;
  inspector_.set_snapshot(snapshot_.get());
  // Scratch and tables are sized here, not inside the first timed request.
  engine_.bind(*snapshot_);
  // One storage for whichever parser the connection needs (the dataplane
  // keeps a pool per protocol; here one parser lives at a time).
  size_t size = 0;
  size_t align = alignof(std::max_align_t);
  for (const parse::ParserApi& api : parse::parser_registry()) {
    size = std::max(size, api.state_size);
    align = std::max(align, api.state_align);
  }
  storage_ = std::make_unique<std::byte[]>(size + align);
  auto base = reinterpret_cast<uintptr_t>(storage_.get());
  parser_state_ = reinterpret_cast<void*>((base + align - 1) / align * align);
}

OfflineInspector::OfflineInspector(std::shared_ptr<const detect::PolicySnapshot> snapshot,
                                   std::shared_ptr<const config::ParsersConfig> parsers)
    : OfflineInspector(std::move(snapshot), parsers ? parsers->graphql : parse::GraphqlPolicy{},
                       parsers ? parsers->xml : parse::XmlPolicy{}) {
  parsers_ = std::move(parsers);
  if (parsers_) {
    workspace_.set_api_policies(&parsers_->apis);
    workspace_.set_protoset(parsers_->protoset_names.get());
  }
}

void OfflineInspector::inspect(std::string_view raw, RequestOutcome& out) { run(raw, nullptr, out); }

void OfflineInspector::inspect(const CorpusRequest& request, RequestOutcome& out) {
  run(request.raw, request.websocket ? &request : nullptr, out);
}

parse::Parser* OfflineInspector::make(const char* name) {
  return parse::find_parser(name)->make(parser_state_, workspace_);
}

parse::FeedResult OfflineInspector::feed(parse::Parser& parser, const parse::StreamChunk& chunk,
                                         RequestOutcome& out) {
  const parse::FeedResult r = parser.feed(chunk, *this);
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
  return r;
}

void OfflineInspector::run(std::string_view raw, const CorpusRequest* websocket, RequestOutcome& out) {
  out.action = detect::VerdictAction::Pass;
  out.score = 0;
  out.decisions = 0;
  out.parse_error.clear();
  out.scan_error = false;
  out.stats = {};
  // The records of this outcome's last run are written over, not freed: a
  // pass over a corpus again (--repeat) allocates no finding strings.
  reused_findings_ = 0;
  current_ = &out;
  inspector_.reset();
  ws_record_.clear();

  // Protocol by content, as L7Inspector picks it: the HTTP/2 preface, else
  // HTTP/1 (which also reports what it cannot parse).
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  const bool h2 = parse::sniff_client_protocol({bytes, raw.size()}) == parse::SniffResult::Http2;
  parse::Parser* parser = make(h2 ? "http2" : "http1");
  parse::StreamChunk chunk{parse::Direction::Request, {bytes, raw.size()}, websocket == nullptr};
  parse::FeedResult r = feed(*parser, chunk, out);

  if (r.status == parse::FeedStatus::Upgraded && r.upgrade == parse::UpgradeKind::H2c) {
    // h2c prior knowledge read by HTTP/1 (a preface after a request).
    parse::destroy_parser(parser);
    parser = parse::make_http2_parser_after_preface(parser_state_, workspace_);
    parse::StreamChunk rest{parse::Direction::Request, chunk.bytes.subspan(r.consumed), chunk.end_of_stream};
    r = feed(*parser, rest, out);
  } else if (websocket != nullptr && r.status == parse::FeedStatus::Ok && !h2) {
    // The server's side of the handshake: a 101 with what it negotiated.
    handshake_response_.assign("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
    if (!websocket->ws_extensions.empty()) {
      handshake_response_ += "Sec-WebSocket-Extensions: ";
      handshake_response_ += websocket->ws_extensions;
      handshake_response_ += "\r\n";
    }
    handshake_response_ += "\r\n";
    const parse::StreamChunk response{
        parse::Direction::Response,
        {reinterpret_cast<const uint8_t*>(handshake_response_.data()), handshake_response_.size()},
        false};
    r = feed(*parser, response, out);
    if (r.status == parse::FeedStatus::Upgraded && r.upgrade == parse::UpgradeKind::WebSocket &&
        ws_record_.requested()) {
      parse::destroy_parser(parser);
      parser = parse::make_websocket_parser_for(parser_state_, workspace_, ws_record_.handshake());
      const parse::StreamChunk frames{
          parse::Direction::Request,
          {reinterpret_cast<const uint8_t*>(websocket->ws_frames.data()), websocket->ws_frames.size()},
          true};
      feed(*parser, frames, out);
    } else if (r.status == parse::FeedStatus::Ok || r.status == parse::FeedStatus::Upgraded) {
      // Not a WebSocket upgrade request: no server switches, the frames are
      // never parsed as WebSocket. Say so rather than pass silently.
      out.parse_error.assign("corpus.no_websocket_upgrade");
    }
  }
  parse::destroy_parser(parser);
  out.findings.resize(reused_findings_);
  current_ = nullptr;
}

parse::SinkVerdict OfflineInspector::on_decision(const parse::Transaction& txn) {
  if (txn.protocol == parse::Protocol::Http1) ws_record_.observe(txn);
  const parse::SinkVerdict verdict = inspector_.on_decision(txn);
  const detect::InspectionResult& result = inspector_.last();
  RequestOutcome& out = *current_;
  ++out.decisions;
  if (action_rank(result.verdict.action) > action_rank(out.action)) out.action = result.verdict.action;
  if (result.score > out.score) out.score = result.score;
  if (result.status != detect::InspectionStatus::Ok) out.scan_error = true;
  accumulate_stats(out.stats, result.stats);
  for (const detect::Finding& f : result.findings) {
    FindingRecord& rec =
        reused_findings_ < out.findings.size() ? out.findings[reused_findings_] : out.findings.emplace_back();
    ++reused_findings_;
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
