#pragma once
// RuleSet: everything loaded from one or more rule files, validated, ready
// to compile into a PolicySnapshot. Config-time type.

#include <string>
#include <vector>

#include "detect/policy/policy_config.h"
#include "detect/policy/rule_exception.h"
#include "detect/signature/rule.h"

namespace weir::detect {

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<RuleException> exceptions;
  PolicyConfig policy;
  bool has_policy = false;
  SourceMark policy_mark;  ///< where `policy:` came from
};

}  // namespace weir::detect
