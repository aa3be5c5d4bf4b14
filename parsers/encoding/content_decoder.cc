// Each layer writes into one of two buffers in turn; past the inspection
// limit it keeps decoding into a small counting buffer, because a bomb is
// only visible in how much the server would have to produce. Findings are
// added here, once per layer, from the layer's flags.
#include "parsers/encoding/content_decoder.h"

#include <brotli/decode.h>

#include <cstring>

namespace weir::parse {
namespace {

constexpr size_t kCountBytes = 16 * 1024;

// zlib header (RFC 1950): CM = 8, CINFO <= 7, FCHECK makes it a multiple of 31.
bool has_zlib_header(std::string_view in) {
  if (in.size() < 2) return false;
  const auto cmf = static_cast<uint8_t>(in[0]);
  const auto flg = static_cast<uint8_t>(in[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

bool is_gzip_member(const uint8_t* p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

}  // namespace

struct ContentDecoder::Layer {
  uint8_t* out = nullptr;
  size_t cap = 0;
  size_t len = 0;
  uint64_t total = 0;
  bool ended = false;      // the compressed stream reached its end
  bool malformed = false;
  bool no_memory = false;
  bool bomb = false;
  size_t trailing = 0;     // bytes after the end of the stream

  // Where the next output goes: the kept buffer, then the counting buffer.
  uint8_t* next_out(uint8_t* count_buffer, size_t* room) const {
    if (len < cap) {
      *room = cap - len;
      return out + len;
    }
    *room = kCountBytes;
    return count_buffer;
  }
  void produced(size_t n) {
    if (len < cap) len += n;
    total += n;
  }
};

ContentDecoder::ContentDecoder(const ParseLimits& limits, size_t brotli_memory_bytes)
    : limits_(limits),
      count_buffer_(new uint8_t[kCountBytes]),
      zlib_memory_(new uint8_t[InflateStream::kMemoryBytes]),
      brotli_memory_(new uint8_t[brotli_memory_bytes]),
      brotli_capacity_(brotli_memory_bytes) {
  for (auto& b : out_) b = std::make_unique<uint8_t[]>(limits.max_body_inspect + kPadding);
  inflater_.open(zlib_memory_.get(), InflateStream::Format::Raw);
}

ContentDecoder::~ContentDecoder() { inflater_.close(); }

void* ContentDecoder::brotli_alloc(void* opaque, size_t size) {
  auto* self = static_cast<ContentDecoder*>(opaque);
  const size_t start = (self->brotli_used_ + 15) & ~static_cast<size_t>(15);
  if (start > self->brotli_capacity_ || size > self->brotli_capacity_ - start) return nullptr;
  self->brotli_used_ = start + size;
  return self->brotli_memory_.get() + start;
}

void ContentDecoder::brotli_free(void*, void*) {}

bool ContentDecoder::over_caps(const Layer& layer, uint64_t consumed) const {
  if (layer.total > limits_.max_decoded_bytes) return true;
  const uint64_t base = consumed > 0 ? consumed : 1;
  return layer.total > limits_.decode_ratio_floor && layer.total / base >= limits_.max_decode_ratio;
}

void ContentDecoder::decode_zlib(InflateStream::Format format, std::string_view in, Layer& layer) {
  if (!inflater_.reset(format)) {
    layer.no_memory = true;
    return;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t left = in.size();
  for (;;) {
    size_t room = 0;
    uint8_t* o = layer.next_out(count_buffer_.get(), &room);
    uint8_t* const o0 = o;
    const size_t left_before = left;
    const InflateStream::Step step = inflater_.inflate(&p, &left, &o, &room);
    const auto made = static_cast<size_t>(o - o0);
    layer.produced(made);
    if (over_caps(layer, in.size() - left)) {
      layer.bomb = true;
      return;
    }
    switch (step) {
      case InflateStream::Step::End:
        // Concatenated gzip members are one body to gunzip and most servers.
        if (format == InflateStream::Format::Gzip && is_gzip_member(p, left)) {
          if (!inflater_.reset(format)) {
            layer.no_memory = true;
            return;
          }
          continue;
        }
        layer.ended = true;
        layer.trailing = left;
        return;
      case InflateStream::Step::Error: layer.malformed = true; return;
      case InflateStream::Step::NoMemory: layer.no_memory = true; return;
      case InflateStream::Step::Progress:
        if (made == 0 && left == left_before) return;  // input exhausted
        break;
    }
  }
}

void ContentDecoder::decode_brotli(std::string_view in, Layer& layer) {
  brotli_used_ = 0;
  BrotliDecoderState* st = BrotliDecoderCreateInstance(&brotli_alloc, &brotli_free, this);
  if (st == nullptr) {
    layer.no_memory = true;
    return;
  }
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t left = in.size();
  for (;;) {
    size_t room = 0;
    uint8_t* o = layer.next_out(count_buffer_.get(), &room);
    uint8_t* const o0 = o;
    const BrotliDecoderResult r = BrotliDecoderDecompressStream(st, &left, &p, &room, &o, nullptr);
    layer.produced(static_cast<size_t>(o - o0));
    if (over_caps(layer, in.size() - left)) {
      layer.bomb = true;
      break;
    }
    if (r == BROTLI_DECODER_RESULT_SUCCESS) {
      layer.ended = true;
      layer.trailing = left;
      break;
    }
    if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) break;
    if (r == BROTLI_DECODER_RESULT_ERROR) {
      const int code = BrotliDecoderGetErrorCode(st);
      // Allocation failures are our memory cap, not the sender's fault.
      if (code <= BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES &&
          code >= BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES) {
        layer.no_memory = true;
      } else {
        layer.malformed = true;
      }
      break;
    }
  }
  BrotliDecoderDestroyInstance(st);
  brotli_used_ = 0;
}

DecodedBody ContentDecoder::decode(const CodingList& codings, std::string_view input,
                                   bool input_truncated, FindingList& findings) {
  DecodedBody result;
  result.bytes = input;
  result.decoded_total = input.size();
  if (codings.has_unknown()) {
    findings.add("encoding.unknown", codings.unknown_name, FindingSeverity::Anomaly);
    result.status = DecodeStatus::Failed;
    return result;
  }
  if (codings.too_many) {
    findings.add("encoding.too_many_layers", "more content codings than the decoder stacks",
                 FindingSeverity::Anomaly);
    result.status = DecodeStatus::Failed;
    return result;
  }
  std::string_view cur = input;
  bool cur_truncated = input_truncated;
  int buffer = 0;
  for (uint32_t i = codings.count; i-- > 0;) {
    Layer layer;
    layer.out = out_[buffer].get();
    layer.cap = limits_.max_body_inspect;
    switch (codings.codings[i]) {
      case ContentCoding::Gzip:
        decode_zlib(InflateStream::Format::Gzip, cur, layer);
        break;
      case ContentCoding::Deflate:
        decode_zlib(has_zlib_header(cur) ? InflateStream::Format::Zlib : InflateStream::Format::Raw,
                    cur, layer);
        break;
      case ContentCoding::Brotli: decode_brotli(cur, layer); break;
      case ContentCoding::Identity:
      case ContentCoding::Unknown: layer.malformed = true; break;  // filtered out above
    }
    std::memset(layer.out + layer.len, 0, kPadding);
    cur = {reinterpret_cast<const char*>(layer.out), layer.len};
    result.bytes = cur;
    result.decoded_total = layer.total;
    const char* coding = content_coding_name(codings.codings[i]);
    if (layer.bomb) {
      findings.add("encoding.bomb", coding, FindingSeverity::Anomaly);
      result.status = DecodeStatus::Bomb;
      return result;
    }
    if (layer.no_memory) {
      findings.add("encoding.resource_limit", coding, FindingSeverity::Notice);
      result.status = DecodeStatus::Failed;
      return result;
    }
    if (layer.malformed) {
      findings.add("encoding.malformed", coding, FindingSeverity::Anomaly);
      result.status = DecodeStatus::Failed;
      return result;
    }
    if (!layer.ended && !cur_truncated) {
      // The whole input was there and the stream still did not end.
      findings.add("encoding.incomplete", coding, FindingSeverity::Anomaly);
      result.status = DecodeStatus::Failed;
      return result;
    }
    if (layer.ended && layer.trailing > 0) {
      findings.add("encoding.trailing_data", coding, FindingSeverity::Anomaly);
    }
    const bool output_truncated = layer.total > layer.len;
    cur_truncated = cur_truncated || !layer.ended || output_truncated;
    if (output_truncated && i == 0) {
      findings.add("encoding.output_truncated", "decoded body longer than max_body_inspect",
                   FindingSeverity::Notice);
    }
    buffer ^= 1;
  }
  result.status = cur_truncated ? DecodeStatus::Prefix : DecodeStatus::Complete;
  return result;
}

}  // namespace weir::parse
