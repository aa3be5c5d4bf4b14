#pragma once
// Framing for the dataplane <-> control channel: a little-endian u32 length
// then one serialized weir.ipc.Envelope. FrameReader accumulates bytes from a
// non-blocking socket and yields whole envelopes; a length over kMaxFrame or
// an unparsable envelope is a protocol error (the peer is dropped, never
// trusted further). No exceptions: both processes use this.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "control/ipc/weir_ipc.pb.h"

namespace weir::ipc {

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr uint32_t kMaxFrame = 16u << 20;  ///< 16 MiB, a config plus margin

/// Appends the frame for `env` to `out`. Returns false if it would exceed
/// kMaxFrame (nothing is appended then).
bool append_frame(const Envelope& env, std::string& out);

enum class FrameStatus : uint8_t { Ok, NeedMore, TooLarge, Malformed };

/// Incremental decoder. feed() bytes as they arrive, then call next() until
/// it returns NeedMore. After TooLarge or Malformed the stream is unusable.
class FrameReader {
 public:
  void feed(const char* data, size_t len);
  FrameStatus next(Envelope& out);
  size_t buffered() const { return buf_.size() - pos_; }
  void clear() { buf_.clear(); pos_ = 0; }

 private:
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace weir::ipc
