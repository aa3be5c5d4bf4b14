#pragma once
// A small JSON walker for response bodies (the HTTP/1 parser keeps them raw):
// reports each leaf with its path ("items[].id": array indexes dropped, so
// the shapes of all elements meet), its raw text and its JSON type. No
// allocation: the path lives in a fixed buffer, recursion is capped at
// kMaxDepth, malformed input stops the walk (what was seen stays reported).

#include <cstdint>
#include <string_view>

#include "detect/observe/value_shape.h"

namespace weir::detect {

struct JsonLeaf {
  std::string_view path;
  std::string_view text;  ///< string contents without quotes (escapes kept), or the literal
  ValueType type;         ///< Object/Array only for empty containers
};

/// Return false to stop the walk.
using JsonLeafFn = bool (*)(const JsonLeaf& leaf, void* ctx);

enum class JsonWalkStatus : uint8_t { Ok, Malformed, TooDeep, Stopped };

inline constexpr int kJsonWalkMaxDepth = 16;

JsonWalkStatus walk_json(std::string_view doc, JsonLeafFn fn, void* ctx);

}  // namespace weir::detect
