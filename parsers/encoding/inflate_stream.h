#pragma once
// InflateStream: a zlib inflater whose memory is a caller-provided block of
// kMemoryBytes (a slab), never the heap. zlib asks for its state once at
// open() and for its 32 KiB window at the first inflate; both are carved from
// the block, and reset() keeps them (the window size never changes: we always
// inflate with a 15-bit window, which reads any smaller window too). Used by
// the body ContentDecoder (per worker) and by WebSocket permessage-deflate
// (per flow and direction, kept across messages for context takeover).

#include <zlib.h>

#include <cstddef>
#include <cstdint>

namespace weir::parse {

class InflateStream {
 public:
  /// Enough for zlib's inflate_state and a 32 KiB window, with slack.
  static constexpr size_t kMemoryBytes = 48 * 1024;

  enum class Format : uint8_t { Raw, Zlib, Gzip };
  enum class Step : uint8_t {
    Progress,  ///< input consumed or output space filled; call again
    End,       ///< end of the compressed stream (zlib/gzip trailer, or raw final block)
    Error,     ///< the data is not valid for the format
    NoMemory,  ///< the block was too small for zlib (never with a 15-bit window)
  };

  InflateStream() = default;
  ~InflateStream() { close(); }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;

  /// Starts inflating into `memory` (kMemoryBytes, owned by the caller and
  /// kept until close()). Returns false when zlib refused.
  bool open(uint8_t* memory, Format format);
  /// Starts a new stream of `format`, keeping the memory; the window history
  /// is dropped (permessage-deflate without context takeover).
  bool reset(Format format);
  void close();
  bool is_open() const { return open_; }

  /// Inflates from [*in, *in + *in_len) into [*out, *out + *out_len) and
  /// advances both. Never blocks on missing input: returns Progress when it
  /// needs more of either.
  Step inflate(const uint8_t** in, size_t* in_len, uint8_t** out, size_t* out_len);

 private:
  static void* zalloc(void* opaque, unsigned items, unsigned size);
  static void zfree(void* opaque, void* address);
  static int window_bits(Format f);

  z_stream z_{};
  uint8_t* memory_ = nullptr;
  size_t used_ = 0;
  bool open_ = false;
};

}  // namespace weir::parse
