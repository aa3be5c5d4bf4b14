#pragma once
// The shape of a parameter value, as the inventory keeps it: JSON-ish type,
// length and a format class (uuid, email, date, ...). Values themselves never
// leave the worker; their shapes do.

#include <cstdint>
#include <string_view>

namespace weir::detect {

enum class ValueType : uint8_t { Null, Boolean, Integer, Number, String, Object, Array, Count };

enum class ValueFormat : uint8_t {
  None,
  Uuid,
  Email,
  Date,      ///< 2026-12-04
  DateTime,  ///< RFC 3339 / ISO 8601 with time
  Ipv4,
  Ipv6,
  Url,
  Hex,       ///< >= 8 hex digits with at least one letter and one digit
  Base64,
  Jwt,
  Phone,
  NumericId,  ///< integer of 1..19 digits used as an identifier
  Count
};

const char* value_type_name(ValueType t);
const char* value_format_name(ValueFormat f);
bool value_type_from_name(std::string_view name, ValueType& out);
bool value_format_from_name(std::string_view name, ValueFormat& out);

struct ValueShape {
  ValueType type = ValueType::String;
  ValueFormat format = ValueFormat::None;
};

/// Infers the shape of a value given as text (query args, headers, form
/// fields and JSON leaves all arrive as text: JSON strings that look like
/// numbers are read as numbers, the flattener does not keep the quotes).
ValueShape infer_shape(std::string_view value);

/// The format alone (used by path templating on segments too).
ValueFormat infer_format(std::string_view value);

}  // namespace weir::detect
