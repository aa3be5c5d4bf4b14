// Checks for sensitive values; see value_checks.h.
#include "detect/sensitive/value_checks.h"

#include <cstdint>

namespace weir::detect {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }
bool is_b64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// First n digits as a number (n <= 6, caller checked the length).
unsigned prefix(std::string_view d, size_t n) {
  unsigned v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + static_cast<unsigned>(d[i] - '0');
  return v;
}

struct IbanLength {
  char cc[3];
  uint8_t length;
};
// ISO 13616 registry lengths of the countries we are most likely to see.
constexpr IbanLength kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BR", 29}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28},
    {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22},
    {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31},
    {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29},
    {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VG", 24}, {"XK", 20},
};

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  unsigned sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    unsigned d = static_cast<unsigned>(digits[i] - '0');
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

const char* card_brand_name(CardBrand b) {
  switch (b) {
    case CardBrand::Visa: return "visa";
    case CardBrand::Mastercard: return "mastercard";
    case CardBrand::Amex: return "amex";
    case CardBrand::Discover: return "discover";
    case CardBrand::Jcb: return "jcb";
    case CardBrand::Diners: return "diners";
    case CardBrand::UnionPay: return "unionpay";
    case CardBrand::None: break;
  }
  return "none";
}

CardBrand card_brand(std::string_view d) {
  const size_t n = d.size();
  if (n < 13 || n > 19 || !all_digits(d)) return CardBrand::None;
  const unsigned p1 = prefix(d, 1), p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4),
                 p6 = prefix(d, 6);
  if (p1 == 4 && (n == 13 || n == 16 || n == 19)) return CardBrand::Visa;
  if (n == 16 && ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099))) return CardBrand::Mastercard;
  if (n == 15 && (p2 == 34 || p2 == 37)) return CardBrand::Amex;
  if (n >= 16 && (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65)) return CardBrand::Discover;
  if (n >= 16 && p4 >= 3528 && p4 <= 3589) return CardBrand::Jcb;
  if (n >= 14 && ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)) return CardBrand::Diners;
  if (n >= 16 && p2 == 62) return CardBrand::UnionPay;
  return CardBrand::None;
}

bool pan_valid(std::string_view digits) {
  return card_brand(digits) != CardBrand::None && luhn_valid(digits);
}

bool iban_valid(std::string_view s) {
  if (s.size() < 15 || s.size() > 34) return false;
  if (!is_upper(s[0]) || !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3])) return false;
  bool known = false;
  for (const auto& e : kIbanLengths) {
    if (e.cc[0] == s[0] && e.cc[1] == s[1]) {
      if (e.length != s.size()) return false;
      known = true;
      break;
    }
  }
  if (!known) return false;
  // Move the first four characters to the end, letters become 10..35,
  // and reduce mod 97 as we go (the number is far wider than 64 bits).
  unsigned rem = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    const char c = s[(k + 4) % s.size()];
    if (is_digit(c)) {
      rem = (rem * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else if (is_upper(c)) {
      rem = (rem * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

bool ssn_valid(std::string_view d) {
  if (d.size() != 9 || !all_digits(d)) return false;
  const unsigned area = prefix(d, 3);
  const unsigned group = prefix(d.substr(3), 2);
  const unsigned serial = prefix(d.substr(5), 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == 0 || serial == 0) return false;
  // Numbers printed in advertising and widely misused.
  if (d == "078051120" || d == "219099999" || d == "123456789") return false;
  return true;
}

bool looks_like_email(std::string_view s) {
  const size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || at > 64 || s.size() > 254) return false;
  for (size_t i = 0; i < at; ++i) {
    const char c = s[i];
    if (!(is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-')) return false;
  }
  const std::string_view domain = s.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  for (size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (i > dot) {
      if (!((c >= 'a' && c <= 'z') || is_upper(c))) return false;
    } else if (!(is_alnum(c) || c == '-' || c == '.')) {
      return false;
    }
  }
  return domain.find("..") == std::string_view::npos && domain.front() != '.' && domain.front() != '-';
}

bool looks_like_jwt(std::string_view s) {
  size_t part = 0, len = 0;
  size_t lens[3] = {0, 0, 0};
  for (char c : s) {
    if (c == '.') {
      if (++part > 2) return false;
      len = 0;
      continue;
    }
    if (!is_b64url(c)) return false;
    lens[part] = ++len;
  }
  return part == 2 && lens[0] >= 10 && lens[1] >= 10 && s.substr(0, 3) == "eyJ" &&
         s.substr(lens[0] + 1, 3) == "eyJ";
}

}  // namespace weir::detect
