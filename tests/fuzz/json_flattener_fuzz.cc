// libFuzzer target for the JSON flattener: any bytes as a document, with
// small caps so the depth, field and nested-JSON paths are all reached.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/json/json_flattener.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weir::parse;
  static const ParseLimits limits = [] {
    ParseLimits l;
    l.max_body_inspect = 4096;
    l.max_json_depth = 8;
    l.max_json_fields = 64;
    return l;
  }();
  static JsonFlattener flattener(limits);
  static Arena arena(256 * 1024);
  arena.reset();
  auto buf = std::make_unique<char[]>(size + JsonFlattener::kPadding);
  std::memcpy(buf.get(), data, size);
  std::memset(buf.get() + size, 0, JsonFlattener::kPadding);
  FieldList fields(arena, 128);
  FindingList findings(arena, 8);
  const JsonStatus st =
      flattener.flatten({buf.get(), size}, Zone::BodyJson, arena, fields, findings);
  uint64_t sum = 0;
  for (const Field& f : fields.view()) {
    for (char c : f.name) sum += static_cast<uint8_t>(c);
    for (char c : f.value) sum += static_cast<uint8_t>(c);
  }
  // Never a silent skip: a document that was not fully flattened says why.
  if (st != JsonStatus::Ok && findings.size() == 0) std::abort();
  return static_cast<int>(sum & 0);
}
