#pragma once
// ExceptionSet: compiled false-positive exceptions (detect/RULES.md). Each
// exception scopes by endpoint (path prefix or Hyperscan regex over the
// path), zone, field name and rule ids / classes. Endpoint regexes are one
// Hyperscan database scanned at most once per request, and only when the
// request has a finding: clean requests pay nothing for exceptions.

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detect/finding.h"
#include "detect/signature/rule_set.h"
#include "detect/signature/signature_database.h"

namespace weir::detect {

struct CompiledException {
  std::string id;
  EndpointMatch endpoint = EndpointMatch::Any;
  std::string prefix;
  ZoneMask zones = 0;                  ///< 0 = any
  std::vector<std::string> names;      ///< lower case; empty = any
  std::vector<uint32_t> rule_indices;  ///< sorted; into SignatureDatabase::rules()
  bool all_rules = false;
  uint32_t class_mask = 0;             ///< bit per AttackClass
};

class ExceptionSet {
 public:
  /// Throws RuleError for an unknown rule id or a regex Hyperscan rejects.
  static std::unique_ptr<ExceptionSet> build(const RuleSet& rs, const SignatureDatabase& sigs);
  ~ExceptionSet();
  ExceptionSet(const ExceptionSet&) = delete;
  ExceptionSet& operator=(const ExceptionSet&) = delete;

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const CompiledException& at(size_t i) const { return items_[i]; }

  /// Marks hits[i] = 1 for every exception whose endpoint matches `path`
  /// (hits.size() == size()). Returns false if the regex scan failed, in
  /// which case regex endpoints count as not matching.
  bool match_endpoints(std::string_view path, hs_scratch_t* scratch, uint8_t* hits) const;

  /// True when exception i (whose endpoint matched) covers this finding.
  bool covers(size_t i, const Finding& f) const;

  hs_error_t alloc_scratch(hs_scratch_t** scratch) const {
    return regex_db_ != nullptr ? hs_alloc_scratch(regex_db_, scratch) : HS_SUCCESS;
  }

 private:
  ExceptionSet() = default;
  std::vector<CompiledException> items_;
  hs_database_t* regex_db_ = nullptr;
};

}  // namespace weir::detect
