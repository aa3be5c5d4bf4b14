// Redaction; see redaction.h.
#include "detect/sensitive/redaction.h"

#include <array>
#include <cstring>

#include "detect/sensitive/sensitive_scanner.h"

namespace weir::detect {

namespace {

class Out {
 public:
  explicit Out(std::span<char> buf) : buf_(buf) {}
  void put(std::string_view s) {
    const size_t n = std::min(s.size(), buf_.size() - used_);
    if (n) std::memcpy(buf_.data() + used_, s.data(), n);
    used_ += n;
  }
  size_t used() const { return used_; }

 private:
  std::span<char> buf_;
  size_t used_ = 0;
};

}  // namespace

size_t redact_into(std::string_view text, std::span<char> out) {
  Out o(out);
  std::array<SensitiveMatch, 16> matches;
  size_t pos = 0;
  // Scan in rounds of up to 16 matches so that any number is redacted.
  while (pos < text.size()) {
    const std::string_view rest = text.substr(pos);
    const size_t total = find_sensitive(rest, matches);
    const size_t n = std::min(total, matches.size());
    size_t at = 0;
    for (size_t k = 0; k < n; ++k) {
      o.put(rest.substr(at, matches[k].begin - at));
      o.put("[");
      o.put(sensitive_class_name(matches[k].cls));
      o.put("]");
      at = matches[k].end;
    }
    if (total <= matches.size()) {
      o.put(rest.substr(at));
      break;
    }
    pos += at;
  }
  return o.used();
}

std::string redact(std::string_view text) {
  // A class name in brackets is at most 16 bytes; a match is at least 6.
  std::string out(text.size() * 3 + 16, '\0');
  out.resize(redact_into(text, out));
  return out;
}

bool is_clean(std::string_view text) {
  std::array<SensitiveMatch, 1> one;
  return find_sensitive(text, one) == 0;
}

}  // namespace weir::detect
