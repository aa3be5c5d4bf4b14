// InspectionEngine: fields -> transforms -> Hyperscan -> lexical
// confirmation -> exceptions -> anomaly score -> verdict. See engine.h.

#include "detect/engine.h"

#include <algorithm>
#include <cstring>

#include "detect/detector.h"
#include "detect/policy/anomaly_policy.h"

namespace weir::detect {
namespace {

constexpr size_t kExcerptBefore = 48;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

size_t confirm_slot(uint16_t node, ConfirmKind k) {
  return static_cast<size_t>(node) * 2 + (k == ConfirmKind::Xss ? 1 : 0);
}

}  // namespace

InspectionEngine::InspectionEngine(const EngineLimits& limits)
    : limits_(limits), arena_(limits.arena_bytes) {
  findings_.resize(limits_.max_findings);
}

InspectionEngine::~InspectionEngine() { hs_free_scratch(scratch_); }

InspectionStatus InspectionEngine::bind(const PolicySnapshot& snap) {
  if (bound_id_ == snap.id()) return InspectionStatus::Ok;
  const SignatureDatabase& sigs = snap.signatures();
  if (sigs.alloc_scratch(&scratch_) != HS_SUCCESS ||
      snap.exceptions().alloc_scratch(&scratch_) != HS_SUCCESS) {
    bound_id_ = 0;
    return InspectionStatus::ScratchError;
  }
  memo_.assign(sigs.chains().size(), ChainSlot{});
  confirm_epoch_.assign(sigs.chains().size() * 2, 0);
  confirm_value_.assign(sigs.chains().size() * 2, 0);
  rule_epoch_.assign(sigs.rules().size(), 0);
  exception_hits_.assign(snap.exceptions().size(), 0);
  epoch_ = 0;
  bound_id_ = snap.id();
  return InspectionStatus::Ok;
}

void InspectionEngine::next_epoch() {
  if (++epoch_ == 0) {  // wrapped: stale stamps could alias, clear them
    std::fill(memo_.begin(), memo_.end(), ChainSlot{});
    std::fill(confirm_epoch_.begin(), confirm_epoch_.end(), 0);
    std::fill(rule_epoch_.begin(), rule_epoch_.end(), 0);
    epoch_ = 1;
  }
}

const InspectionEngine::ChainSlot& InspectionEngine::chain_value(uint16_t node,
                                                                 std::string_view raw) {
  ChainSlot& slot = memo_[node];
  if (node == 0) {
    slot = {epoch_, TransformStatus::Ok, raw};
    return slot;
  }
  if (slot.epoch == epoch_) return slot;
  const ChainNode& n = snap_->signatures().chains().node(node);
  const ChainSlot& parent = chain_value(n.parent, raw);
  TransformStatus pstatus = parent.status;
  std::string_view pvalue = parent.value;
  if (pstatus == TransformStatus::NotApplicable) {
    slot = {epoch_, TransformStatus::NotApplicable, {}};
    return slot;
  }
  TransformOutput out = run_transform(n.transform, pvalue, arena_);
  ++result_.stats.transforms;
  if (out.status == TransformStatus::ArenaFull) {
    // Scan the parent value rather than nothing; counted for tuning.
    ++result_.stats.arena_full;
    out = {TransformStatus::Ok, pvalue};
  }
  slot = {epoch_, out.status, out.value};
  return slot;
}

bool InspectionEngine::confirmed(const CompiledRule& rule, std::string_view value) {
  size_t s = confirm_slot(rule.chain, rule.confirm);
  if (confirm_epoch_[s] == epoch_) return confirm_value_[s] != 0;
  const DetectorApi* d = lexical_detector(rule.confirm);
  bool yes = d != nullptr && d->confirm != nullptr && d->confirm(value);
  ++result_.stats.lexical_checks;
  confirm_epoch_[s] = epoch_;
  confirm_value_[s] = yes ? 1 : 0;
  return yes;
}

int InspectionEngine::on_match(unsigned id, unsigned long long, unsigned long long to, unsigned,
                               void* ctx) {
  auto* self = static_cast<InspectionEngine*>(ctx);
  const SignatureDatabase& sigs = self->snap_->signatures();
  if (id >= sigs.pattern_count()) return 0;
  uint32_t r = sigs.rule_of_pattern(id);
  const CompiledRule& rule = sigs.rules()[r];
  if ((self->scan_groups_ & (uint64_t{1} << rule.group)) == 0) return 0;
  auto zone_bit = ZoneMask{1} << static_cast<unsigned>(self->scan_field_->zone);
  if ((rule.zones & zone_bit) == 0) return 0;
  if (self->rule_epoch_[r] == self->epoch_) return 0;  // another pattern of it matched
  if (!rule.names.empty()) {
    bool hit = false;
    for (const std::string& n : rule.names) hit = hit || iequals(n, self->scan_field_->name);
    if (!hit) return 0;
  }
  self->rule_epoch_[r] = self->epoch_;
  if (self->pending_count_ == kMaxPending) {
    ++self->result_.stats.match_overflow;
    return 1;  // stop this scan; what we have is reported
  }
  self->pending_[self->pending_count_++] = {r, static_cast<uint32_t>(to)};
  return 0;
}

bool InspectionEngine::excepted(const Finding& f) {
  const ExceptionSet& ex = snap_->exceptions();
  if (ex.empty()) return false;
  if (!exceptions_ready_) {
    ex.match_endpoints(ctx_->path, scratch_, exception_hits_.data());
    exceptions_ready_ = true;
  }
  for (size_t i = 0; i < ex.size(); ++i)
    if (exception_hits_[i] != 0 && ex.covers(i, f)) return true;
  return false;
}

void InspectionEngine::process_matches(const parse::Field& f, std::string_view raw) {
  const SignatureDatabase& sigs = snap_->signatures();
  const PolicyConfig& pol = snap_->policy();
  for (size_t k = 0; k < pending_count_; ++k) {
    const PendingMatch& m = pending_[k];
    const CompiledRule& rule = sigs.rules()[m.rule];
    std::string_view value = chain_value(rule.chain, raw).value;
    if (rule.confirm != ConfirmKind::None && !confirmed(rule, value)) {
      ++result_.stats.unconfirmed;
      continue;
    }
    Finding fd;
    fd.rule_id = rule.id;
    fd.message = rule.message;
    fd.rule_index = m.rule;
    fd.attack_class = rule.attack_class;
    fd.severity = rule.severity;
    fd.zone = f.zone;
    fd.field_name = f.name;
    size_t end = std::min<size_t>(m.end, value.size());
    size_t begin = end > kExcerptBefore ? end - kExcerptBefore : 0;
    size_t stop = std::min(value.size(), begin + Finding::kExcerptMax);
    std::memcpy(fd.excerpt, value.data() + begin, stop - begin);
    fd.excerpt_length = static_cast<uint8_t>(stop - begin);
    fd.excerpt_truncated = begin > 0 || stop < value.size();
    if (excepted(fd)) {
      ++result_.stats.excepted;
      continue;
    }
    switch (rule.action) {
      case RuleAction::Score: fd.score = severity_score(pol, rule.severity); break;
      case RuleAction::Block:
        fd.score = severity_score(pol, rule.severity);
        force_block_ = true;
        break;
      case RuleAction::Alert:
        fd.score = 0;
        alert_ = true;
        break;
    }
    result_.score += fd.score;
    if (finding_count_ < findings_.size()) findings_[finding_count_++] = fd;
    else ++result_.stats.findings_dropped;
  }
  pending_count_ = 0;
}

void InspectionEngine::inspect_field(const parse::Field& f) {
  ++result_.stats.fields;
  if (f.value.empty()) return;
  const SignatureDatabase& sigs = snap_->signatures();
  const auto& groups = sigs.groups();
  auto zone_bit = ZoneMask{1} << static_cast<unsigned>(f.zone);
  next_epoch();
  size_t mark = arena_.mark();

  // Distinct transformed values of this field over the applicable groups.
  ScanTarget targets[SignatureDatabase::kMaxGroups];
  size_t ntargets = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    if ((groups[g].zones & zone_bit) == 0) continue;
    const ChainSlot& cv = chain_value(groups[g].chain, f.value);
    if (cv.status == TransformStatus::NotApplicable || cv.value.empty()) continue;
    size_t t = 0;
    while (t < ntargets && !(targets[t].value.data() == cv.value.data() &&
                             targets[t].value.size() == cv.value.size()))
      ++t;
    if (t == ntargets) targets[ntargets++] = {cv.value, 0};
    targets[t].groups |= uint64_t{1} << g;
  }

  scan_field_ = &f;
  for (size_t t = 0; t < ntargets; ++t) {
    uint64_t gm = targets[t].groups;
    const hs_database_t* db = (gm & (gm - 1)) == 0
        ? groups[static_cast<size_t>(__builtin_ctzll(gm))].db
        : sigs.combined();
    scan_groups_ = gm;
    pending_count_ = 0;
    ++result_.stats.scans;
    hs_error_t rc = hs_scan(db, targets[t].value.data(),
                            static_cast<unsigned>(targets[t].value.size()), 0, scratch_,
                            &on_match, this);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) result_.status = InspectionStatus::ScanError;
    process_matches(f, f.value);
  }
  arena_.rewind(mark);
}

InspectionResult InspectionEngine::inspect(const PolicySnapshot& snap,
                                           std::span<const parse::Field> fields,
                                           const InspectionContext& ctx) {
  result_ = InspectionResult{};
  result_.score = ctx.carried_score;
  if (bind(snap) != InspectionStatus::Ok) {
    result_.status = InspectionStatus::ScratchError;
    return result_;
  }
  snap_ = &snap;
  ctx_ = &ctx;
  finding_count_ = 0;
  exceptions_ready_ = false;
  force_block_ = false;
  alert_ = false;
  arena_.reset();
  if (snap.signatures().combined() != nullptr)
    for (const parse::Field& f : fields) inspect_field(f);
  result_.verdict = decide_verdict(snap.policy(), result_.score, force_block_, alert_);
  result_.findings = std::span<const Finding>(findings_.data(), finding_count_);
  snap_ = nullptr;
  ctx_ = nullptr;
  return result_;
}

}  // namespace weir::detect
