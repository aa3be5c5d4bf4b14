// InspectionEngine: fields -> transforms -> joined prefilter scan per chain
// group -> exact per-field scans of nominated fields -> lexical confirmation
// -> exceptions -> anomaly score -> verdict. See engine.h.

#include "detect/engine.h"

#include <algorithm>
#include <cstring>

#include "detect/detector.h"
#include "detect/policy/anomaly_policy.h"

namespace weir::detect {
namespace {

constexpr size_t kExcerptBefore = 48;

constexpr uint32_t zone_bit(parse::Zone z) { return uint32_t{1} << static_cast<unsigned>(z); }

// Zones whose values clients repeat from request to request: the request
// line (method, path and its segments, query arguments and odd argument
// names: pagination, filters, API versions) and the head. Body values
// repeat less and may be large enough to flush the cache's byte ring.
constexpr uint32_t kCachedZones =
    zone_bit(parse::Zone::Method) | zone_bit(parse::Zone::Path) | zone_bit(parse::Zone::PathSegment) |
    zone_bit(parse::Zone::QueryArg) | zone_bit(parse::Zone::QueryArgName) |
    zone_bit(parse::Zone::Header) | zone_bit(parse::Zone::Cookie);
static_assert(static_cast<unsigned>(parse::Zone::Count) <= 32);

bool cached_zone(parse::Zone z) { return (kCachedZones & zone_bit(z)) != 0; }

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

bool names_match(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& n : names)
    if (iequals(n, name)) return true;
  return false;
}

}  // namespace

InspectionEngine::InspectionEngine(const EngineLimits& limits)
    : limits_(limits), arena_(limits.arena_bytes),
      clean_cache_(limits.clean_cache_slots, limits.clean_cache_bytes),
      use_clean_cache_(clean_cache_.enabled()) {
  findings_.resize(limits_.max_findings);
  field_flags_.resize(limits_.max_segments);
  field_hash_.resize(limits_.max_segments);
  field_cookie_names_.resize(limits_.max_segments);
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
  rule_epoch_.assign(sigs.rules().size(), 0);
  exception_hits_.assign(snap.exceptions().size(), 0);
  if (buffers_.size() < sigs.groups().size()) buffers_.resize(sigs.groups().size());
  for (GroupBuffer& b : buffers_) {
    if (!b.data) b.data.reset(new char[limits_.joined_bytes]);
    b.segments.resize(limits_.max_segments);
    b.rule_noms.resize(limits_.max_prefilter_reports);
  }
  for (GroupBuffer& b : shared_) {
    if (!b.data) b.data.reset(new char[limits_.joined_bytes]);
    b.segments.resize(limits_.max_segments);
    b.rule_noms.resize(limits_.max_prefilter_reports);
  }
  all_zones_ = 0;
  for (const ScanGroup& g : sigs.groups()) all_zones_ |= g.zones;
  std::vector<bool> cookie_covered(sigs.groups().size(), true);
  for (const CompiledRule& r : sigs.rules()) {
    if ((r.zones & zone_bit(parse::Zone::Header)) == 0) continue;
    if ((r.zones & zone_bit(parse::Zone::Cookie)) == 0 || !r.names.empty()) cookie_covered[r.group] = false;
  }
  zone_groups_.clear();
  constexpr auto kZones = static_cast<size_t>(parse::Zone::Count);
  for (size_t z = 0; z < kZones; ++z) {
    // The byte classes every transforming chain covering the zone reacts to
    // (none when no chain transforms).
    uint32_t every_chain = ~uint32_t{0};
    bool any_transforming = false;
    for (const ScanGroup& g : sigs.groups()) {
      const uint32_t mask = sigs.chains().node(g.chain).change_mask;
      if ((g.zones & (ZoneMask{1} << z)) == 0 || g.utf8 || mask == 0) continue;
      every_chain &= mask;
      any_transforming = true;
    }
    identity_only_mask_[z] = any_transforming ? every_chain : 0;
    zone_in_shared_[z] = false;
    zone_begin_[z] = static_cast<uint32_t>(zone_groups_.size());
    for (size_t gi = 0; gi < sigs.groups().size(); ++gi) {
      const ScanGroup& g = sigs.groups()[gi];
      if ((g.zones & (ZoneMask{1} << z)) == 0) continue;
      zone_in_shared_[z] = zone_in_shared_[z] || g.in_combined;
      zone_groups_.push_back({uint64_t{1} << gi, sigs.chains().node(g.chain).change_mask,
                              static_cast<uint16_t>(gi), g.chain, g.utf8, g.in_combined,
                              static_cast<bool>(cookie_covered[gi])});
    }
  }
  zone_begin_[kZones] = static_cast<uint32_t>(zone_groups_.size());
  header_cookie_covered_ = false;
  const auto header = static_cast<size_t>(parse::Zone::Header);
  for (uint32_t i = zone_begin_[header]; i < zone_begin_[header + 1]; ++i)
    header_cookie_covered_ = header_cookie_covered_ || zone_groups_[i].cookie_covered;
  by_name_rules_.clear();
  for (size_t z = 0; z < kZones; ++z) {
    by_name_begin_[z] = static_cast<uint32_t>(by_name_rules_.size());
    by_name_lengths_[z] = 0;
    for (size_t r = 0; r < sigs.rules().size(); ++r) {
      const CompiledRule& rule = sigs.rules()[r];
      if (!rule.by_name || (rule.zones & (ZoneMask{1} << z)) == 0) continue;
      by_name_rules_.push_back(static_cast<uint32_t>(r));
      for (const std::string& n : rule.names) by_name_lengths_[z] |= uint64_t{1} << std::min<size_t>(n.size(), 63);
    }
  }
  by_name_begin_[kZones] = static_cast<uint32_t>(by_name_rules_.size());
  field_epoch_ = 0;
  scan_epoch_ = 0;
  clean_cache_.clear();  // "clean" was judged by the old snapshot's rules
  bound_id_ = snap.id();
  return InspectionStatus::Ok;
}

// Wrapping counters: clear the stamps so an old one cannot alias.
void InspectionEngine::next_field_epoch() {
  if (++field_epoch_ == 0) {
    std::fill(memo_.begin(), memo_.end(), ChainSlot{});
    field_epoch_ = 1;
  }
}

void InspectionEngine::next_scan_epoch() {
  if (++scan_epoch_ == 0) {
    std::fill(rule_epoch_.begin(), rule_epoch_.end(), 0);
    scan_epoch_ = 1;
  }
}

const InspectionEngine::ChainSlot& InspectionEngine::chain_value(uint16_t node,
                                                                 std::string_view raw) {
  ChainSlot& slot = memo_[node];
  if (slot.epoch == field_epoch_) return slot;
  if (node == 0) {
    slot = {field_epoch_, byte_classes(raw), TransformStatus::Ok, raw};
    return slot;
  }
  const ChainNode& n = snap_->signatures().chains().node(node);
  const ChainSlot& parent = chain_value(n.parent, raw);
  if (parent.status == TransformStatus::NotApplicable) {
    slot = {field_epoch_, 0, TransformStatus::NotApplicable, {}};
    return slot;
  }
  std::string_view pvalue = parent.value;
  uint32_t classes = parent.classes;
  TransformOutput out = run_transform(n.transform, pvalue, classes, arena_);
  if (out.value.data() != pvalue.data()) ++result_.stats.transforms;
  if (out.status == TransformStatus::ArenaFull) {
    // Scan the parent value rather than nothing; counted for tuning.
    ++result_.stats.arena_full;
    mark_dirty(current_field_);
    out = {TransformStatus::Ok, pvalue};
    classes = parent.classes;
  }
  slot = {field_epoch_, classes, out.status, out.value};
  return slot;
}

bool InspectionEngine::confirmed(ConfirmKind kind, std::string_view value, uint8_t* answers) {
  uint8_t& c = answers[kind == ConfirmKind::Xss ? 1 : 0];
  if (c == 0) {
    const DetectorApi* d = lexical_detector(kind);
    bool yes = d != nullptr && d->confirm != nullptr && d->confirm(value);
    ++result_.stats.lexical_checks;
    c = yes ? 1 : 2;
  }
  return c == 1;
}

int InspectionEngine::on_prefilter_match(unsigned id, unsigned long long, unsigned long long to,
                                         unsigned, void* ctx) {
  auto* self = static_cast<InspectionEngine*>(ctx);
  const SignatureDatabase& sigs = self->snap_->signatures();
  if (to == 0 || id >= sigs.pattern_count()) return 0;
  uint16_t group = sigs.rules()[sigs.rule_of_pattern(id)].group;
  if (((self->scan_groups_ >> group) & 1) == 0) return 0;
  GroupBuffer& b = *self->scan_buffer_;
  if (++self->scan_reports_ > self->limits_.max_prefilter_reports) {
    // Too many reports: nominate every field (report order across patterns
    // is not guaranteed, so not only the ones after this offset) and stop.
    ++self->result_.stats.prefilter_overflow;
    for (size_t i = 0; i < b.count; ++i) {
      b.segments[i].nominated |= b.segments[i].eligible & self->scan_groups_;
      self->mark_dirty(b.segments[i].field);
    }
    b.group_nominated = true;
    return 1;
  }
  // The segment holding the match's last byte; a match ending on a
  // separator belongs to the field before it (the exact scan decides).
  auto last = static_cast<uint32_t>(to - 1);
  auto begin = b.segments.begin();
  auto end = begin + static_cast<ptrdiff_t>(b.count);
  auto it = std::upper_bound(begin, end, last,
                             [](uint32_t v, const Segment& s) { return v < s.offset; });
  if (it == begin) return 0;
  Segment& seg = *(it - 1);
  uint64_t bit = uint64_t{1} << group;
  if ((seg.eligible & bit) == 0 || (seg.nominated & bit) != 0) return 0;
  // A pattern reports every end offset of a match (`//[\w.-]+` once per
  // byte of a host name); the first report in a segment decided for all.
  if (id == self->last_report_pattern_ && &seg == self->last_report_segment_) return 0;
  self->last_report_pattern_ = id;
  self->last_report_segment_ = &seg;
  // A rule that cannot fire on this field (zone, names) does not nominate
  // it: the exact scan would drop its match anyway (on_exact_match).
  const CompiledRule& rule = sigs.rules()[sigs.rule_of_pattern(id)];
  const parse::Field& f = self->fields_[seg.field];
  if ((rule.zones & (ZoneMask{1} << static_cast<unsigned>(f.zone))) == 0) return 0;
  if (!rule.names.empty() && !names_match(rule.names, f.name)) return 0;
  // A rule that needs the lexer's yes cannot fire on a value the lexer
  // rejects, whichever of its patterns matched: ask first, and skip the
  // exact rescan (a Hyperscan scan costs more than the lexer's usual early
  // no). Most benign nominations are the SQL/HTML triggers' on a quote, as
  // in "O'Brien" or a JSON-quoted cookie. The value is then clean for this
  // rule, so the field stays eligible for the clean-value cache.
  if (rule.confirm != ConfirmKind::None &&
      !self->confirmed(rule.confirm, std::string_view(b.data.get() + seg.offset, seg.length), seg.confirm)) {
    ++self->result_.stats.unconfirmed_nominations;
    return 0;
  }
  // Not dirty yet: a rescan that finds nothing leaves the value clean
  // (run_exact() marks it on a match).
  self->nominate(b, static_cast<size_t>(&seg - b.segments.data()), rule);
  return 0;
}

// Queues the segment's rescan with the rule's cluster; the whole group (all
// its rules) when the rule has no cluster database or the list is full (it
// holds one entry per report, so only after max_prefilter_reports, which
// stops the scan anyway).
void InspectionEngine::nominate(GroupBuffer& b, size_t seg_index, const CompiledRule& rule) {
  const auto& clusters = snap_->signatures().clusters();
  if (rule.cluster >= clusters.size() || clusters[rule.cluster].db == nullptr ||
      b.nom_count == b.rule_noms.size()) {
    b.segments[seg_index].nominated |= uint64_t{1} << rule.group;
    b.group_nominated = true;
    return;
  }
  b.rule_noms[b.nom_count++] = static_cast<uint64_t>(seg_index) << 32 | rule.cluster;
}

int InspectionEngine::on_exact_match(unsigned id, unsigned long long, unsigned long long to,
                                     unsigned, void* ctx) {
  auto* self = static_cast<InspectionEngine*>(ctx);
  const SignatureDatabase& sigs = self->snap_->signatures();
  if (id >= sigs.pattern_count()) return 0;
  uint32_t r = sigs.rule_of_pattern(id);
  const CompiledRule& rule = sigs.rules()[r];
  auto zone_bit = ZoneMask{1} << static_cast<unsigned>(self->scan_field_->zone);
  if ((rule.zones & zone_bit) == 0) return 0;
  if (self->rule_epoch_[r] == self->scan_epoch_) return 0;  // another pattern of it matched
  if (!rule.names.empty() && !names_match(rule.names, self->scan_field_->name)) return 0;
  self->rule_epoch_[r] = self->scan_epoch_;
  if (self->pending_count_ == kMaxPending) {
    ++self->result_.stats.match_overflow;
    return 1;  // stop this scan; what we have is reported
  }
  self->pending_[self->pending_count_++] = {r, static_cast<uint32_t>(to)};
  // One rule's database: later matches could only be this rule's again,
  // and it keeps its first (rule_epoch_). Running the rest of the value
  // cost ~3% of an attack request's instructions.
  return self->stop_at_match_ ? 1 : 0;
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

void InspectionEngine::process_matches(const parse::Field& f, std::string_view value) {
  const SignatureDatabase& sigs = snap_->signatures();
  const PolicyConfig& pol = snap_->policy();
  for (size_t k = 0; k < pending_count_; ++k) {
    const PendingMatch& m = pending_[k];
    const CompiledRule& rule = sigs.rules()[m.rule];
    if (rule.confirm != ConfirmKind::None && !confirmed(rule.confirm, value, confirm_cache_)) {
      ++result_.stats.unconfirmed;
      continue;
    }
    // A redirect to one of the operator's own domains is not an open redirect.
    if (rule.attack_class == AttackClass::OpenRedirect && redirect_stays_home(pol.own_domains, f.zone, value)) {
      ++result_.stats.excepted;
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
    store(fd);
  }
  pending_count_ = 0;
}

void InspectionEngine::store(const Finding& fd) {
  if (finding_count_ < findings_.size()) findings_[finding_count_++] = fd;
  else ++result_.stats.findings_dropped;
}

void InspectionEngine::add_parser_findings(std::span<const parse::ParserFinding> pf) {
  const PolicyConfig& pol = snap_->policy();
  for (const parse::ParserFinding& p : pf) {
    Finding fd;
    fd.rule_id = p.name;
    fd.message = p.detail;
    fd.rule_index = Finding::kParserFinding;
    fd.attack_class = AttackClass::Protocol;
    fd.zone = parse::Zone::Count;
    size_t n = std::min(p.detail.size(), Finding::kExcerptMax);
    std::memcpy(fd.excerpt, p.detail.data(), n);
    fd.excerpt_length = static_cast<uint8_t>(n);
    fd.excerpt_truncated = n < p.detail.size();
    switch (p.severity) {
      case parse::FindingSeverity::Fatal:
        fd.severity = Severity::Critical;
        fd.score = severity_score(pol, fd.severity);
        if (pol.parser_fatal_blocks) force_block_ = true;
        else alert_ = true;
        break;
      case parse::FindingSeverity::Anomaly:
        fd.severity = Severity::Warning;
        fd.score = severity_score(pol, fd.severity);
        break;
      case parse::FindingSeverity::Notice:
        fd.severity = Severity::Notice;
        fd.score = 0;
        break;
    }
    result_.score += fd.score;
    store(fd);
  }
}

void InspectionEngine::run_exact(const hs_database_t* db, uint32_t field, std::string_view value,
                                 bool one_rule) {
  const parse::Field& f = fields_[field];
  next_scan_epoch();
  scan_field_ = &f;
  stop_at_match_ = one_rule;
  pending_count_ = 0;
  ++result_.stats.scans;
  ++result_.stats.exact_scans;
  hs_error_t rc = hs_scan(db, value.data(), static_cast<unsigned>(value.size()), 0, scratch_,
                          &on_exact_match, this);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) result_.status = InspectionStatus::ScanError;
  if (rc == HS_SCAN_TERMINATED && stop_at_match_) ++result_.stats.exact_stopped;
  // A match (or a failed scan) makes the field unfit for the clean-value
  // cache; a nomination alone does not (remember_clean_values()).
  if (pending_count_ > 0 || rc != HS_SUCCESS) mark_dirty(field);
  process_matches(f, value);
}

// The group's whole database over one value; the caller set confirm_cache_
// for that value (rescan_nominated(): the segment's answers).
void InspectionEngine::exact_scan(uint16_t group, uint32_t field, std::string_view value) {
  run_exact(snap_->signatures().groups()[group].db, field, value, false);
}

// A value collect_field() could not join (buffer full, no raw segment):
// scanned alone at once with its group's database, never a clean-cache
// candidate.
void InspectionEngine::scan_alone(uint16_t group, uint32_t field, std::string_view value) {
  mark_dirty(field);
  confirm_cache_[0] = confirm_cache_[1] = 0;
  exact_scan(group, field, value);
}

void InspectionEngine::exact_cluster_scan(uint32_t cluster, uint32_t field, std::string_view value) {
  run_exact(snap_->signatures().clusters()[cluster].db, field, value,
            SignatureDatabase::kClusterRules == 1);
}

InspectionEngine::Segment* InspectionEngine::append(GroupBuffer& b, uint32_t field,
                                                    std::string_view v, uint64_t eligible) {
  if (b.count >= b.segments.size() || v.size() >= limits_.joined_bytes - b.used) return nullptr;
  std::memcpy(b.data.get() + b.used, v.data(), v.size());
  Segment* s = &b.segments[b.count++];
  *s = {field, static_cast<uint32_t>(b.used), static_cast<uint32_t>(v.size()), eligible, 0, {0, 0}};
  b.used += v.size();
  b.data[b.used++] = '\n';
  return s;
}

// The Cookie header's content reaches the rules a second time, as Cookie
// fields (split_cookie_header(): each cookie's value a field, views into
// the header, its name the field's name). When every cookie of this header
// is such a field, returns the byte classes of their names (which no field
// value carries); else every class. A chain that changes none of those
// names then has nothing to show a cookie-covered group in the whole
// header that the Cookie fields do not (only matches across two cookies),
// so collect_field() skips it: the transformed copies of every unique
// Cookie header were ~6% of a clean request's instructions.
uint32_t InspectionEngine::cookie_names_classes(uint32_t header) const {
  const std::string_view h = fields_[header].value;
  const char* end_seen = h.data();
  uint32_t classes = 0;
  for (size_t i = header + 1; i < fields_.size(); ++i) {
    const parse::Field& c = fields_[i];
    if (c.zone != parse::Zone::Cookie) continue;
    const std::string_view piece = c.name.empty() ? c.value : c.name;
    if (piece.data() < h.data() || piece.data() > h.data() + h.size()) continue;
    classes |= byte_classes(c.name);
    if (c.name.empty()) classes |= byte_classes(c.value);  // a cookie without '=': its bytes are the value
    const char* e = c.value.empty() && !c.name.empty() ? c.name.data() + c.name.size() : c.value.data() + c.value.size();
    end_seen = std::max(end_seen, e);
  }
  // split_cookie_header() goes left to right: a field list that filled up
  // lost the last cookies, so the header's last byte would not be seen.
  size_t last = h.size();
  while (last > 0 && (h[last - 1] == ' ' || h[last - 1] == '\t' || h[last - 1] == ';')) --last;
  return end_seen >= h.data() + last ? classes : ~uint32_t{0};
}

// The clean-value cache key of a Cookie header its Cookie fields cover.
// collect_field() then leaves the header's decoded copies to the cookies, so
// "clean" judged that way holds only for another covered sighting whose
// cookie names have the same classes (the header's verdict depends on
// them), never for the header alone (the field list full before its last
// cookie). The zone byte no field has keeps these keys apart from every
// real (zone, name).
std::string_view InspectionEngine::covered_cookie_key(uint32_t cookie_names, uint8_t& zone,
                                                      char (&name)[kCoveredKeyBytes]) {
  static constexpr char kName[] = "cookie";
  zone = static_cast<uint8_t>(static_cast<unsigned>(parse::Zone::Header) | kCoveredKeyZone);
  std::memcpy(name, kName, sizeof kName - 1);
  std::memcpy(name + sizeof kName - 1, &cookie_names, sizeof cookie_names);
  return {name, kCoveredKeyBytes};
}

// Transforms one field for every applicable group. The raw value goes once
// into a shared buffer, eligible for every group whose chain left it
// unchanged. A changed value of a group in the shared prefilters goes into
// a shared buffer too (one segment per distinct value of this field,
// eligible for every group that produced it), so one scan covers them all;
// other groups (utf8, base64) use their own buffer and prefilter. Shared
// values go to the buffer of their kind (header or not, plain bytes only or
// not, raw for identity groups only: SignatureDatabase::value_kind),
// scanned with the patterns that can match there. A value that finds its
// buffer full is scanned alone at once.
void InspectionEngine::collect_field(uint32_t index) {
  const parse::Field& f = fields_[index];
  ++result_.stats.fields;
  if (f.value.empty()) return;
  auto zone_bit = ZoneMask{1} << static_cast<unsigned>(f.zone);
  if ((all_zones_ & zone_bit) == 0) return;
  const bool header = f.zone == parse::Zone::Header;
  const bool cookie_header = header && f.name == "cookie";
  // Computed on the first group that would transform a Cookie header (or
  // for its cache key); the bit no byte class uses tells "known, no class"
  // from "not yet".
  constexpr uint32_t kCookieNamesKnown = 1u << 31;
  uint32_t cookie_names = 0;
  uint8_t flags = kFieldCollected;
  if (cached_zone(f.zone) && use_clean_cache_) {
    auto zone = static_cast<uint8_t>(f.zone);
    std::string_view name = f.name;
    char covered_name[kCoveredKeyBytes];
    if (cookie_header && header_cookie_covered_) {
      cookie_names = cookie_names_classes(index) | kCookieNamesKnown;
      if (cookie_names != ~uint32_t{0} && index < field_cookie_names_.size()) {
        name = covered_cookie_key(cookie_names, zone, covered_name);
        field_cookie_names_[index] = cookie_names;
        flags |= kFieldCovered;
      }
    }
    const uint32_t h = CleanValueCache::hash_of(zone, name, f.value);
    if (clean_cache_.contains(h, zone, name, f.value)) {
      ++result_.stats.clean_cache_hits;
      return;
    }
    if (index < field_hash_.size()) field_hash_[index] = h;
  }
  current_field_ = index;
  if (index < field_flags_.size()) field_flags_[index] = flags;
  next_field_epoch();
  size_t mark = arena_.mark();
  uint32_t classes = chain_value(0, f.value).classes;
  // This field's segments in each shared buffer start here.
  size_t first[SignatureDatabase::kValueKinds];
  for (unsigned k = 0; k < SignatureDatabase::kValueKinds; ++k) first[k] = shared_[k].count;
  const auto z = static_cast<size_t>(f.zone);
  // Every transforming chain reacts to the value (a '%' escape, a '+'): its
  // raw bytes serve only the groups without transforms, scanned with their
  // patterns alone.
  const bool identity_only = (classes & identity_only_mask_[z]) != 0;
  // A zone only groups with their own prefilter read (body_file) keeps its
  // raw bytes out of the shared buffers: an identity group of such a zone
  // scans the value alone below (raw_seg is null).
  Segment* raw_seg =
      zone_in_shared_[z]
          ? append(shared_[SignatureDatabase::value_kind(header, only_plain_bytes(classes), identity_only)],
                   index, f.value, 0)
          : nullptr;
  const ZoneGroup* zg_end = zone_groups_.data() + zone_begin_[z + 1];
  for (const ZoneGroup* zg = zone_groups_.data() + zone_begin_[z]; zg != zg_end; ++zg) {
    // The usual case first: no step of the chain reacts to any byte of the
    // value, so the raw segment is this group's value too.
    if ((zg->change_mask & classes) == 0 && !zg->utf8 && raw_seg != nullptr) {
      raw_seg->eligible |= zg->bit;
      continue;
    }
    const uint16_t g = zg->group;
    const uint64_t bit = zg->bit;
    std::string_view v = f.value;
    uint32_t v_classes = classes;
    // Fast path: no step of the chain reacts to any byte of the value.
    if ((zg->change_mask & classes) != 0) {
      if (cookie_header && zg->cookie_covered) {
        if (cookie_names == 0) cookie_names = cookie_names_classes(index) | kCookieNamesKnown;
        if ((zg->change_mask & cookie_names) == 0) continue;
      }
      const ChainSlot& cv = chain_value(zg->chain, f.value);
      if (cv.status == TransformStatus::NotApplicable || cv.value.empty()) continue;
      v = cv.value;
      v_classes = cv.classes;
    }
    // A chain that reacted but left the value as it was ("50%"): the raw
    // segment serves it, unless the raw value went to an identity-only
    // buffer, whose prefilter lacks this group's patterns (then it is
    // joined below like a changed value).
    if (v.data() == f.value.data() && v.size() == f.value.size() && !zg->utf8 &&
        (raw_seg == nullptr || !identity_only)) {
      if (raw_seg != nullptr) {
        raw_seg->eligible |= bit;
      } else {
        scan_alone(g, index, v);
      }
      continue;
    }
    if (!zg->in_combined) {
      if (append(buffers_[g], index, v, bit) == nullptr) {
        scan_alone(g, index, v);
      }
      continue;
    }
    unsigned kind = SignatureDatabase::value_kind(header, only_plain_bytes(v_classes));
    GroupBuffer& home = shared_[kind];
    Segment* same = nullptr;
    for (size_t i = first[kind]; i < home.count && same == nullptr; ++i) {
      Segment& s = home.segments[i];
      if (s.length == v.size() && std::memcmp(home.data.get() + s.offset, v.data(), v.size()) == 0)
        same = &s;
    }
    if (same == nullptr) same = append(home, index, v, 0);
    if (same != nullptr) {
      same->eligible |= bit;
    } else {
      scan_alone(g, index, v);
    }
  }
  if ((by_name_lengths_[z] >> std::min<size_t>(f.name.size(), 63) & 1) != 0) nominate_by_name(index, first);
  arena_.rewind(mark);
}

// The rules of this field's name (CompiledRule::by_name) are nominated like
// a prefilter match would: their cluster rescans the segment that holds
// the value of their group. Like any nominated field it stays cacheable as
// clean unless the rescan matches (run_exact), so a User-Agent that passed
// is not rescanned on every request.
void InspectionEngine::nominate_by_name(uint32_t field, const size_t* first) {
  const parse::Field& f = fields_[field];
  const auto z = static_cast<size_t>(f.zone);
  for (uint32_t k = by_name_begin_[z]; k < by_name_begin_[z + 1]; ++k) {
    const CompiledRule& rule = snap_->signatures().rules()[by_name_rules_[k]];
    if (!names_match(rule.names, f.name)) continue;
    const uint64_t bit = uint64_t{1} << rule.group;
    for (unsigned kind = 0; kind < SignatureDatabase::kValueKinds; ++kind) {
      GroupBuffer& b = shared_[kind];
      for (size_t i = first[kind]; i < b.count; ++i) {
        const Segment& seg = b.segments[i];
        if ((seg.eligible & bit) == 0 || (seg.nominated & bit) != 0) continue;
        nominate(b, i, rule);
      }
    }
  }
}

void InspectionEngine::prefilter(const hs_database_t* db, GroupBuffer& b, uint64_t groups) {
  if (b.count == 0 || groups == 0 || db == nullptr) return;
  scan_buffer_ = &b;
  scan_groups_ = groups;
  scan_reports_ = 0;
  last_report_segment_ = nullptr;
  ++result_.stats.scans;
  hs_error_t rc = hs_scan(db, b.data.get(), static_cast<unsigned>(b.used), 0, scratch_,
                          &on_prefilter_match, this);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {  // cannot tell which fields matched: check them all
    result_.status = InspectionStatus::ScanError;
    for (size_t i = 0; i < b.count; ++i) {
      b.segments[i].nominated |= b.segments[i].eligible & groups;
      mark_dirty(b.segments[i].field);
    }
    b.group_nominated = true;
  }
}

// Per segment: whole groups first (overflow, scan error), then the cluster
// of each nominated rule not in such a group, once per cluster.
void InspectionEngine::rescan_nominated(GroupBuffer& b) {
  // Most buffers of a clean request: no segment to walk.
  if (b.nom_count == 0 && !b.group_nominated) return;
  uint64_t* noms = b.rule_noms.data();
  std::sort(noms, noms + b.nom_count);
  size_t k = 0;
  for (size_t i = 0; i < b.count; ++i) {
    const Segment& s = b.segments[i];
    std::string_view value(b.data.get() + s.offset, s.length);
    // The rule scans below share the lexer's answers, the ones given at
    // nomination too.
    confirm_cache_[0] = s.confirm[0];
    confirm_cache_[1] = s.confirm[1];
    for (uint64_t m = s.nominated; m != 0; m &= m - 1) {
      auto g = static_cast<uint16_t>(__builtin_ctzll(m));
      exact_scan(g, s.field, value);
    }
    const auto& clusters = snap_->signatures().clusters();
    for (uint64_t prev = UINT64_MAX; k < b.nom_count && (noms[k] >> 32) == i; ++k) {
      if (noms[k] == prev) continue;
      prev = noms[k];
      auto c = static_cast<uint32_t>(noms[k]);
      if ((s.nominated >> clusters[c].group) & 1) continue;  // scanned with its group above
      exact_cluster_scan(c, s.field, value);
    }
  }
}

// Values of the cached zones collected this time whose bytes alone decided
// that nothing fires: no rescan matched (a nominated value the rescan
// cleared is clean: an exact scan that costs ~0.5-1 us natively, its database
// cold, is not repeated for "Ruby" as User-Agent on every request), no
// fallback scan, no arena shortage. After every rescan, own groups' too.
void InspectionEngine::remember_clean_values() {
  if (!use_clean_cache_) return;
  size_t n = std::min(fields_.size(), field_flags_.size());
  for (size_t i = 0; i < n; ++i)
    if ((field_flags_[i] & ~kFieldCovered) == kFieldCollected && cached_zone(fields_[i].zone)) {
      auto zone = static_cast<uint8_t>(fields_[i].zone);
      std::string_view name = fields_[i].name;
      char covered_name[kCoveredKeyBytes];
      if ((field_flags_[i] & kFieldCovered) != 0) name = covered_cookie_key(field_cookie_names_[i], zone, covered_name);
      clean_cache_.insert(field_hash_[i], zone, name, fields_[i].value);
    }
}

void InspectionEngine::scan_fields() {
  const SignatureDatabase& sigs = snap_->signatures();
  size_t ngroups = sigs.groups().size();
  // Every joined value follows a '\n', the first one too: prefilter
  // expressions write `^` as `\n` (prefilter_relax.h, anchors_as_separators).
  auto reset = [](GroupBuffer& b) {
    b.data[0] = '\n';
    b.used = 1;
    b.count = 0;
    b.nom_count = 0;
    b.group_nominated = false;
  };
  for (size_t g = 0; g < ngroups; ++g) reset(buffers_[g]);
  for (GroupBuffer& b : shared_) reset(b);
  std::fill_n(field_flags_.begin(), std::min(fields_.size(), field_flags_.size()), uint8_t{0});
  for (size_t i = 0; i < fields_.size(); ++i) collect_field(static_cast<uint32_t>(i));
  for (unsigned k = 0; k < SignatureDatabase::kValueKinds; ++k)
    prefilter(sigs.shared_prefilter(k), shared_[k], ~uint64_t{0});
  for (size_t g = 0; g < ngroups; ++g)
    prefilter(sigs.groups()[g].prefilter, buffers_[g], uint64_t{1} << g);
  for (GroupBuffer& b : shared_) rescan_nominated(b);
  for (size_t g = 0; g < ngroups; ++g) rescan_nominated(buffers_[g]);
  if (result_.status == InspectionStatus::Ok) remember_clean_values();
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
  fields_ = fields;
  finding_count_ = 0;
  exceptions_ready_ = false;
  force_block_ = false;
  alert_ = false;
  arena_.reset();
  add_parser_findings(ctx.parser_findings);
  // The end of a message without a body brings no new field: nothing to scan.
  if (!fields.empty()) scan_fields();
  result_.verdict = decide_verdict(snap.policy(), result_.score, force_block_, alert_);
  result_.findings = std::span<const Finding>(findings_.data(), finding_count_);
  snap_ = nullptr;
  ctx_ = nullptr;
  fields_ = {};
  return result_;
}

}  // namespace weir::detect
