#include "detect/sensitive/sensitive_class.h"

namespace weir::detect {

namespace {
constexpr const char* kNames[] = {
    "email",       "phone",        "person_name",  "address",     "us_ssn",      "pan",
    "iban",        "jwt",          "aws_access_key", "github_token", "slack_token", "stripe_key",
    "google_api_key", "private_key", "password",   "health",      "financial",   "custom",
};
static_assert(sizeof kNames / sizeof kNames[0] == static_cast<size_t>(SensitiveClass::Count));
}  // namespace

const char* sensitive_class_name(SensitiveClass c) {
  const auto i = static_cast<size_t>(c);
  return i < static_cast<size_t>(SensitiveClass::Count) ? kNames[i] : "unknown";
}

bool sensitive_class_from_name(std::string_view name, SensitiveClass& out) {
  for (size_t i = 0; i < static_cast<size_t>(SensitiveClass::Count); ++i) {
    if (name == kNames[i]) {
      out = static_cast<SensitiveClass>(i);
      return true;
    }
  }
  return false;
}

const char* sensitive_category(SensitiveClass c) {
  switch (c) {
    case SensitiveClass::Email:
    case SensitiveClass::Phone:
    case SensitiveClass::PersonName:
    case SensitiveClass::Address:
    case SensitiveClass::UsSsn:
      return "pii";
    case SensitiveClass::Pan:
      return "pci";
    case SensitiveClass::Iban:
    case SensitiveClass::Financial:
      return "financial";
    case SensitiveClass::Health:
      return "health";
    case SensitiveClass::Custom:
      return "custom";
    default:
      return "secret";
  }
}

}  // namespace weir::detect
