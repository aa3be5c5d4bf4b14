// A byte-at-a-time state machine for the framing, memcpy-speed for the data:
// chunk data is passed through in as large spans as the input allows.
#include "parsers/http1/chunked_decoder.h"

namespace weir::parse {
namespace {

// Longest chunk-size line or trailer line we accept; nginx allows less.
constexpr uint32_t kMaxLine = 4096;
constexpr uint32_t kMaxTrailers = 64;
// 15 hex digits keep the size below 2^60: no overflow, and larger than any body.
constexpr uint32_t kMaxSizeDigits = 15;

int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_tchar(uint8_t c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_qdtext(uint8_t c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
         (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

}  // namespace

ChunkedDecoder::Status ChunkedDecoder::decode(const uint8_t*& p, const uint8_t* end,
                                              DataFn on_data, void* ctx) {
  while (p < end) {
    if (state_ == State::Data) {
      const auto avail = static_cast<uint64_t>(end - p);
      const size_t take = static_cast<size_t>(avail < size_ ? avail : size_);
      on_data(ctx, p, take);
      p += take;
      size_ -= take;
      if (size_ == 0) state_ = State::DataCr;
      continue;
    }
    const uint8_t c = *p;
    switch (state_) {
      case State::SizeFirst:
        if (hex_value(c) < 0) return fail("http1.chunk_size_invalid");
        size_ = static_cast<uint64_t>(hex_value(c));
        digits_ = 1;
        line_len_ = 1;
        state_ = State::Size;
        break;
      case State::Size:
        if (hex_value(c) >= 0) {
          if (++digits_ > kMaxSizeDigits) return fail("http1.chunk_size_overflow");
          size_ = size_ * 16 + static_cast<uint64_t>(hex_value(c));
        } else if (c == ' ' || c == '\t') {
          state_ = State::SizeBws;
        } else if (c == ';') {
          state_ = State::Ext;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else {
          return fail("http1.chunk_size_invalid");
        }
        break;
      case State::SizeBws:  // BWS before ';' is allowed, nothing else after the size
        if (c == ';') {
          state_ = State::Ext;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else if (c != ' ' && c != '\t') {
          return fail("http1.chunk_size_invalid");
        }
        break;
      case State::Ext:
        if (c == '"') {
          state_ = State::ExtQuoted;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else if (!is_tchar(c) && c != ';' && c != '=' && c != ' ' && c != '\t') {
          return fail("http1.chunk_ext_invalid");
        }
        break;
      case State::ExtQuoted:
        if (c == '"') {
          state_ = State::Ext;
        } else if (c == '\\') {
          state_ = State::ExtQuotedPair;
        } else if (!is_qdtext(c)) {
          return fail("http1.chunk_ext_invalid");
        }
        break;
      case State::ExtQuotedPair:
        if (c != '\t' && (c < 0x20 || c == 0x7f)) return fail("http1.chunk_ext_invalid");
        state_ = State::ExtQuoted;
        break;
      case State::SizeLf:
        if (c != '\n') return fail("http1.chunk_bad_line_ending");
        state_ = size_ == 0 ? State::TrailerStart : State::Data;
        break;
      case State::DataCr:
        if (c != '\r') return fail("http1.chunk_data_overrun");
        state_ = State::DataLf;
        break;
      case State::DataLf:
        if (c != '\n') return fail("http1.chunk_bad_line_ending");
        state_ = State::SizeFirst;
        break;
      case State::TrailerStart:
        if (c == '\r') {
          state_ = State::FinalLf;
        } else if (c == '\n') {
          return fail("http1.chunk_bad_line_ending");
        } else if (c == ' ' || c == '\t' || c == ':') {
          return fail("http1.chunk_trailer_invalid");
        } else {
          if (++trailers_ > kMaxTrailers) return fail("http1.chunk_trailer_invalid");
          line_len_ = 1;
          state_ = State::Trailer;
        }
        break;
      case State::Trailer:
        if (c == '\r') {
          state_ = State::TrailerLf;
        } else if (c == '\n' || c == 0) {
          return fail("http1.chunk_trailer_invalid");
        }
        break;
      case State::TrailerLf:
        if (c != '\n') return fail("http1.chunk_bad_line_ending");
        state_ = State::TrailerStart;
        break;
      case State::FinalLf:
        if (c != '\n') return fail("http1.chunk_bad_line_ending");
        ++p;
        state_ = State::Done;
        return Status::Done;
      case State::Data:
      case State::Done:
        return Status::Done;
    }
    ++p;
    if (state_ != State::Data && ++line_len_ > kMaxLine) return fail("http1.chunk_line_too_long");
    if (state_ == State::Data || state_ == State::SizeFirst || state_ == State::TrailerStart)
      line_len_ = 0;
  }
  return state_ == State::Done ? Status::Done : Status::NeedMore;
}

}  // namespace weir::parse
