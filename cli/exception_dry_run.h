#pragma once
// Dry run of a proposed exception over a request corpus: the rules folder
// compiled twice (as it is, and with the exception added), every request
// inspected by both through the OfflineInspector, and the requests the
// exception would let through counted and split by label. Both runs use
// block mode, so "blocked" means the same whatever the folder's mode is.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/corpus_request.h"
#include "cli/inspect_policy.h"
#include "detect/policy/rule_exception.h"

namespace weir::cli {

struct UnblockedRequest {
  std::string id;
  CorpusLabel label = CorpusLabel::None;
  std::string attack_class;
  std::string rules;  ///< rules that fired without the exception
  size_t line = 0;
};

struct DryRunReport {
  std::string rules_source;
  size_t requests = 0;
  size_t blocked_before = 0;
  size_t blocked_after = 0;
  size_t let_through = 0;  ///< blocked before, passed after
  size_t let_through_benign = 0;
  size_t let_through_attack = 0;
  size_t let_through_unlabelled = 0;
  std::vector<UnblockedRequest> unblocked;  ///< every request let through
};

/// Compiles the rules of `policy` (folder or file, as `weirctl inspect`
/// finds them) with and without `exception` and runs `corpus` through
/// both. Rule errors, including the exception's (an unknown rule id, a
/// duplicate exception id, a regex Hyperscan refuses), throw
/// CliError(Usage) with the loader's message.
DryRunReport dry_run_exception(const InspectPolicyOptions& policy, const detect::RuleException& exception,
                               const std::vector<CorpusRequest>& corpus);

/// Human-readable report (every unblocked attack listed; benign ones up to
/// `max_listed`), and the JSON form.
std::string render_dry_run(const DryRunReport& r, size_t max_listed = 20);
nlohmann::json dry_run_json(const DryRunReport& r);

}  // namespace weir::cli
