// Header names are lower-cased once here so every rule can name them one way.
#include "parsers/http1/head_fields.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "parsers/form/urlencoded_splitter.h"

namespace weir::parse {
namespace {

std::string_view number_name(uint32_t n, Arena& arena) {
  char buf[12];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  return arena.copy({buf, static_cast<size_t>(r.ptr - buf)});
}

bool add_headers(const ParsedHead& head, Zone zone, Arena& arena, FieldList& out) {
  for (const auto& h : head.headers) {
    if (!out.add(zone, lower_header_name(h.name, arena), h.value)) return false;
  }
  return true;
}

constexpr uint64_t kEachByte = 0x0101010101010101;
constexpr uint64_t kHighBits = 0x80 * kEachByte;

// 0x80 in each byte of `w` that is 'A'..'Z'. Adding to the low seven bits
// never carries into the next byte, and bytes >= 0x80 are masked out.
uint64_t upper_case_bytes(uint64_t w) {
  const uint64_t low = w & ~kHighBits;
  const uint64_t at_least_a = low + (0x80 - 'A') * kEachByte;
  const uint64_t above_z = low + (0x80 - 'Z' - 1) * kEachByte;
  return at_least_a & ~above_z & ~w & kHighBits;
}

// Asked of every header: fixed-size compares, no call. OR 0x20 folds case
// exactly because "cookie" is all letters.
bool is_cookie(std::string_view name) {
  if (name.size() != 6) return false;
  uint32_t head;
  uint16_t tail;
  std::memcpy(&head, name.data(), 4);
  std::memcpy(&tail, name.data() + 4, 2);
  uint32_t want_head;
  uint16_t want_tail;
  std::memcpy(&want_head, "cookie", 4);
  std::memcpy(&want_tail, "cookie" + 4, 2);
  return (head | 0x20202020u) == want_head && static_cast<uint16_t>(tail | 0x2020u) == want_tail;
}

}  // namespace

// Eight bytes at a time: every header name of every message comes through
// here, and most carry a capital ("Content-Type"), so most are copied. The
// last word overlaps the one before it rather than going byte by byte.
std::string_view lower_header_name(std::string_view name, Arena& arena) {
  const size_t n = name.size();
  const char* in = name.data();
  if (n >= 4 && n <= 16) {
    // Nearly every header name ("Host", "Accept", "Content-Type",
    // "Accept-Language"): two overlapping words, no loop.
    // Fixed-size copies only (4 or 8 bytes): a variable size would be a
    // memcpy call. Little-endian: the low 4 bytes of a word are its first 4.
    const bool wide = n >= 8;
    const size_t w = wide ? 8 : 4;
    auto load = [wide](const char* at) {
      if (wide) {
        uint64_t v;
        std::memcpy(&v, at, 8);
        return v;
      }
      uint32_t v;
      std::memcpy(&v, at, 4);
      return uint64_t{v};
    };
    auto store = [wide](char* at, uint64_t v) {
      if (wide) {
        std::memcpy(at, &v, 8);
      } else {
        std::memcpy(at, &v, 4);
      }
    };
    uint64_t head = load(in);
    uint64_t tail = load(in + n - w);
    const uint64_t head_upper = upper_case_bytes(head);
    const uint64_t tail_upper = upper_case_bytes(tail);
    if ((head_upper | tail_upper) == 0) return name;
    auto* p = static_cast<char*>(arena.allocate(n, 1));
    if (p == nullptr) return name;
    head |= head_upper >> 2;  // 0x80 >> 2 = 0x20: 'A' -> 'a'
    tail |= tail_upper >> 2;
    store(p + n - w, tail);
    store(p, head);
    return {p, n};
  }
  if (n < 8) {
    bool upper = false;
    for (char c : name) upper |= c >= 'A' && c <= 'Z';
    if (!upper) return name;
    auto* p = static_cast<char*>(arena.allocate(n, 1));
    if (p == nullptr) return name;
    for (size_t i = 0; i < n; ++i) p[i] = (in[i] >= 'A' && in[i] <= 'Z') ? static_cast<char>(in[i] + 32) : in[i];
    return {p, n};
  }
  auto word = [in](size_t at) {
    uint64_t w;
    std::memcpy(&w, in + at, 8);
    return w;
  };
  uint64_t upper = upper_case_bytes(word(n - 8));
  for (size_t at = 0; at + 8 <= n && upper == 0; at += 8) upper = upper_case_bytes(word(at));
  if (upper == 0) return name;
  auto* p = static_cast<char*>(arena.allocate(n, 1));
  if (p == nullptr) return name;
  auto put_lowered = [p](size_t at, uint64_t w) {
    w |= upper_case_bytes(w) >> 2;  // 0x80 >> 2 = 0x20: 'A' -> 'a'
    std::memcpy(p + at, &w, 8);
  };
  for (size_t at = 0; at + 8 <= n; at += 8) put_lowered(at, word(at));
  put_lowered(n - 8, word(n - 8));
  return {p, n};
}

TargetParts split_target(std::string_view target) {
  const size_t scheme = target.find("://");
  if (scheme != std::string_view::npos && target.substr(0, scheme).find_first_of("/?") ==
                                              std::string_view::npos) {
    std::string_view rest = target.substr(scheme + 3);
    const size_t path_start = rest.find_first_of("/?#");
    target = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  }
  target = target.substr(0, target.find('#'));
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

bool add_request_head_fields(const ParsedHead& head, Arena& arena, FieldList& out) {
  if (!out.add(Zone::Method, {}, head.method)) return false;
  const TargetParts parts = split_target(head.target);
  if (!out.add(Zone::Path, {}, parts.path)) return false;
  uint32_t index = 0;
  std::string_view rest = parts.path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (!out.add(Zone::PathSegment, number_name(index++, arena), segment)) return false;
  }
  if (!split_urlencoded(parts.query, Zone::QueryArg, out)) return false;
  const uint32_t first_header = out.size();
  if (!add_headers(head, Zone::Header, arena, out)) return false;
  const uint32_t end = out.size();
  for (uint32_t i = first_header; i < end; ++i) {
    const std::string_view name = out[i].name;  // as sent if the arena was full
    if (is_cookie(name) && !split_cookie_header(out[i].value, out))
      return false;
  }
  return true;
}

bool add_response_head_fields(const ParsedHead& head, Arena& arena, FieldList& out) {
  if (!out.add(Zone::Status, {}, head.status)) return false;
  return add_headers(head, Zone::RespHeader, arena, out);
}

}  // namespace weir::parse
