// A zero-length message is complete as soon as its prefix is: gRPC sends
// those for empty requests (google.protobuf.Empty).
#include "parsers/grpc/grpc_framer.h"

namespace weir::parse {

size_t GrpcFramer::next(std::span<const uint8_t> data, std::span<const uint8_t>& message,
                        bool& done) {
  message = {};
  done = false;
  size_t taken = 0;
  while (have_ < 5 && taken < data.size()) {
    prefix_[have_++] = data[taken++];
    if (have_ == 5) {
      length_ = (uint32_t{prefix_[1]} << 24) | (uint32_t{prefix_[2]} << 16) |
                (uint32_t{prefix_[3]} << 8) | prefix_[4];
      got_ = 0;
    }
  }
  if (have_ < 5) return taken;
  const size_t want = length_ - got_;
  const size_t take = want < data.size() - taken ? want : data.size() - taken;
  message = data.subspan(taken, take);
  got_ += static_cast<uint32_t>(take);
  taken += take;
  if (got_ == length_) {
    done = true;
    have_ = 0;
    ++count_;
  }
  return taken;
}

}  // namespace weir::parse
