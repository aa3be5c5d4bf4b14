#pragma once
// Test-side HTTP/2 encoder: frames built by hand (so tests can make any
// malformed one) and header blocks encoded by nghttp2's real HPACK deflater,
// one per direction as a real peer keeps it.

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/http2/http2_frame.h"

namespace weir::parse::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

inline std::string frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
  std::string f;
  const auto len = static_cast<uint32_t>(payload.size());
  f.push_back(static_cast<char>(len >> 16));
  f.push_back(static_cast<char>(len >> 8));
  f.push_back(static_cast<char>(len));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  f.push_back(static_cast<char>(stream >> 24));
  f.push_back(static_cast<char>(stream >> 16));
  f.push_back(static_cast<char>(stream >> 8));
  f.push_back(static_cast<char>(stream));
  f.append(payload);
  return f;
}

inline std::string u32(uint32_t v) {
  std::string s;
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}

inline std::string settings(std::vector<std::pair<uint16_t, uint32_t>> entries = {}) {
  std::string p;
  for (auto [id, v] : entries) {
    p.push_back(static_cast<char>(id >> 8));
    p.push_back(static_cast<char>(id));
    p += u32(v);
  }
  return frame(0x4, 0, 0, p);
}
inline std::string settings_ack() { return frame(0x4, 0x1, 0, {}); }
inline std::string data(uint32_t stream, std::string_view body, bool end_stream = true) {
  return frame(0x0, end_stream ? 0x1 : 0, stream, body);
}
inline std::string padded_data(uint32_t stream, std::string_view body, uint8_t pad,
                               bool end_stream = true) {
  std::string p(1, static_cast<char>(pad));
  p.append(body);
  p.append(pad, '\0');
  return frame(0x0, static_cast<uint8_t>((end_stream ? 0x1 : 0) | 0x8), stream, p);
}
inline std::string rst_stream(uint32_t stream, uint32_t code = 8) {
  return frame(0x3, 0, stream, u32(code));
}
inline std::string ping(bool ack = false) { return frame(0x6, ack ? 1 : 0, 0, std::string(8, 'p')); }
inline std::string window_update(uint32_t stream, uint32_t inc) {
  return frame(0x8, 0, stream, u32(inc));
}
inline std::string priority(uint32_t stream, uint32_t dep) {
  return frame(0x2, 0, stream, u32(dep) + std::string(1, '\x10'));
}
inline std::string goaway(uint32_t last) { return frame(0x7, 0, 0, u32(last) + u32(0)); }

/// One direction's HPACK encoder.
class HpackEncoder {
 public:
  explicit HpackEncoder(size_t table = 4096) { nghttp2_hd_deflate_new(&deflater_, table); }
  ~HpackEncoder() { nghttp2_hd_deflate_del(deflater_); }
  HpackEncoder(const HpackEncoder&) = delete;
  HpackEncoder& operator=(const HpackEncoder&) = delete;

  std::string encode(const HeaderList& headers) {
    std::vector<nghttp2_nv> nva;
    for (const auto& [n, v] : headers) {
      nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(n.data())),
                     reinterpret_cast<uint8_t*>(const_cast<char*>(v.data())), n.size(), v.size(),
                     NGHTTP2_NV_FLAG_NONE});
    }
    std::string out(nghttp2_hd_deflate_bound(deflater_, nva.data(), nva.size()), '\0');
    const ssize_t n = nghttp2_hd_deflate_hd(deflater_, reinterpret_cast<uint8_t*>(out.data()),
                                            out.size(), nva.data(), nva.size());
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
  }
  /// The encoder learned the peer's new SETTINGS_HEADER_TABLE_SIZE.
  void change_table_size(size_t size) { nghttp2_hd_deflate_change_table_size(deflater_, size); }

 private:
  nghttp2_hd_deflater* deflater_ = nullptr;
};

inline std::string headers_frame(uint32_t stream, std::string_view block, bool end_stream,
                                 bool end_headers = true, uint8_t extra_flags = 0) {
  const uint8_t flags = static_cast<uint8_t>((end_stream ? 0x1 : 0) | (end_headers ? 0x4 : 0) |
                                             extra_flags);
  return frame(0x1, flags, stream, block);
}
inline std::string continuation(uint32_t stream, std::string_view block, bool end_headers) {
  return frame(0x9, end_headers ? 0x4 : 0, stream, block);
}

inline HeaderList get_request(std::string path = "/", std::string authority = "example.test") {
  return {{":method", "GET"}, {":scheme", "https"}, {":authority", authority}, {":path", path}};
}

inline std::string preface() { return std::string(kHttp2ClientPreface); }

}  // namespace weir::parse::testing
