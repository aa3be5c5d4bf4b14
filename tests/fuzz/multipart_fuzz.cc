// libFuzzer target for the multipart splitter. Input: [flags byte] then the
// Content-Type value up to the first '\n', then the body. Flag bit 0 marks
// the body truncated; bit 1 lowers the field cap. The body sits in a heap
// buffer with exactly JsonFlattener::kPadding bytes after it, as a body slab
// has, so a read past the padding is an ASan error.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "fuzz_reader.h"
#include "parsers/multipart/multipart_splitter.h"
#include "parsers/parser_workspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weir::parse;
  static const ParseLimits limits = [] {
    ParseLimits l;
    l.max_body_inspect = 4096;
    l.max_fields = 128;
    l.max_json_depth = 6;
    l.max_json_fields = 32;
    l.max_multipart_depth = 3;
    return l;
  }();
  static ParserWorkspace ws(limits, [] {
    WorkspaceSizes s;
    s.arena_bytes = 256 * 1024;
    s.head_slabs = s.body_slabs = s.inflate_slabs = 1;
    s.brotli_memory_bytes = 4096;
    return s;
  }());
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const char* text = reinterpret_cast<const char*>(data + 1);
  const size_t n = size - 1;
  const auto* nl = static_cast<const char*>(std::memchr(text, '\n', n));
  const size_t type_len = nl != nullptr ? static_cast<size_t>(nl - text) : n;
  const std::string_view content_type(text, type_len);
  const size_t body_off = nl != nullptr ? type_len + 1 : n;
  const size_t body_len = n - body_off;
  if (body_len > limits.max_body_inspect) return 0;
  auto body = std::make_unique<char[]>(body_len + JsonFlattener::kPadding);
  std::memcpy(body.get(), text + body_off, body_len);
  std::memset(body.get() + body_len, 0, JsonFlattener::kPadding);

  ws.arena().reset();
  FieldList fields(ws.arena(), (flags & 2) != 0 ? 4 : limits.max_fields);
  FindingList findings(ws.arena(), 16);
  split_multipart({body.get(), body_len}, content_type, (flags & 1) != 0, ws, fields, findings);
  uint64_t sum = 0;
  for (const Field& f : fields.view()) {
    FUZZ_CHECK(f.zone == Zone::BodyMultipart || f.zone == Zone::BodyRaw || f.zone == Zone::BodyFile);
    for (char c : f.name) sum += static_cast<uint8_t>(c);
    for (char c : f.value) sum += static_cast<uint8_t>(c);
  }
  // A body with text that is not a delimiter line is never silently
  // dropped: some field or finding says what happened to it.
  bool only_delimiters = true;
  for (size_t i = 0; i < body_len && only_delimiters; ++i) {
    const char c = body[i];
    only_delimiters = c == '-' || c == '\r' || c == '\n' || c == ' ' || c == '\t' ||
                      content_type.find(c) != std::string_view::npos;
  }
  if (!only_delimiters) FUZZ_CHECK(fields.size() > 0 || findings.size() > 0);
  return static_cast<int>(sum & 0);
}
