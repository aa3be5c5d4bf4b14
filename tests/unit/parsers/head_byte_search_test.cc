#include "parsers/http1/head_byte_search.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace weir::parse {
namespace {

size_t simple_find(std::string_view s, size_t from, char a, char b) {
  for (; from < s.size(); ++from) {
    if (s[from] == a || s[from] == b) return from;
  }
  return s.size();
}

// find_head_end() as it was: a memchr per line, then a look at the bytes
// after the LF.
size_t simple_blank_line_end(std::string_view s, size_t from) {
  for (; from < s.size(); ++from) {
    if (s[from] != '\n') continue;
    if (from + 1 < s.size() && s[from + 1] == '\n') return from + 2;
    if (from + 2 < s.size() && s[from + 1] == '\r' && s[from + 2] == '\n') return from + 3;
  }
  return s.size() + 1;
}

TEST(HeadByteSearch, FindsTheBlankLine) {
  EXPECT_EQ(find_blank_line_end("", 0), 1u);
  EXPECT_EQ(find_blank_line_end("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody", 0), 27u);
  EXPECT_EQ(find_blank_line_end("GET / HTTP/1.1\nHost: a\n\nbody", 0), 24u);
  const std::string_view partial = "GET / HTTP/1.1\r\nHost: a\r\n\r";  // not complete yet
  EXPECT_EQ(find_blank_line_end(partial, 0), partial.size() + 1);
  EXPECT_EQ(find_blank_line_end("\r\n\r\n", 0), 4u);
}

TEST(HeadByteSearch, FindsInShortAndEmptyText) {
  EXPECT_EQ(find_lf("", 0), 0u);
  EXPECT_EQ(find_lf_or_colon("", 0), 0u);
  EXPECT_EQ(find_lf("ab\n", 0), 2u);
  EXPECT_EQ(find_lf("ab\n", 3), 3u);
  EXPECT_EQ(find_lf_or_colon("Host: a\r\n", 0), 4u);
  EXPECT_EQ(find_lf_or_colon("Host: a\r\n", 5), 8u);
  EXPECT_EQ(find_lf("no line end here, and longer than thirty-two bytes", 0), 50u);
}

// Random heads built from the bytes that matter (CR, LF, ':', SP, HTAB, NUL,
// high bytes) among letters, every length 0..300, searched from every
// position, through a copy that ends exactly at the text end so that a read
// past the end would show under ASan. The SIMD searches must agree with a byte
// loop everywhere.
TEST(HeadByteSearch, MatchesByteLoopOnRandomHeads) {
  std::mt19937 rng(20240613);
  const char kSpecial[] = {'\r', '\n', ':', ' ', '\t', '\0', '\x80', '\xff'};
  for (int round = 0; round < 20; ++round) {
    for (size_t len = 0; len <= 300; ++len) {
      // Sparse and dense mixes of the special bytes.
      const unsigned density = (round % 4 == 0) ? 2 : (round % 4 == 1) ? 8 : (round % 4 == 2) ? 40 : 200;
      std::string text(len, 'a');
      for (auto& c : text) {
        if (rng() % density == 0) {
          c = kSpecial[rng() % sizeof(kSpecial)];
        } else {
          c = static_cast<char>('A' + rng() % 58);
        }
      }
      std::vector<char> exact(text.begin(), text.end());
      const std::string_view view(exact.data(), exact.size());
      for (size_t from = 0; from <= len; ++from) {
        ASSERT_EQ(find_lf(view, from), simple_find(view, from, '\n', '\n'))
            << "len " << len << " from " << from;
        ASSERT_EQ(find_lf_or_colon(view, from), simple_find(view, from, '\n', ':'))
            << "len " << len << " from " << from;
        ASSERT_EQ(find_blank_line_end(view, from), simple_blank_line_end(view, from))
            << "len " << len << " from " << from;
      }
    }
  }
}

}  // namespace
}  // namespace weir::parse
