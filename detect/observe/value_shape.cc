// Shape inference; see value_shape.h.
#include "detect/observe/value_shape.h"

#include "detect/sensitive/value_checks.h"

namespace weir::detect {

namespace {

constexpr const char* kTypes[] = {"null", "boolean", "integer", "number", "string", "object", "array"};
constexpr const char* kFormats[] = {"",    "uuid", "email", "date",  "date-time", "ipv4",       "ipv6",
                                    "uri", "hex",  "byte",  "jwt",   "phone",     "numeric-id"};
static_assert(sizeof kTypes / sizeof kTypes[0] == static_cast<size_t>(ValueType::Count));
static_assert(sizeof kFormats / sizeof kFormats[0] == static_cast<size_t>(ValueFormat::Count));

bool dig(char c) { return c >= '0' && c <= '9'; }
bool hexc(char c) { return dig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_integer(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  if (v.empty() || v.size() > 19) return false;
  if (v.size() > 1 && v[0] == '0') return false;  // "007" is a code, not a number
  for (char c : v)
    if (!dig(c)) return false;
  return true;
}

bool is_number(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  size_t i = 0, digits = 0;
  while (i < v.size() && dig(v[i])) ++i, ++digits;
  if (digits == 0) return false;
  bool frac_or_exp = false;
  if (i < v.size() && v[i] == '.') {
    ++i;
    size_t f = 0;
    while (i < v.size() && dig(v[i])) ++i, ++f;
    if (f == 0) return false;
    frac_or_exp = true;
  }
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    size_t e = 0;
    while (i < v.size() && dig(v[i])) ++i, ++e;
    if (e == 0) return false;
    frac_or_exp = true;
  }
  return frac_or_exp && i == v.size();
}

bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (v[i] != '-') return false;
    } else if (!hexc(v[i])) {
      return false;
    }
  }
  return true;
}

bool is_date(std::string_view v) {
  return v.size() == 10 && dig(v[0]) && dig(v[1]) && dig(v[2]) && dig(v[3]) && v[4] == '-' && dig(v[5]) &&
         dig(v[6]) && v[7] == '-' && dig(v[8]) && dig(v[9]) && (v[5] - '0') * 10 + (v[6] - '0') <= 12;
}

bool is_datetime(std::string_view v) {
  return v.size() >= 19 && is_date(v.substr(0, 10)) && (v[10] == 'T' || v[10] == 't' || v[10] == ' ') &&
         dig(v[11]) && dig(v[12]) && v[13] == ':' && dig(v[14]) && dig(v[15]) && v[16] == ':';
}

bool is_ipv4(std::string_view v) {
  int parts = 0;
  size_t i = 0;
  while (i <= v.size()) {
    size_t n = 0;
    unsigned val = 0;
    while (i < v.size() && dig(v[i]) && n < 4) val = val * 10 + static_cast<unsigned>(v[i++] - '0'), ++n;
    if (n == 0 || n > 3 || val > 255) return false;
    ++parts;
    if (i == v.size()) break;
    if (v[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

bool is_ipv6(std::string_view v) {
  if (v.size() < 2 || v.size() > 45) return false;
  int colons = 0;
  for (char c : v) {
    if (c == ':') ++colons;
    else if (!hexc(c) && c != '.') return false;
  }
  return colons >= 2;
}

bool is_url(std::string_view v) {
  return v.substr(0, 7) == "http://" || v.substr(0, 8) == "https://" || v.substr(0, 6) == "wss://" ||
         v.substr(0, 5) == "ws://";
}

bool is_hex(std::string_view v) {
  if (v.size() < 8) return false;
  bool letter = false, digit = false;
  for (char c : v) {
    if (!hexc(c)) return false;
    (dig(c) ? digit : letter) = true;
  }
  return letter && digit;
}

bool is_base64(std::string_view v) {
  if (v.size() < 16 || v.size() % 4 != 0) return false;
  bool lower = false, upper = false, digit = false;
  size_t pad = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '=') {
      if (i + 2 < v.size()) return false;
      ++pad;
      continue;
    }
    if (pad) return false;
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (dig(c)) digit = true;
    else if (c != '+' && c != '/') return false;
  }
  return lower && upper && digit;
}

bool is_phone(std::string_view v) {
  if (v.size() < 9 || v[0] != '+') return false;
  size_t n = 0;
  for (char c : v.substr(1)) {
    if (dig(c)) ++n;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') return false;
  }
  return n >= 8 && n <= 15;
}

}  // namespace

const char* value_type_name(ValueType t) {
  const auto i = static_cast<size_t>(t);
  return i < static_cast<size_t>(ValueType::Count) ? kTypes[i] : "string";
}

const char* value_format_name(ValueFormat f) {
  const auto i = static_cast<size_t>(f);
  return i < static_cast<size_t>(ValueFormat::Count) ? kFormats[i] : "";
}

bool value_type_from_name(std::string_view name, ValueType& out) {
  for (size_t i = 0; i < static_cast<size_t>(ValueType::Count); ++i)
    if (name == kTypes[i]) return out = static_cast<ValueType>(i), true;
  return false;
}

bool value_format_from_name(std::string_view name, ValueFormat& out) {
  for (size_t i = 0; i < static_cast<size_t>(ValueFormat::Count); ++i)
    if (name == kFormats[i]) return out = static_cast<ValueFormat>(i), true;
  return false;
}

ValueFormat infer_format(std::string_view v) {
  if (v.empty()) return ValueFormat::None;
  if (is_integer(v)) return v[0] == '-' ? ValueFormat::None : ValueFormat::NumericId;
  if (is_uuid(v)) return ValueFormat::Uuid;
  if (is_datetime(v)) return ValueFormat::DateTime;
  if (is_date(v)) return ValueFormat::Date;
  if (is_ipv4(v)) return ValueFormat::Ipv4;
  if (looks_like_email(v)) return ValueFormat::Email;
  if (is_url(v)) return ValueFormat::Url;
  if (looks_like_jwt(v)) return ValueFormat::Jwt;
  if (is_phone(v)) return ValueFormat::Phone;
  if (is_hex(v)) return ValueFormat::Hex;
  if (is_ipv6(v)) return ValueFormat::Ipv6;
  if (is_base64(v)) return ValueFormat::Base64;
  return ValueFormat::None;
}

ValueShape infer_shape(std::string_view v) {
  if (v == "null") return {ValueType::Null, ValueFormat::None};
  if (v == "true" || v == "false") return {ValueType::Boolean, ValueFormat::None};
  if (is_integer(v)) return {ValueType::Integer, ValueFormat::None};
  if (is_number(v)) return {ValueType::Number, ValueFormat::None};
  return {ValueType::String, infer_format(v)};
}

}  // namespace weir::detect
