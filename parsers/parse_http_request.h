#pragma once
// Offline convenience: runs the HTTP/1 parser over one complete raw request
// (and optionally its raw response), e.g. for `weirctl inspect` and tests.
// Same code path as the dataplane: a workspace, a parser, one feed per side.

#include <string_view>

#include "parsers/parser.h"
#include "parsers/parser_workspace.h"

namespace weir::parse {

/// Feeds `raw` as the request direction of a fresh HTTP/1 parser followed by
/// end of stream; pipelined requests in `raw` all reach the sink.
FeedResult parse_http_request(std::string_view raw, TransactionSink& sink,
                              ParserWorkspace& workspace);

/// As above with a workspace of default limits built for the call (start-up
/// cost: use the three-argument form in loops).
FeedResult parse_http_request(std::string_view raw, TransactionSink& sink);

}  // namespace weir::parse
