#pragma once
// The `policy:` and `exceptions:` sections of a rule file (detect/RULES.md).

#include <yaml-cpp/yaml.h>

#include "detect/signature/rule_set.h"
#include "detect/signature/rule_yaml_reader.h"

namespace weir::detect {

void load_policy_section(const RuleYamlReader& r, const YAML::Node& n, RuleSet& into);
void load_exceptions_section(const RuleYamlReader& r, const YAML::Node& n, RuleSet& into);

}  // namespace weir::detect
