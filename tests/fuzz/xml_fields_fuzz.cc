// libFuzzer target for the XML inspector: the first bytes choose small
// limits and whether a SOAPAction header is present, the rest is the body.
// Invariants: a body that was not fully inspected says why and is kept raw;
// nothing is ever read from outside the input (there is no loader to call).
#include <cstddef>
#include <cstdint>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/xml/xml_inspector.h"
#include "tests/fuzz/fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weir::parse;
  static const ParseLimits limits = [] {
    ParseLimits l;
    l.max_body_inspect = 16384;
    return l;
  }();
  static XmlInspector inspector(limits);
  static Arena arena(1 << 20);
  arena.reset();
  FuzzReader in(data, size);
  const uint8_t mode = in.u8();
  XmlPolicy policy;
  policy.max_depth = 1 + in.u8() % 32;
  policy.max_attributes = in.u8() % 16;
  policy.max_amplification = 2.0f + static_cast<float>(in.u8() % 8);
  policy.amplification_threshold = 1024u * (1 + in.u8() % 64);
  XmlRequestInfo info;
  info.content_type = (mode & 1) != 0 ? "application/soap+xml; action=\"urn:GetUser\"" : "text/xml";
  info.soap_action = (mode & 2) != 0 ? "\"http://example.com/GetUser\"" : "";
  const std::string body = in.bytes(limits.max_body_inspect);
  FieldList fields(arena, 256);
  FindingList findings(arena, 16);
  XmlResult result;
  const XmlStatus st = inspector.inspect(body, info, policy, arena, fields, findings, result);
  FUZZ_CHECK(st == result.status);
  if (st != XmlStatus::Ok) {
    FUZZ_CHECK(findings.size() > 0);
    FUZZ_CHECK(fields.size() > 0 && fields[fields.size() - 1].zone == Zone::BodyRaw);
  }
  uint64_t sum = 0;
  for (const Field& f : fields.view()) {
    for (char c : f.name) sum += static_cast<uint8_t>(c);
    for (char c : f.value) sum += static_cast<uint8_t>(c);
  }
  return static_cast<int>(sum & 0) + static_cast<int>(result.operation.size() & 0);
}
