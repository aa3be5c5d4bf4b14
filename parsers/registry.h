#pragma once
// The parser plug-in table: one ParserApi per protocol parser.

#include <span>
#include <string_view>

#include "parsers/parser.h"

namespace weir::parse {

std::span<const ParserApi> parser_registry();
/// The parser called `name` ("http1"), or nullptr.
const ParserApi* find_parser(std::string_view name);

}  // namespace weir::parse
