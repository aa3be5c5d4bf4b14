#pragma once
// GrpcFramer: the gRPC length-prefixed message framing inside a stream's
// DATA (1 flag byte: compressed bit 0x01, gRPC-Web trailer bit 0x80; 4-byte
// big-endian length; the message). Streaming: bytes arrive in any split and
// the framer hands back the message bytes it finds and says when a message
// is complete. It keeps no message bytes itself.

#include <cstddef>
#include <cstdint>
#include <span>

namespace weir::parse {

class GrpcFramer {
 public:
  static constexpr uint8_t kCompressedFlag = 0x01;
  static constexpr uint8_t kWebTrailerFlag = 0x80;

  /// Consumes from `data`; returns how many bytes were taken. `message`
  /// gets the message bytes among them (maybe empty); `done` is set when
  /// the current message ended at the last byte taken. Call again with the
  /// rest until everything is taken.
  size_t next(std::span<const uint8_t> data, std::span<const uint8_t>& message, bool& done);

  /// Inside a message (prefix started, message not complete).
  bool mid_message() const { return have_ > 0; }
  uint8_t flags() const { return prefix_[0]; }
  uint32_t length() const { return length_; }
  /// Messages completed so far.
  uint32_t count() const { return count_; }

 private:
  uint8_t prefix_[5] = {};
  uint8_t have_ = 0;  // prefix bytes seen; 5 while in the message body
  uint32_t length_ = 0;
  uint32_t got_ = 0;
  uint32_t count_ = 0;
};

}  // namespace weir::parse
