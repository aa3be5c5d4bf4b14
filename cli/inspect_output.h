#pragma once
// What `weirctl inspect` writes about one request: the corpus verdict line
// (cli/README.md, "Request corpus"), the same as a JSON document for a
// single request, and the human rendering (verdict, then a findings table
// whose cells are escaped: excerpts are attacker bytes).

#include <string>
#include <string_view>

#include "cli/offline_inspector.h"
#include "detect/policy/policy_config.h"

namespace weir::cli {

/// {"id":..,"blocked":..,"action":..,"score":..,"findings":[{"rule","zone",
/// "name","class","severity","score","excerpt"}]} on one line (invalid
/// UTF-8 in names and excerpts replaced by U+FFFD).
std::string verdict_line(std::string_view id, const RequestOutcome& outcome);

/// The verdict line's object plus parse status and the policy applied,
/// indented, for `weirctl inspect FILE --json`.
std::string outcome_json(const RequestOutcome& outcome, const detect::PolicyConfig& policy);

std::string render_outcome(const RequestOutcome& outcome, const detect::PolicyConfig& policy);

}  // namespace weir::cli
