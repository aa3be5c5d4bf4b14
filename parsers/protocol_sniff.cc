// Protocol detection by content (see protocol_sniff.h).

#include "parsers/protocol_sniff.h"

#include <algorithm>
#include <string_view>

namespace weir::parse {
namespace {

constexpr std::string_view kH2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// RFC 9110 methods are tokens; real ones are upper-case letters and '-'
// (e.g. VERSION-CONTROL). Longest registered method name is 17 bytes.
constexpr size_t kMaxMethod = 24;

bool method_char(uint8_t c) { return (c >= 'A' && c <= 'Z') || c == '-' || c == '_'; }

}  // namespace

const char* sniff_result_name(SniffResult r) {
  switch (r) {
    case SniffResult::NeedMore: return "need_more";
    case SniffResult::Http1: return "http1";
    case SniffResult::Http2: return "http2";
    case SniffResult::Tls: return "tls";
    case SniffResult::Unknown: return "unknown";
  }
  return "unknown";
}

SniffResult sniff_client_protocol(std::span<const uint8_t> b) {
  if (b.empty()) return SniffResult::NeedMore;
  // TLS record: handshake (22), version major 3.
  if (b[0] == 0x16) {
    if (b.size() < 2) return SniffResult::NeedMore;
    return b[1] == 0x03 ? SniffResult::Tls : SniffResult::Unknown;
  }
  // The preface is also a valid-looking "PRI " request line: test it first.
  size_t n = std::min(b.size(), kH2Preface.size());
  if (std::equal(b.begin(), b.begin() + static_cast<long>(n), kH2Preface.begin())) {
    return n == kH2Preface.size() ? SniffResult::Http2 : SniffResult::NeedMore;
  }
  size_t i = 0;
  while (i < b.size() && i <= kMaxMethod && method_char(b[i])) ++i;
  if (i == b.size()) return i <= kMaxMethod ? SniffResult::NeedMore : SniffResult::Unknown;
  if (i == 0 || i > kMaxMethod) return SniffResult::Unknown;
  return b[i] == ' ' ? SniffResult::Http1 : SniffResult::Unknown;
}

}  // namespace weir::parse
