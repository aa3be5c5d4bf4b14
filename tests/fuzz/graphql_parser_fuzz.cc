// libFuzzer target for the GraphQL inspector: the first bytes choose the
// transport (JSON envelope, application/graphql document, GET query string)
// and small policy limits, the rest is the request. Invariants: a request
// that was not fully inspected says why (a finding) and keeps its bytes in a
// raw field; every selected operation is one of the recorded operations.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/graphql/graphql_inspector.h"
#include "tests/fuzz/fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weir::parse;
  static const ParseLimits limits = [] {
    ParseLimits l;
    l.max_body_inspect = 8192;
    l.max_json_depth = 8;
    l.max_json_fields = 64;
    return l;
  }();
  static GraphqlInspector inspector(limits);
  static JsonFlattener json(limits);
  static Arena arena(1 << 20);
  arena.reset();
  FuzzReader in(data, size);
  const uint8_t mode = in.u8();
  GraphqlPolicy policy;
  policy.max_depth = 1 + in.u8() % 16;
  policy.max_aliases = in.u8() % 8;
  policy.max_batch = 1 + in.u8() % 4;
  policy.max_fields = 1 + in.u8() % 64;
  policy.allow_introspection = (mode & 0x80) != 0;
  const std::string body = in.bytes(limits.max_body_inspect);
  auto buf = std::make_unique<char[]>(body.size() + JsonFlattener::kPadding);
  std::memcpy(buf.get(), body.data(), body.size());
  std::memset(buf.get() + body.size(), 0, JsonFlattener::kPadding);
  const std::string_view view(buf.get(), body.size());
  FieldList fields(arena, 128);
  FindingList findings(arena, 16);
  GraphqlResult result;
  GraphqlStatus st;
  switch (mode % 3) {
    case 0: st = inspector.inspect_json(view, policy, json, arena, fields, findings, result); break;
    case 1: st = inspector.inspect_document(view, {}, policy, arena, fields, findings, result); break;
    default: st = inspector.inspect_query_string(view, policy, json, arena, fields, findings, result); break;
  }
  FUZZ_CHECK(st == result.status);
  if (st != GraphqlStatus::Ok) {
    FUZZ_CHECK(findings.size() > 0);
    bool raw = false;
    for (const Field& f : fields.view()) raw = raw || f.name.empty();
    FUZZ_CHECK(raw);
  }
  FUZZ_CHECK(result.operations.size() <= GraphqlResult::kMaxOperations);
  uint64_t sum = 0;
  for (const Field& f : fields.view()) {
    for (char c : f.name) sum += static_cast<uint8_t>(c);
    for (char c : f.value) sum += static_cast<uint8_t>(c);
  }
  for (const GraphqlOperation& op : result.operations) sum += op.name.size() + op.depth;
  return static_cast<int>(sum & 0);
}
