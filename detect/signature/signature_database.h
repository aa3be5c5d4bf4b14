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
// `combined_prefilter()` holds every group's prefilter patterns: the raw
// values of a request are joined once and scanned once for all groups whose
// chains left every value unchanged; it also serves as the `prefilter` of
// those groups (the engine keeps only the scanned group's matches), so only
// utf8 and base64 groups compile a prefilter of their own.
// Rules are also compiled in small clusters (RuleCluster): the engine
// records which rules' prefilter patterns matched in a field and rescans
// the field with their clusters only; the group database serves the
// fallbacks (joined buffer full, too many prefilter reports).
// `plain_prefilter()` is the part of the combined prefilter that can match
// inside a value made only of plain bytes (transform.h plain_byte(),
// signature/alphabet_reach.h): the engine joins such values apart and
// scans them with it, so the patterns that need `;`, quotes, `<` or CR/LF
// (most attack shapes, and the slowest to scan) never see them.
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
};

/// Up to kClusterRules consecutive rules of one group, compiled together
/// (exact flags, global pattern ids). A group database costs microseconds
/// per value, a cluster's a fraction of one; one database per rule would
/// cost ~250 more Hyperscan compiles (each ~20 ms) for the default rules.
struct RuleCluster {
  hs_database_t* db = nullptr;
  uint16_t group = 0;
};

struct ScanGroup {
  uint16_t chain = 0;
  ZoneMask zones = 0;       ///< union of its rules' zones
  hs_database_t* db = nullptr;         ///< exact, per field value
  /// Joined values of a request; == combined_prefilter() (not owned) for
  /// groups that are part of it.
  hs_database_t* prefilter = nullptr;
  uint32_t pattern_count = 0;
  /// Has HS_FLAG_UTF8 patterns: only ever scans its chain's (valid UTF-8)
  /// output, never the shared raw buffer, so it is not in the combined one.
  bool utf8 = false;
  /// Its patterns are in combined_prefilter(): the engine joins this
  /// group's transformed values into the shared buffer too (one scan).
  bool in_combined = false;
};

class SignatureDatabase {
 public:
  static constexpr size_t kMaxGroups = 64;
  static constexpr size_t kClusterRules = 8;

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
  /// Every pattern, prefilter flags; nullptr when there are no rules.
  const hs_database_t* combined_prefilter() const { return combined_prefilter_; }
  /// The combined prefilter's patterns that may match in a plain value;
  /// nullptr when none can (plain values then need no prefilter scan).
  const hs_database_t* plain_prefilter() const { return plain_prefilter_; }
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
  hs_database_t* combined_prefilter_ = nullptr;
  hs_database_t* plain_prefilter_ = nullptr;
  std::vector<uint32_t> pattern_rule_;
};

}  // namespace weir::detect
