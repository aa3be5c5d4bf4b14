#pragma once
// Sensitive-data classes found in API traffic, and a bit mask of them. The
// names are stable: they appear in the inventory, the admin API, alerts and
// CLI filters ("pan", "us_ssn", "jwt").

#include <cstdint>
#include <string_view>

namespace weir::detect {

enum class SensitiveClass : uint8_t {
  Email,
  Phone,
  PersonName,
  Address,
  UsSsn,
  Pan,
  Iban,
  Jwt,
  AwsAccessKey,
  GithubToken,
  SlackToken,
  StripeKey,
  GoogleApiKey,
  PrivateKey,
  Password,
  Health,
  Financial,
  Custom,  ///< an operator-defined detector (its name travels separately)
  Count
};

/// Bit i set: class i present.
using SensitiveMask = uint32_t;

constexpr SensitiveMask sensitive_bit(SensitiveClass c) {
  return SensitiveMask{1} << static_cast<unsigned>(c);
}

const char* sensitive_class_name(SensitiveClass c);
/// false when unknown.
bool sensitive_class_from_name(std::string_view name, SensitiveClass& out);

/// Broad category for reports: "pii", "pci", "secret", "health", "financial", "custom".
const char* sensitive_category(SensitiveClass c);

}  // namespace weir::detect
