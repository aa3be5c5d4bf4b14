// Adding a parser is one line in kParsers.
#include "parsers/registry.h"

#include <array>

#include "parsers/http1/http1_parser.h"
#include "parsers/websocket/websocket_parser.h"
#include "parsers/http2/http2_parser.h"

namespace weir::parse {
namespace {

constexpr std::array kParsers = {
    ParserApi{.name = "http1",
              .state_size = sizeof(Http1Parser),
              .state_align = alignof(Http1Parser),
              .make = &make_http1_parser},
    ParserApi{.name = "websocket",
              .state_size = sizeof(WebSocketParser),
              .state_align = alignof(WebSocketParser),
              .make = &make_websocket_parser},
    ParserApi{.name = "http2",
              .state_size = sizeof(Http2Parser),
              .state_align = alignof(Http2Parser),
              .make = &make_http2_parser},
};

}  // namespace

std::span<const ParserApi> parser_registry() { return kParsers; }

const ParserApi* find_parser(std::string_view name) {
  for (const auto& api : kParsers) {
    if (name == api.name) return &api;
  }
  return nullptr;
}

}  // namespace weir::parse
