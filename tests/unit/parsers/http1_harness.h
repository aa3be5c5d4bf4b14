#pragma once
// Test harness: one workspace, one HTTP/1 parser, one recording sink, and
// helpers that feed text in pieces of any size.

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "parsers/http1/http1_parser.h"
#include "parsers/parser_workspace.h"
#include "recording_sink.h"

namespace weir::parse::testing {

// Small pools: a test flow never needs more than one slab of each kind, and
// the split tests build hundreds of harnesses.
inline WorkspaceSizes test_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 256 * 1024;
  s.head_slabs = 4;
  s.body_slabs = 4;
  return s;
}

class Http1Harness {
 public:
  explicit Http1Harness(const ParseLimits& limits = {}, const WorkspaceSizes& sizes = test_sizes())
      : ws(limits, sizes), parser(std::make_unique<Http1Parser>(ws)) {}

  // Feeds `text` in pieces of `step` bytes (0: one piece); stops at the
  // first non-Ok result and returns it with consumed summed over pieces.
  FeedResult feed(std::string_view text, Direction dir = Direction::Request, size_t step = 0,
                  bool eos = false) {
    FeedResult total;
    size_t pos = 0;
    do {
      const size_t n = step == 0 ? text.size() - pos : std::min(step, text.size() - pos);
      // Each piece lives in its own buffer that dies after feed(), as a
      // reassembly chunk does: views kept past feed() would read garbage.
      std::string piece(text.substr(pos, n));
      const bool last = pos + n == text.size();
      FeedResult r = parser->feed(chunk_of(piece, dir, eos && last), sink);
      piece.assign(piece.size(), '#');
      total.decisions += r.decisions;
      total.consumed += r.consumed;
      total.status = r.status;
      total.upgrade = r.upgrade;
      total.error = r.error;
      pos += n;
      if (r.status != FeedStatus::Ok) return total;
    } while (pos < text.size());
    return total;
  }

  ParserWorkspace ws;
  std::unique_ptr<Http1Parser> parser;
  RecordingSink sink;
};

}  // namespace weir::parse::testing
