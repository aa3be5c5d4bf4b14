#pragma once
// Test-side protobuf wire encoding (the format is small enough to write by
// hand, and the tests must build malformed messages too).

#include <cstdint>
#include <string>
#include <string_view>

namespace weir::parse::testing {

inline std::string varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
inline std::string pb_varint(uint32_t field, uint64_t v) { return varint(field << 3) + varint(v); }
inline std::string pb_bytes(uint32_t field, std::string_view b) {
  return varint((field << 3) | 2) + varint(b.size()) + std::string(b);
}
inline std::string pb_fixed32(uint32_t field, uint32_t v) {
  std::string s = varint((field << 3) | 5);
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}
inline std::string pb_fixed64(uint32_t field, uint64_t v) {
  std::string s = varint((field << 3) | 1);
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}
/// gRPC length-prefixed message.
inline std::string grpc_frame(std::string_view message, uint8_t flags = 0) {
  std::string s(1, static_cast<char>(flags));
  const auto n = static_cast<uint32_t>(message.size());
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(n >> (8 * i)));
  s.append(message);
  return s;
}

}  // namespace weir::parse::testing
