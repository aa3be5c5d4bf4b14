#pragma once
// The decoded header list of one HTTP/2 message as a stream keeps it in its
// heap block: records of [u32 name length][u32 value length][name][value],
// the head first and the trailers after it. Written by the HPACK callback,
// read back at every decision of the stream.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace weir::parse {

inline constexpr uint32_t kHeaderRecordOverhead = 8;

class HeaderRecordCursor {
 public:
  HeaderRecordCursor(const uint8_t* data, uint32_t len) : p_(data), end_(data + len) {}

  bool next(std::string_view& name, std::string_view& value) {
    if (p_ == nullptr || end_ - p_ < static_cast<long>(kHeaderRecordOverhead)) return false;
    uint32_t nl = 0;
    uint32_t vl = 0;
    std::memcpy(&nl, p_, 4);
    std::memcpy(&vl, p_ + 4, 4);
    const char* n = reinterpret_cast<const char*>(p_ + kHeaderRecordOverhead);
    name = {n, nl};
    value = {n + nl, vl};
    p_ += kHeaderRecordOverhead + nl + vl;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

inline void write_header_record(uint8_t* at, std::string_view name, std::string_view value) {
  const auto nl = static_cast<uint32_t>(name.size());
  const auto vl = static_cast<uint32_t>(value.size());
  std::memcpy(at, &nl, 4);
  std::memcpy(at + 4, &vl, 4);
  if (nl > 0) std::memcpy(at + kHeaderRecordOverhead, name.data(), nl);
  if (vl > 0) std::memcpy(at + kHeaderRecordOverhead + nl, value.data(), vl);
}

}  // namespace weir::parse
