#include "cli/ttl_duration.h"

namespace weir::cli {

namespace {

std::optional<uint64_t> unit_seconds(char unit) {
  switch (unit) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<uint64_t> parse_duration_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    uint64_t number = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + static_cast<uint64_t>(text[i] - '0');
      if (number > kMaxDurationSeconds) return std::nullopt;
      ++i;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    uint64_t multiplier = 1;
    if (i < text.size()) {
      auto unit = unit_seconds(text[i]);
      if (!unit) return std::nullopt;
      multiplier = *unit;
      ++i;
    } else if (total != 0) {
      return std::nullopt;  // "1h30": the trailing number has no unit
    }
    total += number * multiplier;
    if (total > kMaxDurationSeconds) return std::nullopt;
  }
  if (total == 0) return std::nullopt;
  return total;
}

std::string format_duration(uint64_t seconds) {
  static constexpr struct {
    uint64_t seconds;
    char unit;
  } kUnits[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  if (seconds == 0) return "0s";
  std::string out;
  int parts = 0;
  for (const auto& u : kUnits) {
    if (parts == 2) break;
    uint64_t n = seconds / u.seconds;
    if (n == 0) {
      if (parts > 0) break;  // "1d0h5m" reads badly; stop after the first gap
      continue;
    }
    out += std::to_string(n);
    out += u.unit;
    seconds -= n * u.seconds;
    ++parts;
  }
  return out;
}

}  // namespace weir::cli
