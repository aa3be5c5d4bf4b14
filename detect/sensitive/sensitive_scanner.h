#pragma once
// SensitiveScanner: finds sensitive data in field values (by content) and
// in field names (by what the key says it holds). Runs in the worker on the
// observation path: no allocation, no exceptions, bounded work per byte
// (each byte is looked at by at most two token checks). Content matches come
// with their byte range so that a record can be redacted before it leaves.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "detect/sensitive/sensitive_class.h"

namespace weir::detect {

class CustomDetectorSet;
class CustomScratch;

struct SensitiveMatch {
  SensitiveClass cls;
  uint32_t begin;  ///< byte range in the scanned text
  uint32_t end;
};

/// What a key name says the value is (last path component, case and `_`/`-`
/// insensitive: "user.firstName", "first_name" and "FIRSTNAME" are alike).
SensitiveMask classes_for_key(std::string_view key);

/// Content matches in `text`, left to right, non-overlapping. Writes at most
/// out.size() matches and returns how many there were in total.
size_t find_sensitive(std::string_view text, std::span<SensitiveMatch> out);

/// Classes of a field: content matches plus what the key says, the latter
/// only when the value is non-empty and plausible for the key (an "ssn" key
/// with a valid 9-digit value, a "phone" key with 7-15 digits...).
SensitiveMask classify_field(std::string_view key, std::string_view value);

/// The same plus the operator's custom detectors (regex and key names).
/// `custom` may be null; `scratch` must belong to this thread.
SensitiveMask classify_field(std::string_view key, std::string_view value,
                             const CustomDetectorSet* custom, CustomScratch* scratch);

}  // namespace weir::detect
