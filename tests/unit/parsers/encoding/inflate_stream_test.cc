#include "parsers/encoding/inflate_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>

namespace weir::parse {
namespace {

std::string raw_deflate(std::string_view in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, in.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string inflate_all(InflateStream& s, std::string_view in, InflateStream::Step* last) {
  std::string out;
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t left = in.size();
  uint8_t buf[7];  // tiny on purpose: many calls with a full output buffer
  for (;;) {
    uint8_t* o = buf;
    size_t room = sizeof(buf);
    *last = s.inflate(&p, &left, &o, &room);
    out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(o - buf));
    if (*last != InflateStream::Step::Progress) return out;
    if (left == 0 && o == buf) return out;
  }
}

TEST(InflateStream, InflatesWithinItsBlockAndResets) {
  auto memory = std::make_unique<uint8_t[]>(InflateStream::kMemoryBytes);
  InflateStream s;
  ASSERT_TRUE(s.open(memory.get(), InflateStream::Format::Raw));
  InflateStream::Step last{};
  const std::string text(100000, 'q');
  EXPECT_EQ(inflate_all(s, raw_deflate(text + "tail"), &last), text + "tail");
  EXPECT_EQ(last, InflateStream::Step::End);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(s.reset(InflateStream::Format::Raw));
    ASSERT_EQ(inflate_all(s, raw_deflate("again"), &last), "again");
  }
  ASSERT_TRUE(s.reset(InflateStream::Format::Raw));
  inflate_all(s, "\xff\xff\xff\xff", &last);
  EXPECT_EQ(last, InflateStream::Step::Error);
  s.close();
  EXPECT_FALSE(s.is_open());
}

}  // namespace
}  // namespace weir::parse
