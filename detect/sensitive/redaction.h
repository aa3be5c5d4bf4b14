#pragma once
// Redaction: every text that leaves a worker (alert excerpts, observation
// strings such as a raw path) goes through here so that no sensitive value
// reaches the control plane, the store, exports or logs. A match is
// replaced by its class in brackets: "card 4111111111111111" -> "card [pan]".

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace weir::detect {

/// Writes the redacted `text` into `out` (truncated to out.size(), never
/// past it); returns the bytes written. No allocation (worker side).
size_t redact_into(std::string_view text, std::span<char> out);

/// Same, into a string (control plane, tests).
std::string redact(std::string_view text);

/// true when `text` holds nothing find_sensitive() reports.
bool is_clean(std::string_view text);

}  // namespace weir::detect
