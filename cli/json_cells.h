#pragma once
// Turning admin API JSON values into table cells and printing --json output.

#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace weir::cli {

/// Strings as they are, null and absent as "-", booleans as yes/no,
/// numbers and structures as compact JSON.
std::string cell_text(const nlohmann::json& value);
/// cell_text of object[key], "-" when object lacks it.
std::string field_text(const nlohmann::json& object, std::string_view key);
/// display_time of object[key], "-" when absent or null.
std::string field_time(const nlohmann::json& object, std::string_view key);

/// "1234.5" style rate: one decimal below 100/s, none above.
std::string format_rate(double per_second);

/// Prints the API's JSON for --json: pretty by default, one line when
/// compact (streams: tail -f, stats --watch).
void print_json(std::ostream& out, const nlohmann::json& value, bool compact = false);

}  // namespace weir::cli
