// Sizing is decided here once so that no later call can grow anything.
#include "parsers/parser_workspace.h"

namespace weir::parse {

ParserWorkspace::ParserWorkspace(const ParseLimits& limits, const WorkspaceSizes& sizes)
    : limits_(limits),
      arena_(sizes.arena_bytes),
      head_slabs_(limits.max_head_bytes, sizes.head_slabs),
      body_slabs_(limits.max_body_inspect + JsonFlattener::kPadding, sizes.body_slabs),
      json_(limits),
      heap_(sizes.heap_bytes),
      decoder_(limits, sizes.brotli_memory_bytes),
      graphql_(limits),
      xml_(limits),
      inflate_slabs_(InflateStream::kMemoryBytes, sizes.inflate_slabs) {}

}  // namespace weir::parse
