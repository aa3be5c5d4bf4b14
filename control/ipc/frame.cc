// Length-prefixed protobuf framing (see frame.h).
#include "control/ipc/frame.h"

#include <cstring>

namespace weir::ipc {

bool append_frame(const Envelope& env, std::string& out) {
  const size_t size = env.ByteSizeLong();
  if (size > kMaxFrame) return false;
  const uint32_t len = static_cast<uint32_t>(size);
  const char header[4] = {static_cast<char>(len & 0xff), static_cast<char>((len >> 8) & 0xff),
                          static_cast<char>((len >> 16) & 0xff),
                          static_cast<char>((len >> 24) & 0xff)};
  const size_t base = out.size();
  out.append(header, 4);
  out.resize(base + 4 + size);
  if (!env.SerializeToArray(out.data() + base + 4, static_cast<int>(size))) {
    out.resize(base);
    return false;
  }
  return true;
}

void FrameReader::feed(const char* data, size_t len) {
  // Compact lazily so a long-lived connection does not grow the buffer.
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(data, len);
}

FrameStatus FrameReader::next(Envelope& out) {
  if (buf_.size() - pos_ < 4) return FrameStatus::NeedMore;
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
  const uint32_t len = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                       (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
  if (len > kMaxFrame) return FrameStatus::TooLarge;
  if (buf_.size() - pos_ - 4 < len) return FrameStatus::NeedMore;
  out.Clear();
  const bool ok = out.ParseFromArray(buf_.data() + pos_ + 4, static_cast<int>(len));
  pos_ += 4 + len;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  return ok ? FrameStatus::Ok : FrameStatus::Malformed;
}

}  // namespace weir::ipc
