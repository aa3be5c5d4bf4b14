// libFuzzer target for the HTTP/1 parser. The input is a script of chunks:
// [control byte][length byte][length bytes]... control bit 0 picks the
// direction, bit 1 marks end of stream, bit 2 makes the sink block. Each chunk
// is a fresh heap buffer freed right after feed(), so a field that outlives
// its chunk is a use-after-free ASan reports; the sink reads every byte of
// every field it is shown.
#include <cstddef>
#include <cstdint>

#include "parsers/http1/http1_parser.h"
#include "parsers/parser_workspace.h"
#include "tests/fuzz/chunk_script.h"
#include "tests/fuzz/touching_sink.h"

namespace {

using namespace weir::parse;

using fuzz::TouchingSink;

ParseLimits small_limits() {
  ParseLimits l;
  l.max_head_bytes = 2048;
  l.max_line_bytes = 256;
  l.max_headers = 16;
  l.max_body_inspect = 1024;
  l.max_fields = 64;
  l.max_json_depth = 6;
  l.max_json_fields = 32;
  l.max_pipeline = 4;
  return l;
}

WorkspaceSizes small_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 64 * 1024;
  s.head_slabs = 2;
  s.body_slabs = 2;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ParserWorkspace workspace(small_limits(), small_sizes());
  TouchingSink sink;
  Http1Parser parser(workspace);
  fuzz::run_chunk_script(parser, sink, data, size, 0, {.end_of_stream_bit = true}, [] {});
  return 0;
}
