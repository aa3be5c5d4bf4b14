#pragma once
// Durations as operators type them ("90s", "10m", "2h", "1d", "1h30m") for
// --ttl and --since, and back into short text for tables.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::cli {

/// Longest duration accepted (a year): anything longer is a typo, and the
/// bound keeps the seconds arithmetic far from overflow.
inline constexpr uint64_t kMaxDurationSeconds = 366ULL * 24 * 3600;

/// Parses one or more <digits><unit> groups, unit s, m, h or d, in any
/// order of magnitude ("1h30m", "90s"); a bare number means seconds.
/// Returns nullopt for empty text, unknown units, zero or too long.
std::optional<uint64_t> parse_duration_seconds(std::string_view text);

/// Formats seconds as the two largest non-zero units: "45s", "9m58s",
/// "2h", "1d4h".
std::string format_duration(uint64_t seconds);

}  // namespace weir::cli
