// libFuzzer target for the body content decoder. Input: [coding byte]
// [flags byte] then the encoded body. The coding byte picks a coding list
// (single codings, stacks, unknown); flag bit 0 marks the input truncated.
// Caps are small so the bomb and output-truncation paths are reached; the
// checks are the decoder's promises: bounded output, a status that matches
// what came out, and a finding whenever decoding did not complete.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "fuzz_reader.h"
#include "parsers/arena.h"
#include "parsers/encoding/content_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weir::parse;
  static const ParseLimits limits = [] {
    ParseLimits l;
    l.max_body_inspect = 2048;
    l.max_decoded_bytes = 256 * 1024;
    l.decode_ratio_floor = 32 * 1024;
    l.max_decode_ratio = 40;
    return l;
  }();
  static ContentDecoder decoder(limits, 1 << 20);
  static Arena arena(16 * 1024);
  static constexpr const char* kCodings[] = {"gzip", "deflate", "br", "gzip, br", "br, deflate",
                                             "deflate, gzip", "x-gzip, identity", "zstd"};
  FuzzReader in(data, size);
  const char* header = kCodings[in.u8() % (sizeof(kCodings) / sizeof(kCodings[0]))];
  const bool truncated = (in.u8() & 1) != 0;
  const size_t skip = size < 2 ? size : 2;
  const size_t len = size - skip;
  auto input = std::make_unique<char[]>(len + 1);
  if (len > 0) std::memcpy(input.get(), data + skip, len);

  CodingList codings;
  append_codings(header, false, codings);
  arena.reset();
  FindingList findings(arena, 16);
  const DecodedBody d = decoder.decode(codings, {input.get(), len}, truncated, findings);
  uint64_t sum = 0;
  for (char c : d.bytes) sum += static_cast<uint8_t>(c);
  if (d.status != DecodeStatus::Failed || d.bytes.data() != input.get()) {
    FUZZ_CHECK(d.bytes.size() <= limits.max_body_inspect);
    // The padding after decoded bytes is readable and zeroed for JSON.
    FUZZ_CHECK(d.bytes.data()[d.bytes.size()] == 0);
  }
  if (d.status == DecodeStatus::Complete) FUZZ_CHECK(d.decoded_total == d.bytes.size());
  if (d.status == DecodeStatus::Failed || d.status == DecodeStatus::Bomb) FUZZ_CHECK(findings.size() > 0);
  // A layer stops within one step of its cap: bounded work per body.
  FUZZ_CHECK(d.decoded_total <= limits.max_decoded_bytes + 64 * 1024);
  return static_cast<int>(sum & 0);
}
