#pragma once
// Test harness: one workspace, one HTTP/2 parser, one recording sink; bytes
// fed per direction in pieces of any size, each piece in a buffer that dies
// after feed() (a view kept past it reads garbage).

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "../recording_sink.h"
#include "parsers/http2/http2_parser.h"
#include "parsers/parser_workspace.h"

namespace weir::parse::testing {

inline WorkspaceSizes h2_test_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 512 * 1024;
  s.head_slabs = 2;
  s.body_slabs = 2;
  s.heap_bytes = 8 << 20;
  s.inflate_slabs = 1;
  s.brotli_memory_bytes = 1 << 20;  // the split tests build hundreds of workspaces
  return s;
}

class Http2Harness {
 public:
  explicit Http2Harness(Http2Parser::Start start = Http2Parser::Start::ClientPreface,
                        const Http2Limits& h2 = {}, const ParseLimits& limits = {},
                        const WorkspaceSizes& sizes = h2_test_sizes())
      : ws(limits, sizes), parser(std::make_unique<Http2Parser>(ws, start, h2)) {}

  FeedResult feed(std::string_view bytes, Direction dir = Direction::Request, size_t step = 0) {
    FeedResult total;
    size_t pos = 0;
    do {
      const size_t n = step == 0 ? bytes.size() - pos : std::min(step, bytes.size() - pos);
      std::string piece(bytes.substr(pos, n));
      FeedResult r = parser->feed(chunk_of(piece, dir), sink);
      piece.assign(piece.size(), '#');
      total.decisions += r.decisions;
      total.consumed += r.consumed;
      total.status = r.status;
      total.error = r.error;
      pos += n;
      if (r.status != FeedStatus::Ok) return total;
    } while (pos < bytes.size());
    return total;
  }
  FeedResult client(std::string_view bytes, size_t step = 0) {
    return feed(bytes, Direction::Request, step);
  }
  FeedResult server(std::string_view bytes, size_t step = 0) {
    return feed(bytes, Direction::Response, step);
  }

  ParserWorkspace ws;
  std::unique_ptr<Http2Parser> parser;
  RecordingSink sink;
};

}  // namespace weir::parse::testing
