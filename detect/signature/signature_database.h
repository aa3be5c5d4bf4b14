#pragma once
// SignatureDatabase: the immutable, compiled form of a ruleset's signatures,
// shared read-only by all workers. Rules are grouped by transform chain. Each
// group has two Hyperscan block-mode databases over the same patterns:
//  * `prefilter`: scanned once per request over all of the group's field
//    values joined with '\n' (HS_FLAG_MULTILINE, every match reported). It
//    only nominates fields: a match there may span two fields.
//  * `db`: the exact one (rule flags + HS_FLAG_SINGLEMATCH), scanned over
//    one nominated field value alone, so no finding ever spans two fields.
// Every match inside one field's value is also a match in the joined text
// ('^'/'$' become line anchors there), so nominating loses nothing.
// The shared prefilters hold every such group's prefilter patterns: the
// raw values of a request (and the transformed values of those groups) are
// joined once per *value kind* and scanned once for all groups, the engine
// keeping only the matches of groups the value is eligible for; only utf8
// and base64 groups compile a prefilter of their own. A value's kind is
// (header or not) x (plain bytes only or not): a kind's database holds only
// the patterns of rules whose zones include it (most header values meet no
// input-only rule, e.g. the lexical triggers) and, for plain values
// (transform.h plain_byte(), signature/alphabet_reach.h), only the
// patterns that can match where every byte is plain, so the shapes that
// need ';', quotes, '<' or CR/LF (the slowest to scan) never see them.
// Databases are compiled in parallel through HsCompileCache: an unchanged
// group is not recompiled on reload ($WEIR_HS_CACHE_DIR: across processes).
// Pattern ids are global, so one table maps a match back to its rule.

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect/signature/chain_table.h"
#include "detect/signature/rule_set.h"

namespace weir::detect {

struct CompiledRule {
  std::string id;
  std::string message;
  AttackClass attack_class = AttackClass::Other;
  Severity severity = Severity::Notice;
  ZoneMask zones = 0;
  std::vector<std::string> names;  ///< lower case; empty = any
  ConfirmKind confirm = ConfirmKind::None;
  RuleAction action = RuleAction::Score;
  uint16_t chain = 0;   ///< ChainTable node
  uint16_t group = 0;   ///< index in groups()
  std::vector<std::string> tags;
  SourceMark mark;
  /// Index in clusters(): a field the prefilter nominated for this rule is
  /// rescanned with that small database, not with the whole group's.
  uint32_t cluster = UINT32_MAX;
  /// A rule with a name filter in a group of the shared prefilters is not in
  /// them: the engine nominates it for the fields of its names directly
  /// (few fields carry those names; their patterns scanned over every value
  /// cost ~6% of the shared scans, proto-104's `^\s*/` alone 10% of the
  /// plain-header one).
  bool by_name = false;
};

/// Up to kClusterRules consecutive rules of one group, compiled together
/// (exact flags, global pattern ids). A group database costs microseconds
/// per value, a cluster's a fraction of one. One rule, not two or eight: a
/// rescan runs every automaton of its cluster over the value (the exact
/// forms keep their bounded repeats; 8-rule clusters were 100-365 KB), and
/// natively a rescan's cost is mostly its database's cache misses (~0.5-1 us a
/// rescan, cold): 2-rule clusters made clean requests 3.5% and attacks 4%
/// faster than 8, single rules attacks another ~4% (2026-12-05, 3
/// alternations) for +3% CPU in a cold compile of the default rules.
struct RuleCluster {
  hs_database_t* db = nullptr;
  uint16_t group = 0;
};

struct ScanGroup {
  uint16_t chain = 0;
  ZoneMask zones = 0;       ///< union of its rules' zones
  hs_database_t* db = nullptr;         ///< exact, per field value
  /// Joined values of a request for a group with its own prefilter (utf8,
  /// base64); nullptr for groups in the shared prefilters.
  hs_database_t* prefilter = nullptr;
  uint32_t pattern_count = 0;
  /// Has HS_FLAG_UTF8 patterns: only ever scans its chain's (valid UTF-8)
  /// output, never the shared raw buffer, so it is not in the combined one.
  bool utf8 = false;
  /// Its patterns are in the shared prefilters: the engine joins this
  /// group's transformed values into the shared buffers too (one scan each).
  bool in_combined = false;
  /// Its rules read only body_file (binary uploads: rare, large, and what
  /// no other rule reads): a group of its own with its own prefilter, so
  /// neither its patterns burden the shared prefilters of every request
  /// nor file bytes go through them.
  bool file_only = false;
};

class SignatureDatabase {
 public:
  static constexpr size_t kMaxGroups = 64;
  static constexpr size_t kClusterRules = 1;

  /// Compiles the rules active at rs.policy.paranoia plus the standalone
  /// lexical detectors the policy enables. Throws RuleError (with the
  /// pattern's file and line) when Hyperscan rejects a pattern.
  static std::unique_ptr<SignatureDatabase> build(const RuleSet& rs);

  ~SignatureDatabase();
  SignatureDatabase(const SignatureDatabase&) = delete;
  SignatureDatabase& operator=(const SignatureDatabase&) = delete;

  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<ScanGroup>& groups() const { return groups_; }
  const ChainTable& chains() const { return chains_; }
  /// Kinds of shared values, each joined into a buffer of its own: header
  /// or not x plain bytes only or not, and "raw for identity groups only":
  /// a raw value every transforming chain changes (a '%' escape, a '+') is
  /// eligible only for groups without transforms, so its kind's prefilter
  /// holds only their patterns (its decoded copies go to the other kinds).
  static constexpr unsigned kInputOther = 0, kInputPlain = 1, kHeaderOther = 2, kHeaderPlain = 3,
                            kInputIdentityOnly = 4, kHeaderIdentityOnly = 5, kValueKinds = 6;
  static constexpr unsigned value_kind(bool header, bool plain, bool identity_only = false) {
    if (identity_only) return header ? kHeaderIdentityOnly : kInputIdentityOnly;
    return (header ? 2u : 0u) | (plain ? 1u : 0u);
  }
  /// The prefilter for shared values of one kind (prefilter flags); nullptr
  /// when no pattern can match there (nothing to scan).
  const hs_database_t* shared_prefilter(unsigned kind) const { return shared_prefilters_[kind]; }
  uint32_t rule_of_pattern(uint32_t pattern_id) const { return pattern_rule_[pattern_id]; }
  const std::vector<RuleCluster>& clusters() const { return clusters_; }
  size_t pattern_count() const { return pattern_rule_.size(); }
  /// Index of a compiled rule, or -1.
  int find_rule(std::string_view id) const;

  /// Grows `scratch` so it serves every database here (hs_alloc_scratch).
  hs_error_t alloc_scratch(hs_scratch_t** scratch) const;

 private:
  SignatureDatabase() = default;

  std::vector<CompiledRule> rules_;
  std::vector<RuleCluster> clusters_;
  std::vector<ScanGroup> groups_;
  ChainTable chains_;
  hs_database_t* shared_prefilters_[kValueKinds] = {};
  std::vector<uint32_t> pattern_rule_;
};

}  // namespace weir::detect
