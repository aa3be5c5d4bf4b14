// Name tables for attack classes and severities.

#include "detect/attack_class.h"

namespace weir::detect {
namespace {

constexpr const char* kClassNames[] = {
    "sqli",  "xss",   "path_traversal", "cmd_injection", "ssrf",     "xxe",
    "ssti",  "jndi",  "nosqli",         "ldapi",         "crlf",     "open_redirect",
    "protocol", "scanner", "graphql",   "rce",           "other",
};
static_assert(sizeof(kClassNames) / sizeof(kClassNames[0]) ==
              static_cast<size_t>(AttackClass::Count));

constexpr const char* kSeverityNames[] = {"notice", "warning", "error", "critical"};
static_assert(sizeof(kSeverityNames) / sizeof(kSeverityNames[0]) ==
              static_cast<size_t>(Severity::Count));

}  // namespace

const char* attack_class_name(AttackClass c) {
  auto i = static_cast<size_t>(c);
  return i < static_cast<size_t>(AttackClass::Count) ? kClassNames[i] : "unknown";
}

bool attack_class_from_name(std::string_view name, AttackClass& out) {
  for (size_t i = 0; i < static_cast<size_t>(AttackClass::Count); ++i) {
    if (name == kClassNames[i]) {
      out = static_cast<AttackClass>(i);
      return true;
    }
  }
  return false;
}

const char* severity_name(Severity s) {
  auto i = static_cast<size_t>(s);
  return i < static_cast<size_t>(Severity::Count) ? kSeverityNames[i] : "unknown";
}

bool severity_from_name(std::string_view name, Severity& out) {
  for (size_t i = 0; i < static_cast<size_t>(Severity::Count); ++i) {
    if (name == kSeverityNames[i]) {
      out = static_cast<Severity>(i);
      return true;
    }
  }
  return false;
}

}  // namespace weir::detect
