// Content and key detectors; see sensitive_scanner.h.
#include "detect/sensitive/sensitive_scanner.h"

#include <array>

#include "detect/sensitive/custom_detector_set.h"
#include "detect/sensitive/value_checks.h"

namespace weir::detect {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }
bool is_token_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '@';
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool b64url_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool upper_or_digit(char c) { return is_upper(c) || is_digit(c); }
bool slack_char(char c) { return is_alnum(c) || c == '-'; }

class MatchWriter {
 public:
  explicit MatchWriter(std::span<SensitiveMatch> out) : out_(out) {}
  void add(SensitiveClass c, size_t b, size_t e) {
    if (total_ < out_.size()) out_[total_] = {c, static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
    ++total_;
  }
  size_t total() const { return total_; }

 private:
  std::span<SensitiveMatch> out_;
  size_t total_ = 0;
};

// Provider key formats (exact shapes, so the false-positive rate is nil).
bool classify_token(std::string_view t, SensitiveClass& out) {
  if (t.find('@') != std::string_view::npos) {
    if (looks_like_email(t)) return out = SensitiveClass::Email, true;
    return false;
  }
  if (t.substr(0, 3) == "eyJ" && looks_like_jwt(t)) return out = SensitiveClass::Jwt, true;
  if (t.size() == 20 && (t.substr(0, 4) == "AKIA" || t.substr(0, 4) == "ASIA") &&
      all_of(t.substr(4), upper_or_digit))
    return out = SensitiveClass::AwsAccessKey, true;
  if (t.size() == 40 && t[0] == 'g' && t[1] == 'h' && t[3] == '_' &&
      (t[2] == 'p' || t[2] == 'o' || t[2] == 'u' || t[2] == 's' || t[2] == 'r') &&
      all_of(t.substr(4), is_alnum))
    return out = SensitiveClass::GithubToken, true;
  if (t.size() >= 50 && t.substr(0, 11) == "github_pat_" && all_of(t.substr(11), b64url_char))
    return out = SensitiveClass::GithubToken, true;
  if (t.size() >= 15 && t.substr(0, 3) == "xox" &&
      (t[3] == 'a' || t[3] == 'b' || t[3] == 'p' || t[3] == 'r' || t[3] == 's') && t[4] == '-' &&
      all_of(t.substr(5), slack_char))
    return out = SensitiveClass::SlackToken, true;
  if (t.size() >= 32 && (t.substr(0, 8) == "sk_live_" || t.substr(0, 8) == "rk_live_") &&
      all_of(t.substr(8), is_alnum))
    return out = SensitiveClass::StripeKey, true;
  if (t.size() == 39 && t.substr(0, 4) == "AIza" && all_of(t.substr(4), b64url_char))
    return out = SensitiveClass::GoogleApiKey, true;
  if (t.size() >= 15 && t.size() <= 34 && all_of(t, upper_or_digit) && iban_valid(t))
    return out = SensitiveClass::Iban, true;
  return false;
}

// A digit run starting at i: digits with single separators (space, '-', '.',
// parentheses) and an optional leading '+'. Returns the end of the
// classified match, or 0 when nothing matched.
size_t match_number(std::string_view s, size_t i, SensitiveClass& cls) {
  std::array<char, 24> digits{};
  size_t nd = 0, j = i, last_digit_end = i;
  const bool plus = s[i] == '+';
  if (plus) ++j;
  bool dashes_only = true;
  size_t groups[8] = {};
  size_t ng = 0, run = 0;
  for (; j < s.size() && j - i < 40; ++j) {
    const char c = s[j];
    if (is_digit(c)) {
      if (nd == digits.size()) return 0;
      digits[nd++] = c;
      ++run;
      last_digit_end = j + 1;
      continue;
    }
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      if (c != '-') dashes_only = false;
      if (run > 0 && ng < 8) groups[ng++] = run;
      run = 0;
      if (j + 1 < s.size() && (is_digit(s[j + 1]) || s[j + 1] == '(' || s[j + 1] == ' ')) continue;
    }
    break;
  }
  if (run > 0 && ng < 8) groups[ng++] = run;
  if (nd == 0) return 0;
  const size_t end = last_digit_end;
  if (end < s.size() && (is_alnum(s[end]) || s[end] == '_')) return 0;
  const std::string_view d(digits.data(), nd);
  if (!plus && nd >= 13 && nd <= 19 && pan_valid(d)) return cls = SensitiveClass::Pan, end;
  if (!plus && nd == 9 && ng == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 4 && dashes_only &&
      ssn_valid(d))
    return cls = SensitiveClass::UsSsn, end;
  if (plus && nd >= 8 && nd <= 15) return cls = SensitiveClass::Phone, end;
  // North American forms: (415) 555-2671, 415-555-2671, 415.555.2671.
  if (!plus && nd == 10 && ng == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4)
    return cls = SensitiveClass::Phone, end;
  return 0;
}

// "-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----" up to its END line.
size_t match_private_key(std::string_view s, size_t i) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  if (s.substr(i, kBegin.size()) != kBegin) return 0;
  const std::string_view head = s.substr(i, 64);
  const size_t pk = head.find("PRIVATE KEY-----");
  if (pk == std::string_view::npos) return 0;
  const size_t end = s.find("PRIVATE KEY-----", i + pk + 16);
  return end == std::string_view::npos ? s.size() : end + 16;
}

// Digits only (spaces and dashes dropped), into buf; false when other characters appear.
bool compact_digits(std::string_view v, std::array<char, 24>& buf, std::string_view& out) {
  size_t n = 0;
  for (char c : v) {
    if (c == ' ' || c == '-') continue;
    if (!is_digit(c) || n == buf.size()) return false;
    buf[n++] = c;
  }
  out = std::string_view(buf.data(), n);
  return n > 0;
}

}  // namespace

size_t find_sensitive(std::string_view s, std::span<SensitiveMatch> out) {
  MatchWriter w(out);
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '-') {
      if (const size_t e = match_private_key(s, i)) {
        w.add(SensitiveClass::PrivateKey, i, e);
        i = e;
        continue;
      }
    }
    if (!is_token_char(c) && c != '(') {
      ++i;
      continue;
    }
    if (is_digit(c) || c == '+' || c == '(') {
      SensitiveClass cls{};
      if (const size_t e = match_number(s, i, cls)) {
        w.add(cls, i, e);
        i = e;
        continue;
      }
      if (c == '(') {
        ++i;
        continue;
      }
    }
    size_t j = i;
    while (j < s.size() && is_token_char(s[j])) ++j;
    // A sentence-ending dot is not part of an address or a token.
    size_t e = j;
    while (e > i && s[e - 1] == '.') --e;
    // IBANs are often printed in groups of four: "DE89 3704 0044 0532 0130 00".
    if (e - i == 4 && is_upper(c) && is_upper(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
        e < s.size() && s[e] == ' ') {
      std::array<char, 34> iban{};
      size_t n = 0, k = i, iban_end = 0;
      while (k < s.size() && n < iban.size()) {
        if (upper_or_digit(s[k])) {
          iban[n++] = s[k++];
          if (n >= 15 && (k == s.size() || !upper_or_digit(s[k])) && iban_valid({iban.data(), n}))
            iban_end = k;
        } else if (s[k] == ' ' && k + 1 < s.size() && upper_or_digit(s[k + 1])) {
          ++k;
        } else {
          break;
        }
      }
      if (iban_end) {
        w.add(SensitiveClass::Iban, i, iban_end);
        i = iban_end;
        continue;
      }
    }
    SensitiveClass cls{};
    if (classify_token(s.substr(i, e - i), cls)) {
      w.add(cls, i, e);
    } else if (is_digit(c)) {
      // "123 4111111111111111": the joined run failed; retry after the first group.
      size_t k = i;
      while (k < s.size() && is_digit(s[k])) ++k;
      j = k;
    }
    i = j > i ? j : i + 1;
  }
  return w.total();
}

SensitiveMask classify_field(std::string_view key, std::string_view value) {
  std::array<SensitiveMatch, 16> matches;
  const size_t n = find_sensitive(value, matches);
  SensitiveMask m = 0;
  for (size_t k = 0; k < n && k < matches.size(); ++k) m |= sensitive_bit(matches[k].cls);
  if (n > matches.size()) {
    // More matches than we keep ranges for: the classes still count.
    std::array<SensitiveMatch, 1> one;
    size_t off = matches.back().end;
    while (off < value.size() && find_sensitive(value.substr(off), one) > 0) {
      m |= sensitive_bit(one[0].cls);
      off += one[0].end;
    }
  }
  if (value.empty() || value == "null") return m;
  const SensitiveMask by_key = classes_for_key(key);
  if (by_key == 0) return m;
  std::array<char, 24> buf;
  std::string_view digits;
  const bool numeric = compact_digits(value, buf, digits);
  if (by_key & sensitive_bit(SensitiveClass::UsSsn)) {
    if (numeric && ssn_valid(digits)) m |= by_key;
  } else if (by_key & sensitive_bit(SensitiveClass::Phone)) {
    std::string_view v = value;
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    size_t nd = 0;
    bool ok = true;
    for (char c : v) {
      if (is_digit(c)) ++nd;
      else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') ok = false;
    }
    if (ok && nd >= 7 && nd <= 15) m |= by_key;
  } else if (by_key & sensitive_bit(SensitiveClass::Email)) {
    if (looks_like_email(value)) m |= by_key;
  } else if (by_key & sensitive_bit(SensitiveClass::Pan)) {
    if (numeric && digits.size() >= 12 && digits.size() <= 19) m |= by_key;
  } else if (by_key & sensitive_bit(SensitiveClass::Iban)) {
    if (value.size() >= 15) m |= by_key;
  } else {
    m |= by_key;  // names, addresses, passwords, health and financial markers
  }
  return m;
}

SensitiveMask classify_field(std::string_view key, std::string_view value,
                             const CustomDetectorSet* custom, CustomScratch* scratch) {
  SensitiveMask m = classify_field(key, value);
  if (custom && scratch && custom->matches(key, value, *scratch)) m |= sensitive_bit(SensitiveClass::Custom);
  return m;
}

}  // namespace weir::detect
