// Each finding is raised once per header list however often it occurs, so a
// list of a thousand bad headers costs one finding, not the finding cap.
#include "parsers/http2/http2_header_checks.h"

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

bool bad_value(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

}  // namespace

void classify_header_block(std::span<const HeaderLine> lines, HeaderBlockKind kind,
                           HeaderLine* regular_storage, Http2Head& out, FindingList* findings) {
  out = Http2Head{};
  uint32_t bits = 0;
  uint32_t regular = 0;
  std::string_view host;
  for (const HeaderLine& h : lines) {
    if (bad_value(h.value)) bits |= kBadValue;
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
    bits |= name_problems(h.name);
    if (is_connection_specific(h.name, h.value)) bits |= kConnection;
    if (h.name == "host" && host.data() == nullptr) host = h.value;
    regular_storage[regular++] = h;
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
  if (findings == nullptr) return;
  for (const FindingKind& k : kKinds) {
    if ((bits & k.bit) != 0) findings->add(k.name, k.detail, k.severity);
  }
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
