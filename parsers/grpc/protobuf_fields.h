#pragma once
// Schemaless protobuf decoding into fields named by field-number path
// ("1.3.2"). Without a schema a length-delimited field is ambiguous; it is
// read as, in this order: text (valid UTF-8 with no control characters
// other than TAB/CR/LF: what injections travel in), a nested message (the
// bytes parse completely as protobuf: recursed into), other valid UTF-8
// (a string), else bytes. Varints and fixed32/fixed64 values are emitted
// as unsigned decimal text. Packed repeated scalars cannot be told apart
// from bytes without a schema and are emitted as bytes. Groups (wire types
// 3/4, deprecated) make a message malformed.

#include <cstdint>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"

namespace weir::parse {

enum class ProtobufStatus : uint8_t {
  Ok,         ///< every field emitted
  Malformed,  ///< not a protobuf message: nothing emitted
  Capped,     ///< the field list filled up
};

/// True when `bytes` parses completely as protobuf fields (one level).
bool is_protobuf_message(std::string_view bytes);

/// Adds one field per scalar of `message` under `zone`; names and numbers are
/// made in `arena`, string and bytes values are views into `message`.
/// Length-delimited fields deeper than `max_depth` are not recursed into.
ProtobufStatus add_protobuf_fields(std::string_view message, Zone zone, uint32_t max_depth,
                                   Arena& arena, FieldList& fields);

/// As add_protobuf_fields, with every name under `prefix` ("3.1" becomes
/// "item.3.1"); used for fields a descriptor does not know.
ProtobufStatus add_protobuf_fields_under(std::string_view message, std::string_view prefix,
                                         Zone zone, uint32_t max_depth, Arena& arena,
                                         FieldList& fields);

/// Valid UTF-8 without control characters other than TAB, CR, LF: read as
/// text before anything else.
bool looks_like_text(std::string_view s);

/// Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace weir::parse
