#include "cli/json_cells.h"

#include <cstdio>
#include <ostream>

#include "cli/api_time.h"

namespace weir::cli {

std::string cell_text(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump();
}

std::string field_text(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "-";
  const auto it = object.find(key);
  if (it == object.end()) return "-";
  return cell_text(*it);
}

std::string field_time(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "-";
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "-";
  return display_time(it->get<std::string>());
}

std::string format_rate(double per_second) {
  char buf[32];
  if (per_second < 100.0) {
    std::snprintf(buf, sizeof buf, "%.1f", per_second);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", per_second);
  }
  return buf;
}

void print_json(std::ostream& out, const nlohmann::json& value, bool compact) {
  // Replace invalid UTF-8 rather than throw: alert text is attacker bytes.
  out << value.dump(compact ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace)
      << '\n';
  if (compact) out.flush();
}

}  // namespace weir::cli
