#pragma once
// ChunkedDecoder: strict RFC 9112 section 7.1 chunked transfer coding. llhttp
// 8.1 rejects valid chunk extensions (`1;a=b;c=d`), so the HTTP/1 parser
// takes the chunked body over from llhttp and decodes it here. Strict where
// a mismatch with the server could smuggle (size syntax, CRLF, overflow);
// the extension grammar (token / quoted-string, BWS) is accepted in full.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir::parse {

class ChunkedDecoder {
 public:
  enum class Status : uint8_t { NeedMore, Done, Error };
  using DataFn = void (*)(void* ctx, const uint8_t* data, size_t len);

  void reset() { *this = ChunkedDecoder{}; }

  /// Consumes bytes from [p, end), handing chunk data to `on_data`. Returns
  /// Done when the last chunk and trailer section are complete; `p` is then
  /// just past them. On Error, error_name() says why.
  Status decode(const uint8_t*& p, const uint8_t* end, DataFn on_data, void* ctx);

  std::string_view error_name() const { return error_; }
  /// The message carried a trailer section.
  bool had_trailers() const { return trailers_ > 0; }

 private:
  enum class State : uint8_t {
    SizeFirst, Size, SizeBws, Ext, ExtQuoted, ExtQuotedPair, SizeLf,
    Data, DataCr, DataLf, TrailerStart, Trailer, TrailerLf, FinalLf, Done,
  };
  Status fail(std::string_view name) {
    error_ = name;
    state_ = State::Done;
    return Status::Error;
  }

  State state_ = State::SizeFirst;
  uint64_t size_ = 0;
  uint32_t digits_ = 0;
  uint32_t line_len_ = 0;
  uint32_t trailers_ = 0;
  bool trailer_line_empty_ = true;
  std::string_view error_;
};

}  // namespace weir::parse
