#pragma once
// The admin API's timestamps (RFC 3339 UTC with milliseconds,
// "2026-12-04T16:22:36.123Z"): parsing, formatting and short display forms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::cli {

/// Milliseconds since the Unix epoch for "YYYY-MM-DDTHH:MM:SS[.fff]Z"
/// (also accepts a space for T and no Z); nullopt when malformed.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

/// The API's own form, "2026-12-04T16:22:36.123Z".
std::string format_rfc3339_ms(int64_t epoch_ms);

/// Wall clock now, in epoch milliseconds.
int64_t now_epoch_ms();

/// For tables: "2026-12-04 16:22:36" (UTC, no milliseconds); text that
/// does not parse is shown as given.
std::string display_time(std::string_view rfc3339);

}  // namespace weir::cli
