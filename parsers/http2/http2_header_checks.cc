// Each finding is raised once per header list however often it occurs, so a
// list of a thousand bad headers costs one finding, not the finding cap.
// The byte-level checks (names, values) run only when findings are asked
// for: once per header block, at its EndOfHeaders decision; the other
// decisions of a stream (each gRPC message, END_STREAM) only split the list.
#include "parsers/http2/http2_header_checks.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace weir::parse {
namespace {

enum : uint32_t {
  kAfterRegular = 1u << 0,
  kUnknown = 1u << 1,
  kDuplicate = 1u << 2,
  kInTrailers = 1u << 3,
  kMissing = 1u << 4,
  kConnection = 1u << 5,
  kUppercase = 1u << 6,
  kBadValue = 1u << 7,
  kBadName = 1u << 8,
  kHostMismatch = 1u << 9,
};

struct FindingKind {
  uint32_t bit;
  const char* name;
  const char* detail;
  FindingSeverity severity;
};

constexpr FindingKind kKinds[] = {
    {kAfterRegular, "http2.pseudo_header_after_regular", "pseudo-header after a regular header",
     FindingSeverity::Fatal},
    {kUnknown, "http2.pseudo_header_unknown", "unknown pseudo-header", FindingSeverity::Fatal},
    {kDuplicate, "http2.pseudo_header_duplicate", "pseudo-header sent twice",
     FindingSeverity::Fatal},
    {kInTrailers, "http2.pseudo_header_in_trailers", "pseudo-header in trailers",
     FindingSeverity::Fatal},
    {kMissing, "http2.pseudo_header_missing", "required pseudo-header missing or empty",
     FindingSeverity::Fatal},
    {kConnection, "http2.connection_specific_header",
     "connection-specific header (connection, keep-alive, proxy-connection, transfer-encoding, "
     "upgrade, te other than trailers)",
     FindingSeverity::Fatal},
    {kUppercase, "http2.uppercase_header_name", "header name with upper-case letters",
     FindingSeverity::Fatal},
    {kBadValue, "http2.invalid_header_value", "CR, LF or NUL in a header value",
     FindingSeverity::Fatal},
    {kBadName, "http2.invalid_header_name", "empty header name or one with separators",
     FindingSeverity::Fatal},
    {kHostMismatch, "http2.authority_host_mismatch", ":authority and Host disagree",
     FindingSeverity::Anomaly},
};

bool is_connection_specific(std::string_view name, std::string_view value) {
  if (name == "connection" || name == "keep-alive" || name == "proxy-connection" ||
      name == "transfer-encoding" || name == "upgrade") {
    return true;
  }
  return name == "te" && !equals_ignore_case(trim_ows(value), "trailers");
}

uint32_t name_problems(std::string_view name) {
  if (name.empty()) return kBadName;
  uint32_t bits = 0;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c >= 'A' && c <= 'Z') bits |= kUppercase;
    else if (u <= 0x20 || u >= 0x7f || c == ':' || c == '"' || c == '(' || c == ')' || c == ',' ||
             c == '/' || c == ';' || c == '<' || c == '=' || c == '>' || c == '?' || c == '@' ||
             c == '[' || c == '\\' || c == ']' || c == '{' || c == '}') {
      bits |= kBadName;
    }
  }
  return bits;
}

// CR, LF or NUL anywhere in the value: 16 bytes per step (SSE2 is in every
// x86-64; header values are the bulk of a header list's bytes).
bool bad_value(std::string_view value) {
  const char* p = value.data();
  size_t n = value.size();
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i nul = _mm_setzero_si128();
  for (; n >= 16; p += 16, n -= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                     _mm_cmpeq_epi8(v, nul));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  for (; n > 0; ++p, --n) {
    if (*p == '\r' || *p == '\n' || *p == '\0') return true;
  }
  return false;
}

}  // namespace

bool classify_header_block(std::span<const HeaderLine> lines, HeaderBlockKind kind,
                           HeaderLine* regular_storage, Http2Head& out, FindingList* findings) {
  out = Http2Head{};
  uint32_t bits = 0;
  uint32_t regular = 0;
  std::string_view host;
  const bool check_bytes = findings != nullptr;
  for (const HeaderLine& h : lines) {
    if (check_bytes && bad_value(h.value)) bits |= kBadValue;
    if (!h.name.empty() && h.name[0] == ':') {
      if (regular > 0) bits |= kAfterRegular;
      if (kind == HeaderBlockKind::Trailers) {
        bits |= kInTrailers;
        continue;
      }
      std::string_view* slot = nullptr;
      if (kind == HeaderBlockKind::Request) {
        if (h.name == ":method") slot = &out.method;
        else if (h.name == ":scheme") slot = &out.scheme;
        else if (h.name == ":authority") slot = &out.authority;
        else if (h.name == ":path") slot = &out.path;
        else if (h.name == ":protocol") slot = &out.protocol;
      } else if (h.name == ":status") {
        slot = &out.status;
      }
      if (slot == nullptr) {
        bits |= kUnknown;
      } else if (slot->data() != nullptr) {
        bits |= kDuplicate;
      } else {
        // Keep a non-null view even for an empty value so a duplicate is seen.
        *slot = h.value.data() != nullptr ? h.value : std::string_view("", 0);
      }
      continue;
    }
    if (check_bytes) {
      bits |= name_problems(h.name);
      if (is_connection_specific(h.name, h.value)) bits |= kConnection;
    }
    if (h.name == "host" && host.data() == nullptr) host = h.value;
    regular_storage[regular++] = h;
  }
  if (kind == HeaderBlockKind::Request && !out.authority.empty() &&
      (host.data() == nullptr || !equals_ignore_case(out.authority, host))) {
    // :authority is the request's Host (RFC 9113 8.3.1): rules aimed at the
    // header host see it as they see HTTP/1's. A Host header that agrees is
    // that field already; one that differs stays a second value (and is a
    // finding below). Room: the :authority line itself is not in `regular`.
    std::copy_backward(regular_storage, regular_storage + regular, regular_storage + regular + 1);
    regular_storage[0] = HeaderLine{"host", out.authority};
    ++regular;
  }
  out.regular = {regular_storage, regular};
  if (kind == HeaderBlockKind::Request) {
    if (out.method == "CONNECT" && out.protocol.data() == nullptr) {
      if (out.authority.empty() || out.scheme.data() != nullptr || out.path.data() != nullptr) {
        bits |= kMissing;
      }
    } else if (out.method.empty() || out.scheme.empty() || out.path.empty()) {
      bits |= kMissing;
    }
    if (!out.authority.empty() && host.data() != nullptr && !equals_ignore_case(out.authority, host)) {
      bits |= kHostMismatch;
    }
    if (out.authority.empty() && host.data() != nullptr) out.authority = host;
  } else if (kind == HeaderBlockKind::Response) {
    const std::string_view s = out.status;
    if (s.size() != 3 || s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' ||
        s[2] > '9') {
      bits |= kMissing;
    }
  }
  if (findings == nullptr) return check_bytes;
  for (const FindingKind& k : kKinds) {
    if ((bits & k.bit) != 0) findings->add(k.name, k.detail, k.severity);
  }
  return check_bytes;
}

ParsedHead to_parsed_head(const Http2Head& head) {
  ParsedHead p;
  p.method = head.method;
  p.target = head.path;
  p.version = "HTTP/2";
  p.status = head.status;
  p.host = head.authority;
  p.headers = head.regular;
  return p;
}

}  // namespace weir::parse
