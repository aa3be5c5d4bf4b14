#pragma once
// Loading rule files (detect/RULES.md) into a RuleSet. Config time: throws
// RuleError with file, line, key and expectation on the first problem.

#include <string>
#include <string_view>
#include <vector>

#include "detect/signature/rule_error.h"
#include "detect/signature/rule_set.h"

namespace weir::detect {

/// Parses one file's text (`file` is used in messages) and appends to `into`.
void load_rules_text(std::string_view yaml, const std::string& file, RuleSet& into);
/// Reads and parses one file.
void load_rules_file(const std::string& path, RuleSet& into);
/// Every *.yaml / *.yml file of a directory, in name order.
RuleSet load_rules_dir(const std::string& dir);
/// Several files, in the given order.
RuleSet load_rules_files(const std::vector<std::string>& paths);

}  // namespace weir::detect
