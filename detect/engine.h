#pragma once
// InspectionEngine: the per-worker detection state and the one call the
// dataplane (and weirctl inspect) make per decision point:
//
//   InspectionResult r = engine.inspect(snapshot, fields, {path, point});
//
// Each field is transformed once per transform chain (memoised by chain
// node, prefixes shared, in a per-worker arena). Raw values are joined with
// '\n' into shared buffers, one per value kind (header or not x plain bytes
// only or not, SignatureDatabase::value_kind), each scanned ONCE per
// decision point with that kind's prefilter, on behalf of every group whose
// chain left the value unchanged (the common case); a raw value every
// transforming chain changes ('%', '+') serves only groups without
// transforms and goes to an identity-only kind scanned with their patterns
// alone. A Cookie header whose cookies all arrived as Cookie fields is not
// transformed for groups whose header rules all reach cookies. Values a chain did
// change join the shared buffer of their own kind as segments eligible only
// for the groups that produced them (deduplicated per field), so groups in
// the shared prefilters cost no extra scan; only utf8 and base64 groups keep
// an own joined buffer, scanned with their prefilter. Only the (field,
// group) pairs a prefilter nominates are rescanned alone, with the small
// exact database (kClusterRules: one rule) of each rule whose prefilter
// pattern matched there (the group's database when a scan overflowed), so
// findings never span two fields while a clean request costs one scan per
// value kind present plus one per utf8/base64 group that produced a value.
// No allocation (after bind), no exceptions, no locks. One engine per
// worker; a snapshot may be shared by many engines.

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "detect/clean_value_cache.h"
#include "detect/finding.h"
#include "detect/policy_snapshot.h"
#include "detect/transform/transform_arena.h"
#include "detect/verdict.h"
#include "parsers/decision_point.h"
#include "parsers/field.h"
#include "parsers/parser_finding.h"

namespace weir::detect {

struct InspectionContext {
  std::string_view path;  ///< request path without query: exception endpoints match it
  parse::DecisionPoint point = parse::DecisionPoint::EndOfHeaders;
  /// Score of earlier decision points of the same transaction (headers, then
  /// body), so the body verdict weighs everything the request carried.
  uint32_t carried_score = 0;
  /// Protocol anomalies the parser raised for this message since the last
  /// decision point; they become findings of class `protocol` (rule id = the
  /// parser finding's name, zone = Zone::Count, no field name): Fatal ones
  /// apply the block action (policy.parser_fatal), Anomaly ones score as
  /// `warning`, Notice ones are reported with score 0.
  std::span<const parse::ParserFinding> parser_findings;
};

enum class InspectionStatus : uint8_t {
  Ok,
  ScratchError,  ///< bind failed (out of memory): nothing was scanned
  ScanError,     ///< a Hyperscan scan failed; other fields were still scanned
};

/// Per-call counters; the dataplane sums them into per-worker stats.
struct InspectionStats {
  uint32_t fields = 0;
  uint32_t scans = 0;             ///< hs_scan calls (prefilter + exact)
  uint32_t exact_scans = 0;       ///< of which per-field exact scans
  uint32_t exact_stopped = 0;     ///< of which stopped at their rule's first match
  uint32_t transforms = 0;        ///< transform steps run (memo misses)
  uint32_t lexical_checks = 0;    ///< lexer runs (memo misses)
  uint32_t unconfirmed = 0;       ///< signature matches the lexer rejected
  uint32_t unconfirmed_nominations = 0;  ///< prefilter nominations the lexer rejected (no rescan)
  uint32_t excepted = 0;          ///< findings removed by exceptions
  uint32_t arena_full = 0;        ///< transforms skipped for lack of arena
  uint32_t findings_dropped = 0;  ///< findings beyond the buffer (still scored)
  uint32_t match_overflow = 0;    ///< scans stopped after too many matches
  uint32_t prefilter_overflow = 0;  ///< prefilter scans cut short (rest rescanned exactly)
  uint32_t clean_cache_hits = 0;  ///< request-line/head values skipped: the same value was inspected clean before
};

struct InspectionResult {
  InspectionStatus status = InspectionStatus::Ok;
  Verdict verdict;
  uint32_t score = 0;  ///< includes carried_score
  /// Valid until the next inspect() on this engine (and while the snapshot
  /// and the fields live).
  std::span<const Finding> findings;
  InspectionStats stats;
};

struct EngineLimits {
  size_t arena_bytes = 1u << 20;     ///< transformed values of one field, all chains
  size_t joined_bytes = 256u << 10;  ///< per chain group: joined values of a request
  size_t max_segments = 8192;        ///< per chain group: fields joined per request
  /// Prefilter reports every match; a value made of trigger bytes ("''''...")
  /// would call back per byte. Past this many reports in one scan the scan
  /// stops and every eligible field is rescanned exactly (those scans
  /// report once per pattern), so adversarial input costs linear time.
  size_t max_prefilter_reports = 4096;
  size_t max_findings = 32;
  /// Request-line, header and cookie values found clean, kept to skip when a client repeats them
  /// (clean_value_cache.h); 0 slots disables it.
  size_t clean_cache_slots = 16384;
  size_t clean_cache_bytes = 512u << 10;
};

class InspectionEngine {
 public:
  explicit InspectionEngine(const EngineLimits& limits = {});
  ~InspectionEngine();
  InspectionEngine(const InspectionEngine&) = delete;
  InspectionEngine& operator=(const InspectionEngine&) = delete;

  /// Sizes scratch and memo tables for a snapshot (allocates). Call when a
  /// snapshot is swapped in; inspect() also does it on first sight.
  InspectionStatus bind(const PolicySnapshot& snap);

  InspectionResult inspect(const PolicySnapshot& snap, std::span<const parse::Field> fields,
                           const InspectionContext& ctx);

  /// Forgets the values found clean (a benchmark's next pass over
  /// the same requests must not find them all cached); `use` false turns
  /// the cache off (every value inspected every time).
  void reset_clean_cache(bool use = true) {
    clean_cache_.clear();
    use_clean_cache_ = use && clean_cache_.enabled();
  }

 private:
  struct ChainSlot {
    uint32_t epoch = 0;
    uint32_t classes = 0;  ///< byte_classes() of value
    TransformStatus status = TransformStatus::Ok;
    std::string_view value;
  };
  /// A group that covers a zone, with what collect_field() asks of it per
  /// field, laid out contiguously per zone (bind()).
  struct ZoneGroup {
    uint64_t bit;          ///< 1 << group
    uint32_t change_mask;  ///< of its chain: no byte class in it, raw value unchanged
    uint16_t group;
    uint16_t chain;
    bool utf8;
    bool in_combined;
    /// Each of its rules that reaches the Header zone reaches Cookie too,
    /// for any name: the Cookie fields carry the Cookie header's content to
    /// it (cookie_names_classes()).
    bool cookie_covered;
  };
  struct PendingMatch {
    uint32_t rule;
    uint32_t end;
  };
  struct Segment {
    uint32_t field;
    uint32_t offset;
    uint32_t length;
    uint64_t eligible;   ///< bit per group whose value this segment is
    uint64_t nominated;  ///< bit per group: its prefilter matched here
    /// The lexers' answers for this value, asked at nomination
    /// (on_prefilter_match(); memo as in confirmed()).
    uint8_t confirm[2];
  };
  struct GroupBuffer {
    std::unique_ptr<char[]> data;
    size_t used = 0;
    std::vector<Segment> segments;  // capacity max_segments, size = count
    size_t count = 0;
    /// (segment index << 32 | rule cluster) per prefilter report that
    /// nominated a rule; sorted and deduplicated before the rescans.
    std::vector<uint64_t> rule_noms;  // capacity max_prefilter_reports
    size_t nom_count = 0;
    /// Some segment has a whole group nominated (Segment::nominated): with
    /// nom_count 0 and this false there is nothing to rescan.
    bool group_nominated = false;
  };

  static int on_prefilter_match(unsigned id, unsigned long long from, unsigned long long to,
                                unsigned flags, void* ctx);
  static int on_exact_match(unsigned id, unsigned long long from, unsigned long long to,
                            unsigned flags, void* ctx);

  void collect_field(uint32_t index);
  uint32_t cookie_names_classes(uint32_t header) const;
  /// A zone bit no parse::Zone has, and "cookie" + 4 bytes of name classes.
  static constexpr unsigned kCoveredKeyZone = 0x80;
  static constexpr size_t kCoveredKeyBytes = 10;
  static std::string_view covered_cookie_key(uint32_t cookie_names, uint8_t& zone,
                                             char (&name)[kCoveredKeyBytes]);
  Segment* append(GroupBuffer& b, uint32_t field, std::string_view v, uint64_t eligible);
  void prefilter(const hs_database_t* db, GroupBuffer& b, uint64_t groups);
  void rescan_nominated(GroupBuffer& b);
  const ChainSlot& chain_value(uint16_t node, std::string_view raw);
  // `field`: index in fields_ of the field whose (transformed) value this is.
  void exact_scan(uint16_t group, uint32_t field, std::string_view value);
  void scan_alone(uint16_t group, uint32_t field, std::string_view value);
  void exact_cluster_scan(uint32_t cluster, uint32_t field, std::string_view value);
  /// `one_rule`: the database holds one rule's patterns, so its first
  /// accepted match is all the scan can tell.
  void run_exact(const hs_database_t* db, uint32_t field, std::string_view value, bool one_rule);
  /// The lexer's answer for the value, memoised in `answers` (per kind: 0
  /// unknown, 1 yes, 2 no): confirm_cache_ or a segment's own.
  bool confirmed(ConfirmKind kind, std::string_view value, uint8_t* answers);
  void nominate(GroupBuffer& b, size_t seg_index, const CompiledRule& rule);
  void nominate_by_name(uint32_t field, const size_t* first);
  void process_matches(const parse::Field& f, std::string_view value);
  bool excepted(const Finding& f);
  void add_parser_findings(std::span<const parse::ParserFinding> pf);
  void store(const Finding& fd);
  void next_field_epoch();
  void next_scan_epoch();
  /// The field's findings may depend on more than its bytes this time
  /// (a rescan matched, a full buffer, arena full): not a clean-cache candidate.
  void mark_dirty(uint32_t field) {
    if (field < field_flags_.size()) field_flags_[field] |= kFieldDirty;
  }
  void remember_clean_values();
  /// Collects, prefilters and rescans fields_ (one or more).
  void scan_fields();

  EngineLimits limits_;
  TransformArena arena_;
  hs_scratch_t* scratch_ = nullptr;
  uint64_t bound_id_ = 0;

  // Per bound snapshot.
  std::vector<ChainSlot> memo_;           // per chain node, stamped per field
  std::vector<GroupBuffer> buffers_;      // per group (own mode)
  /// Shared values (raw, and the transformed values of groups in the shared
  /// prefilters), one buffer per SignatureDatabase value kind.
  GroupBuffer shared_[SignatureDatabase::kValueKinds];
  ZoneMask all_zones_ = 0;                // union of the groups' zones
  std::vector<ZoneGroup> zone_groups_;    // groups covering zone z: [zone_begin_[z], zone_begin_[z + 1])
  /// Rules nominated by field name (CompiledRule::by_name) covering zone z:
  /// [by_name_begin_[z], by_name_begin_[z + 1]) in by_name_rules_, and the
  /// lengths of their names (bit min(len, 63)) to rule most fields out.
  std::vector<uint32_t> by_name_rules_;
  uint32_t by_name_begin_[static_cast<size_t>(parse::Zone::Count) + 1] = {};
  uint64_t by_name_lengths_[static_cast<size_t>(parse::Zone::Count)] = {};
  uint32_t zone_begin_[static_cast<size_t>(parse::Zone::Count) + 1] = {};
  /// Per zone: a raw value with one of these byte classes is changed by
  /// every transforming chain there (SignatureDatabase::kInputIdentityOnly).
  uint32_t identity_only_mask_[static_cast<size_t>(parse::Zone::Count)] = {};
  /// Some group of the shared prefilters reads the zone: its raw values are
  /// joined into the shared buffers (not so for body_file by default).
  bool zone_in_shared_[static_cast<size_t>(parse::Zone::Count)] = {};
  std::vector<uint32_t> rule_epoch_;      // per rule: fired in this exact scan
  std::vector<uint8_t> exception_hits_;   // per exception: endpoint matched
  std::vector<Finding> findings_;
  CleanValueCache clean_cache_;           // cleared on every new snapshot
  bool use_clean_cache_ = true;
  /// kFieldCovered: a Cookie header its Cookie fields cover, cached under
  /// covered_cookie_key().
  static constexpr uint8_t kFieldCollected = 1, kFieldDirty = 2, kFieldCovered = 4;
  std::vector<uint8_t> field_flags_;      // per field of the current inspect()
  std::vector<uint32_t> field_hash_;      // per field of a cached zone: its clean-cache key hash
  std::vector<uint32_t> field_cookie_names_;  // per covered Cookie header: cookie_names_classes()
  /// Some group reading headers takes a Cookie header's content from its
  /// Cookie fields (ZoneGroup::cookie_covered).
  bool header_cookie_covered_ = false;

  // Per request.
  const PolicySnapshot* snap_ = nullptr;
  const InspectionContext* ctx_ = nullptr;
  std::span<const parse::Field> fields_;
  InspectionResult result_;
  size_t finding_count_ = 0;
  bool exceptions_ready_ = false;
  bool force_block_ = false;
  bool alert_ = false;
  uint32_t field_epoch_ = 0;  // stamps memo_ (chain values of the current field)
  uint32_t scan_epoch_ = 0;   // stamps rule_epoch_ (rules fired in the current exact scan)
  uint32_t current_field_ = 0;  // the field collect_field() works on

  // Per scan.
  static constexpr size_t kMaxPending = 64;
  PendingMatch pending_[kMaxPending];
  size_t pending_count_ = 0;
  uint64_t scan_groups_ = 0;        // prefilter: groups this scan nominates for
  size_t scan_reports_ = 0;         // prefilter: reports so far in this scan
  unsigned last_report_pattern_ = 0;            // prefilter: the last report that reached a segment,
  const Segment* last_report_segment_ = nullptr;  // decided for later ones of its pattern there
  GroupBuffer* scan_buffer_ = nullptr;
  const parse::Field* scan_field_ = nullptr;
  bool stop_at_match_ = false;  // exact scan of one rule: stop at its first accepted match
  uint8_t confirm_cache_[2] = {};  // per ConfirmKind for the value being rescanned: 0 unknown, 1 yes, 2 no
};

}  // namespace weir::detect
