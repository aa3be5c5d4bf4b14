// libFuzzer target for the HTTP/2 parser. Input: [mode byte] then a script
// of chunks [control][length][bytes]...; mode 0 starts with the client
// preface, 1 after it (as after the HTTP/1 hand-off), 2 as an h2c upgrade.
// Control bit 0 picks the direction, bit 2 makes the sink block. Each chunk
// is a fresh heap buffer overwritten right after feed(), so a view kept past
// it reads garbage that ASan or the checks below notice; the sink touches
// every byte it is shown. Small limits make the caps and floods reachable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "parsers/http2/http2_parser.h"
#include "parsers/parser_workspace.h"
#include "tests/fuzz/chunk_script.h"
#include "tests/fuzz/touching_sink.h"

namespace {

using namespace weir::parse;

using fuzz::TouchingSink;

ParseLimits small_limits() {
  ParseLimits l;
  l.max_head_bytes = 2048;
  l.max_body_inspect = 1024;
  l.max_fields = 64;
  l.max_json_depth = 6;
  l.max_json_fields = 32;
  return l;
}

Http2Limits small_h2_limits() {
  Http2Limits l;
  l.max_streams = 8;
  l.max_continuations = 4;
  l.max_header_block_bytes = 4096;
  l.flood_window_frames = 64;
  l.max_rapid_resets = 8;
  l.max_settings_frames = 8;
  l.max_ping_frames = 8;
  l.heap_budget = 256 * 1024;
  l.max_protobuf_depth = 6;
  return l;
}

WorkspaceSizes small_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 128 * 1024;
  s.head_slabs = 2;
  s.body_slabs = 2;
  s.heap_bytes = 1 << 20;
  s.inflate_slabs = 1;
  s.brotli_memory_bytes = 1 << 20;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ParserWorkspace workspace(small_limits(), small_sizes());
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 3;
  TouchingSink sink;
  {
    Http2Parser parser(workspace,
                       mode == 1 ? Http2Parser::Start::AfterPreface : Http2Parser::Start::ClientPreface,
                       small_h2_limits());
    if (mode == 2) parser.start_upgraded({.http2_settings = "AAMAAABkAAQAoAAAAAIAAAAA"});
    fuzz::run_chunk_script(parser, sink, data, size, 1, {}, [&] {
      if (parser.heap_used() > small_h2_limits().heap_budget) std::abort();
    });
  }
  // Every flow gave its memory back.
  if (workspace.heap().in_use() != 0) std::abort();
  return 0;
}
