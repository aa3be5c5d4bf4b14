#pragma once
// StreamSignatureDatabase: the immutable, compiled form of a ruleset's
// `zones: [stream]` rules (detect/RULES.md), shared read-only by all workers.
// One Hyperscan streaming-mode database; every pattern of a rule carries the
// rule's index as its match id and HS_FLAG_SINGLEMATCH, so a rule reports at
// most once per stream direction however many of its patterns match. No SOM
// (start of match) tracking: it would grow stream state; the alert excerpt
// comes from the scanner's look-back buffer, ending at the match end.
// A ruleset without stream rules gives a valid database that scans nothing
// and never calls Hyperscan.

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect/signature/rule_set.h"

namespace weir::detect {

struct StreamRule {
  std::string id;
  std::string message;
  AttackClass attack_class = AttackClass::Other;
  Severity severity = Severity::Notice;
  RuleAction action = RuleAction::Alert;
  std::vector<std::string> tags;
  SourceMark mark;
};

class StreamSignatureDatabase {
 public:
  /// At most this many stream rules (a rule index fits the finding's fields
  /// and the per-scan rule list stays small).
  static constexpr size_t kMaxRules = 4096;

  /// Compiles the stream rules active at rs.policy.paranoia. Throws RuleError
  /// naming the pattern's file and line when Hyperscan rejects a pattern.
  static std::unique_ptr<StreamSignatureDatabase> build(const RuleSet& rs);

  ~StreamSignatureDatabase();
  StreamSignatureDatabase(const StreamSignatureDatabase&) = delete;
  StreamSignatureDatabase& operator=(const StreamSignatureDatabase&) = delete;

  bool empty() const { return db_ == nullptr; }
  const std::vector<StreamRule>& rules() const { return rules_; }
  /// nullptr when empty().
  const hs_database_t* hs_db() const { return db_; }
  /// Bytes of Hyperscan stream state one open stream needs (0 when empty):
  /// the block size a StreamStatePool must offer.
  size_t stream_state_bytes() const { return stream_state_bytes_; }
  size_t pattern_count() const { return pattern_count_; }
  /// Index of a rule by id, or -1.
  int find_rule(std::string_view id) const;

 private:
  StreamSignatureDatabase() = default;

  std::vector<StreamRule> rules_;
  hs_database_t* db_ = nullptr;
  size_t stream_state_bytes_ = 0;
  size_t pattern_count_ = 0;
};

}  // namespace weir::detect
