#pragma once
// A false-positive exception as loaded from the `exceptions:` section
// (detect/RULES.md). Config-time type.

#include <string>
#include <vector>

#include "detect/attack_class.h"
#include "detect/signature/rule.h"

namespace weir::detect {

enum class EndpointMatch : uint8_t { Any, Prefix, Regex };

struct RuleException {
  std::string id;
  std::string comment;
  EndpointMatch endpoint = EndpointMatch::Any;
  std::string endpoint_value;          ///< prefix or regex
  ZoneMask zones = 0;                  ///< 0 = any zone
  std::vector<std::string> names;      ///< lower case; empty = any
  std::vector<std::string> rules;      ///< rule ids; "all" = every rule
  std::vector<AttackClass> classes;
  SourceMark mark;
};

}  // namespace weir::detect
