#include "parsers/http1/chunked_decoder.h"

#include <gtest/gtest.h>

#include <string>

namespace weir::parse {
namespace {

struct Decoded {
  ChunkedDecoder::Status status;
  std::string data;
  size_t consumed = 0;
  std::string error;
  bool trailers = false;
};

void append(void* ctx, const uint8_t* d, size_t n) {
  static_cast<std::string*>(ctx)->append(reinterpret_cast<const char*>(d), n);
}

// Feeds `input` in pieces of `step` bytes (0: all at once).
Decoded decode(const std::string& input, size_t step = 0) {
  ChunkedDecoder dec;
  Decoded out;
  const auto* base = reinterpret_cast<const uint8_t*>(input.data());
  const uint8_t* p = base;
  const uint8_t* end = base + input.size();
  out.status = ChunkedDecoder::Status::NeedMore;
  while (p < end && out.status == ChunkedDecoder::Status::NeedMore) {
    const uint8_t* piece_end = step == 0 ? end : std::min(end, p + step);
    out.status = dec.decode(p, piece_end, &append, &out.data);
  }
  out.consumed = static_cast<size_t>(p - base);
  out.error = std::string(dec.error_name());
  out.trailers = dec.had_trailers();
  return out;
}

TEST(ChunkedDecoder, DecodesChunksAndStopsAfterTheLastOne) {
  const std::string body = "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\nNEXT";
  for (size_t step : {0, 1, 2, 5}) {
    const Decoded d = decode(body, step);
    EXPECT_EQ(d.status, ChunkedDecoder::Status::Done) << step;
    EXPECT_EQ(d.data, "abc0123456789abcdef");
    EXPECT_EQ(d.consumed, body.size() - 4) << step;
  }
}

TEST(ChunkedDecoder, AcceptsEveryChunkExtensionFormOfRfc9112) {
  const char* ok[] = {
      "3;a\r\nabc\r\n0\r\n\r\n",
      "3;a=b\r\nabc\r\n0\r\n\r\n",
      "3;a=b;c=d\r\nabc\r\n0\r\n\r\n",  // llhttp 8.1 rejects this one
      "3;a=\"q;\\\"x\"\r\nabc\r\n0\r\n\r\n",
      "3 ;a = b\r\nabc\r\n0;last\r\n\r\n",
      "A\r\n0123456789\r\n0\r\n\r\n",
  };
  for (const char* body : ok) {
    const Decoded d = decode(body);
    EXPECT_EQ(d.status, ChunkedDecoder::Status::Done) << body << " " << d.error;
  }
}

TEST(ChunkedDecoder, TrailersAreConsumedAndReported) {
  const Decoded d = decode("1\r\nx\r\n0\r\nX-Sum: 1\r\nY: 2\r\n\r\n");
  EXPECT_EQ(d.status, ChunkedDecoder::Status::Done);
  EXPECT_TRUE(d.trailers);
}

struct BadCase {
  const char* body;
  const char* error;
};

TEST(ChunkedDecoder, RejectsAmbiguousFraming) {
  const BadCase bad[] = {
      {"zz\r\n", "http1.chunk_size_invalid"},
      {"-1\r\n", "http1.chunk_size_invalid"},
      {" 3\r\nabc\r\n", "http1.chunk_size_invalid"},
      {"0x3\r\nabc\r\n", "http1.chunk_size_invalid"},
      {"3 4\r\n", "http1.chunk_size_invalid"},
      {"1000000000000000\r\n", "http1.chunk_size_overflow"},
      {"3\nabc\r\n", "http1.chunk_size_invalid"},
      {"3\r\rabc", "http1.chunk_bad_line_ending"},
      {"3\r\nabcd\r\n", "http1.chunk_data_overrun"},
      {"3\r\nabc\n0\r\n\r\n", "http1.chunk_data_overrun"},
      {"3;a\x01\r\nabc\r\n", "http1.chunk_ext_invalid"},
      {"3;a=\"x\x01\"\r\n", "http1.chunk_ext_invalid"},
      {"0\r\n bad: fold\r\n\r\n", "http1.chunk_trailer_invalid"},
      {"0\r\nX: 1\n\r\n", "http1.chunk_trailer_invalid"},
      {"0\r\n\n", "http1.chunk_bad_line_ending"},
  };
  for (const auto& c : bad) {
    for (size_t step : {0, 1}) {
      const Decoded d = decode(c.body, step);
      EXPECT_EQ(d.status, ChunkedDecoder::Status::Error) << c.body;
      EXPECT_EQ(d.error, c.error) << c.body;
    }
  }
}

TEST(ChunkedDecoder, OverLongExtensionLineIsRejected) {
  const std::string body = "3;" + std::string(5000, 'a') + "\r\nabc\r\n0\r\n\r\n";
  const Decoded d = decode(body);
  EXPECT_EQ(d.status, ChunkedDecoder::Status::Error);
  EXPECT_EQ(d.error, "http1.chunk_line_too_long");
}

}  // namespace
}  // namespace weir::parse
