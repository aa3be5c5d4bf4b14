#pragma once
// The chunk script of the HTTP/1 and HTTP/2 parser fuzz targets:
// [control byte][length byte][length bytes]... Control bit 0 picks the
// direction, bit 1 marks end of stream (where the target asks for it), bit 2
// makes the sink block. Each chunk is a fresh heap buffer overwritten right
// after feed(), so a view kept past it reads garbage that ASan or the checks
// notice. Aborts when feed() breaks its contract (parser.h): more consumed
// than given, Ok without taking everything, or anything but a repeated stop
// with consumed == 0 after a stop.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "parsers/parser.h"
#include "tests/fuzz/touching_sink.h"

namespace weir::parse::fuzz {

struct ScriptOptions {
  bool end_of_stream_bit = false;  ///< control bit 1 sets StreamChunk::end_of_stream
};

/// Feeds `parser` the script in data[pos, size); `after_feed()` runs after
/// each feed's checks, while the chunk's buffer still holds its bytes.
template <typename AfterFeed>
void run_chunk_script(Parser& parser, TouchingSink& sink, const uint8_t* data, size_t size, size_t pos,
                      ScriptOptions options, AfterFeed after_feed) {
  bool stopped = false;
  while (pos + 2 <= size) {
    const uint8_t control = data[pos];
    size_t len = data[pos + 1];
    pos += 2;
    if (len > size - pos) len = size - pos;
    auto buf = std::make_unique<uint8_t[]>(len + 1);
    std::memcpy(buf.get(), data + pos, len);
    pos += len;
    StreamChunk chunk;
    chunk.direction = (control & 1) ? Direction::Response : Direction::Request;
    if (options.end_of_stream_bit) chunk.end_of_stream = (control & 2) != 0;
    chunk.bytes = {buf.get(), len};
    sink.block_ = (control & 4) != 0;
    const FeedResult r = parser.feed(chunk, sink);
    if (r.consumed > len) std::abort();
    if (stopped && (r.status == FeedStatus::Ok || r.consumed != 0)) std::abort();
    if (r.status != FeedStatus::Ok) stopped = true;
    if (r.status == FeedStatus::Ok && r.consumed != len) std::abort();
    after_feed();
    std::memset(buf.get(), 0xA5, len);  // stale views would now read garbage
  }
}

}  // namespace weir::parse::fuzz
