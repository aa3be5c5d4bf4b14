#pragma once
// JsonFlattener: turns a JSON document into one field per leaf, named by its
// path ("user.address[0].street"). Strings are the decoded JSON strings (what
// the application sees); numbers, booleans and null keep their text. A string
// that itself holds a JSON object/array is flattened one level deeper under
// its own path. Malformed input, the depth cap and the field cap are
// findings; whatever could not be flattened is still emitted raw so that no
// byte escapes inspection. Holds two simdjson parsers sized at start-up.

#include <cstddef>
#include <memory>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/parse_limits.h"

namespace weir::parse {

enum class JsonStatus : uint8_t {
  Ok,         ///< every leaf emitted
  Malformed,  ///< not valid JSON: finding + the document as one raw field
  Capped,     ///< depth or field cap reached: finding + raw remainder
};

class JsonFlattener {
 public:
  /// Bytes that must be readable after the document (simdjson reads ahead).
  static constexpr size_t kPadding = 64;

  explicit JsonFlattener(const ParseLimits& limits);
  ~JsonFlattener();
  JsonFlattener(const JsonFlattener&) = delete;
  JsonFlattener& operator=(const JsonFlattener&) = delete;

  /// `doc` must be followed by kPadding readable bytes. Leaves go to `fields`
  /// under `zone`; paths and copies are made in `arena`. A document larger
  /// than the configured body limit is Malformed ("json.too_large").
  JsonStatus flatten(std::string_view doc, Zone zone, Arena& arena, FieldList& fields,
                     FindingList& findings);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace weir::parse
