#pragma once
// Values of GraphQL string tokens as the server sees them: escapes decoded
// for "..." strings, the block-string algorithm (common indentation and
// blank first/last lines removed, \""" unescaped) for """...""" strings.
// Signatures then match what the resolver receives, not the escaped source.

#include <string_view>

#include "parsers/arena.h"
#include "parsers/graphql/graphql_lexer.h"

namespace weir::parse {

/// `token` is the token text including its quotes (kind String or
/// BlockString). A value that needs no rewriting is returned as a view into
/// `token`; otherwise it is built in `arena`. An arena that is full yields
/// the raw token text, so the bytes are still inspected.
std::string_view graphql_string_value(std::string_view token, GqlToken kind, Arena& arena);

}  // namespace weir::parse
