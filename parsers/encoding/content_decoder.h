#pragma once
// ContentDecoder: undoes the content codings of a complete (or truncated)
// HTTP body before field extraction: gzip, deflate (zlib-wrapped as RFC 9110
// says, or raw as many clients send), brotli, and stacks of them
// ("Content-Encoding: gzip, br" is decoded br first). One per worker, all
// memory reserved at construction: two output buffers of max_body_inspect
// bytes (+ JSON padding) used in turn by the layers, a counting buffer, the
// zlib block and a bump arena for brotli. Decompression bombs are findings
// (encoding.bomb) with a bounded amount of work, never an outage: each layer
// stops at max_decoded_bytes of output or when its output passes
// max_decode_ratio times its input (beyond decode_ratio_floor bytes).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "parsers/encoding/content_coding.h"
#include "parsers/encoding/inflate_stream.h"
#include "parsers/field_list.h"
#include "parsers/parse_limits.h"

namespace weir::parse {

enum class DecodeStatus : uint8_t {
  Complete,  ///< every layer decoded to its end: `bytes` is the whole body
  Prefix,    ///< `bytes` is a prefix: the input was truncated or the output
             ///< passed max_body_inspect (the rest was counted, not kept)
  Failed,    ///< unknown coding, malformed or incomplete data (the whole
             ///< input was there but the stream did not end), decoder memory: `bytes`
             ///< is whatever decoded before the failure (maybe empty)
  Bomb,      ///< a cap was hit: `bytes` is the prefix decoded before it
};

struct DecodedBody {
  /// Followed by JsonFlattener::kPadding readable bytes; valid until the
  /// next decode().
  std::string_view bytes;
  DecodeStatus status = DecodeStatus::Complete;
  /// Bytes the last layer produced in total (kept or only counted).
  uint64_t decoded_total = 0;
};

class ContentDecoder {
 public:
  static constexpr size_t kPadding = 64;  // >= JsonFlattener::kPadding

  ContentDecoder(const ParseLimits& limits, size_t brotli_memory_bytes);
  ~ContentDecoder();
  ContentDecoder(const ContentDecoder&) = delete;
  ContentDecoder& operator=(const ContentDecoder&) = delete;

  /// Decodes `input` (the body as sent, codings in the order the sender
  /// applied them). `input_truncated`: `input` is a prefix of the body, so a
  /// compressed stream that stops early is not malformed. Findings:
  /// encoding.unknown, encoding.too_many_layers, encoding.malformed,
  /// encoding.incomplete, encoding.trailing_data, encoding.bomb,
  /// encoding.output_truncated, encoding.resource_limit.
  DecodedBody decode(const CodingList& codings, std::string_view input, bool input_truncated,
                     FindingList& findings);

 private:
  struct Layer;
  void decode_zlib(InflateStream::Format format, std::string_view in, Layer& layer);
  void decode_brotli(std::string_view in, Layer& layer);
  bool over_caps(const Layer& layer, uint64_t consumed) const;
  static void* brotli_alloc(void* opaque, size_t size);
  static void brotli_free(void* opaque, void* address);

  ParseLimits limits_;
  std::unique_ptr<uint8_t[]> out_[2];
  std::unique_ptr<uint8_t[]> count_buffer_;
  std::unique_ptr<uint8_t[]> zlib_memory_;
  InflateStream inflater_;
  std::unique_ptr<uint8_t[]> brotli_memory_;
  size_t brotli_capacity_;
  size_t brotli_used_ = 0;
};

}  // namespace weir::parse
