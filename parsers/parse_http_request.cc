// The parser object lives on the stack here; in the dataplane it lives in
// the flow's slot. Both go through ParserApi::make.
#include "parsers/parse_http_request.h"

#include "parsers/http1/http1_parser.h"

namespace weir::parse {

FeedResult parse_http_request(std::string_view raw, TransactionSink& sink,
                              ParserWorkspace& workspace) {
  Http1Parser parser(workspace);
  StreamChunk chunk;
  chunk.direction = Direction::Request;
  chunk.bytes = {reinterpret_cast<const uint8_t*>(raw.data()), raw.size()};
  chunk.end_of_stream = true;
  return parser.feed(chunk, sink);
}

FeedResult parse_http_request(std::string_view raw, TransactionSink& sink) {
  ParserWorkspace workspace;
  return parse_http_request(raw, sink, workspace);
}

}  // namespace weir::parse
