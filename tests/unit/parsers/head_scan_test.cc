#include "parsers/http1/head_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parsers/http1/head_fields.h"

namespace weir::parse {
namespace {

struct Scanned {
  bool ok;
  ParsedHead head;
  std::vector<std::string> findings;
};

Scanned scan(std::string_view head, Arena& arena, Direction dir = Direction::Request,
             ParseLimits limits = {}) {
  FindingList findings(arena, 16);
  Scanned s;
  s.ok = scan_head(head, dir, limits, arena, s.head, findings);
  for (const auto& f : findings.view()) s.findings.emplace_back(f.name);
  return s;
}

TEST(HeadScan, SplitsStartLineAndHeaders) {
  Arena arena(1 << 16);
  const Scanned s = scan("GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nX-A:  v  \r\nEmpty:\r\n\r\n", arena);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.head.method, "GET");
  EXPECT_EQ(s.head.target, "/a?b=1");
  EXPECT_EQ(s.head.version, "HTTP/1.1");
  EXPECT_EQ(s.head.host, "example.com");
  ASSERT_EQ(s.head.headers.size(), 3u);
  EXPECT_EQ(s.head.headers[1].name, "X-A");
  EXPECT_EQ(s.head.headers[1].value, "v");
  EXPECT_EQ(s.head.headers[2].value, "");
  EXPECT_TRUE(s.findings.empty());
}

TEST(HeadScan, ResponseStartLine) {
  Arena arena(1 << 16);
  const Scanned s = scan("HTTP/1.1 404 Not Found\r\nA: b\r\n\r\n", arena, Direction::Response);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.head.status, "404");
  EXPECT_EQ(s.head.version, "HTTP/1.1");
}

struct AnomalyCase {
  const char* head;
  const char* finding;
};

TEST(HeadScan, ReportsEachAnomaly) {
  const AnomalyCase cases[] = {
      {"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n", "http1.obs_fold"},
      {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", "http1.space_before_colon"},
      {"GET / HTTP/1.1\nHost: a\r\n\r\n", "http1.bare_lf"},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "http1.duplicate_host"},
      {"GET http://a.example/x HTTP/1.1\r\nHost: b.example\r\n\r\n", "http1.host_mismatch"},
      {"GET / HTTP/1.1\r\nX: 1\r\n\r\n", "http1.missing_host"},
      {"GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", "http1.header_without_colon"},
      {"GET / HTTP/1.1\r\n X: 1\r\nHost: a\r\n\r\n", "http1.whitespace_before_first_header"},
  };
  for (const auto& c : cases) {
    Arena arena(1 << 16);
    const Scanned s = scan(c.head, arena);
    EXPECT_TRUE(s.ok) << c.head;
    EXPECT_EQ(s.findings, std::vector<std::string>{c.finding}) << c.head;
  }
}

TEST(HeadScan, AbsoluteFormMatchingHostIsFine) {
  Arena arena(1 << 16);
  const Scanned s = scan("GET http://user@A.example:80/x HTTP/1.1\r\nHost: a.example:80\r\n\r\n", arena);
  EXPECT_TRUE(s.findings.empty());
}

TEST(HeadScan, FoldedValueSpansTheContinuation) {
  Arena arena(1 << 16);
  const Scanned s = scan("GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n two\r\n\r\n", arena);
  ASSERT_EQ(s.head.headers.size(), 2u);
  EXPECT_EQ(s.head.headers[1].value, "one\r\n two");
}

TEST(HeadScan, LineAndHeaderCountCaps) {
  ParseLimits limits;
  limits.max_line_bytes = 20;
  limits.max_headers = 2;
  Arena arena(1 << 16);
  const Scanned s = scan("GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\nC: 12345678901234567890\r\n\r\n",
                         arena, Direction::Request, limits);
  EXPECT_EQ(s.findings, (std::vector<std::string>{"http1.line_too_long", "http1.too_many_headers"}));
}

TEST(SplitTarget, OriginAbsoluteAndFragment) {
  EXPECT_EQ(split_target("/a/b?x=1").path, "/a/b");
  EXPECT_EQ(split_target("/a/b?x=1").query, "x=1");
  EXPECT_EQ(split_target("http://h:8/p/q?z").path, "/p/q");
  EXPECT_EQ(split_target("http://h:8/p/q?z").query, "z");
  EXPECT_EQ(split_target("http://h:8").path, "");
  EXPECT_EQ(split_target("/p#frag").path, "/p");
  EXPECT_EQ(split_target("*").path, "*");
  EXPECT_EQ(split_target("/r?u=http://x/").query, "u=http://x/");
}

// Word-at-a-time lower-casing against the byte loop it replaced: every
// length around the 8-byte words, every byte value, capitals anywhere.
TEST(LowerHeaderName, MatchesTheByteLoop) {
  Arena arena(1 << 20);
  std::mt19937 rng(7);
  auto lower_ref = [](std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return s;
  };
  for (int round = 0; round < 4000; ++round) {
    std::string name(rng() % 40, 'x');
    const bool any_byte = round % 2 == 0;
    for (char& c : name) {
      c = any_byte ? static_cast<char>(rng() % 256) : static_cast<char>("aZ-09Ay@[`{z"[rng() % 12]);
    }
    arena.reset();
    const std::string_view got = lower_header_name(name, arena);
    EXPECT_EQ(std::string(got), lower_ref(name)) << "round " << round;
    // Without a capital the name itself comes back (no copy).
    if (lower_ref(name) == name) {
      EXPECT_EQ(got.data(), name.data());
    }
  }
  for (int c = 0; c < 256; ++c) {
    const std::string name(11, static_cast<char>(c));  // one word and a tail
    arena.reset();
    EXPECT_EQ(std::string(lower_header_name(name, arena)), lower_ref(name)) << "byte " << c;
  }
}

TEST(HeadFields, CookieHeaderOfAnyCaseIsSplit) {
  Arena arena(1 << 16);
  const Scanned s = scan("GET / HTTP/1.1\r\nHost: h\r\nCOOKIE: a=1; b=2\r\ncookie: c=3\r\n\r\n", arena);
  ASSERT_TRUE(s.ok);
  FieldList fields(arena, 32);
  ASSERT_TRUE(add_request_head_fields(s.head, arena, fields));
  std::vector<std::string> cookies;
  for (const Field& f : fields.view())
    if (f.zone == Zone::Cookie) cookies.push_back(std::string(f.name) + "=" + std::string(f.value));
  EXPECT_EQ(cookies, (std::vector<std::string>{"a=1", "b=2", "c=3"}));
}

TEST(HeadScan, EqualsIgnoreCase) {
  EXPECT_TRUE(equals_ignore_case("Content-Type", "content-type"));
  EXPECT_TRUE(equals_ignore_case("content-type", "content-type"));
  EXPECT_FALSE(equals_ignore_case("content-typf", "content-type"));
  EXPECT_FALSE(equals_ignore_case("@", "`"));  // 0x40 and 0x60 differ only in the case bit
  EXPECT_FALSE(equals_ignore_case("host", "hosts"));
}

}  // namespace
}  // namespace weir::parse
