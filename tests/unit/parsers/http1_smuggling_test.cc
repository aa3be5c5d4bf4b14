// Each request-smuggling / ambiguity case of issue 5 must end as a parse
// error naming its cause (recommended verdict: reset), or, where the message
// is still unambiguous, as a finding on the decision.
#include <gtest/gtest.h>

#include <string>

#include "http1_harness.h"
#include "parsers/http1/llhttp_error_names.h"

namespace weir::parse {
namespace {

using testing::Http1Harness;

struct FatalCase {
  const char* what;
  std::string request;
  const char* finding;
};

const std::string kOk = "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n";

TEST(Http1Smuggling, EachAmbiguityIsAParseErrorWithItsName) {
  const FatalCase cases[] = {
      {"CL then TE", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       "http1.cl_te_conflict"},
      {"TE then CL", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
       "http1.cl_te_conflict"},
      {"duplicate CL", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
       "http1.duplicate_content_length"},
      {"CL list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc",
       "http1.invalid_content_length"},
      {"CL not a number", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3a\r\n\r\nabc",
       "http1.invalid_content_length"},
      {"CL folded", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n 5\r\n\r\nabc",
       "http1.duplicate_content_length"},
      {"TE chunked, identity", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
       "http1.invalid_transfer_encoding"},
      {"TE not ending in chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\nabc",
       "http1.invalid_transfer_encoding"},
      {"bare LF in headers", "GET / HTTP/1.1\nHost: h\n\n", "http1.bare_lf"},
      {"bare LF after start line", "GET / HTTP/1.1\nHost: h\r\n\r\n", "http1.bare_lf"},
      {"space before colon", "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For : 1.2.3.4\r\n\r\n",
       "http1.space_before_colon"},
      {"space before colon on CL", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length : 3\r\n\r\nabc",
       "http1.space_before_colon"},
      {"duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "http1.duplicate_host"},
      {"bad chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "http1.chunk_size_invalid"},
      {"chunk size overflow", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\n",
       "http1.chunk_size_overflow"},
      {"chunk data longer than size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
       "http1.chunk_data_overrun"},
      {"bare LF in chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n",
       "http1.chunk_size_invalid"},
      {"CR inside a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", "http1.bad_line_ending"},
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 35),
       "http1.invalid_header_value"},
      {"fold as first header", "GET / HTTP/1.1\r\n X: 1\r\nHost: h\r\n\r\n",
       "http1.whitespace_before_first_header"},
      {"invalid method", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "http1.invalid_method"},
      {"space in target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", "http1.invalid_start_line"},
  };
  for (const auto& c : cases) {
    for (size_t step : {0, 1}) {
      Http1Harness h;
      // A valid request first: the error must consume exactly up to the bad one.
      const FeedResult r = h.feed(kOk + c.request, Direction::Request, step);
      EXPECT_EQ(r.status, FeedStatus::ParseError) << c.what << " step " << step;
      EXPECT_EQ(r.error.name, c.finding) << c.what << " step " << step;
      EXPECT_EQ(r.error.severity, FindingSeverity::Fatal);
      if (step == 0) {
        EXPECT_EQ(r.consumed, kOk.size()) << c.what;
      }
      ASSERT_FALSE(h.sink.decisions.empty());
      EXPECT_EQ(h.sink.decisions.back().point, DecisionPoint::ParseError) << c.what;
      EXPECT_TRUE(h.sink.decisions.back().has_finding(c.finding)) << c.what;
      // The bad message never completes (its head may have been decided when
      // only the body framing is wrong).
      EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody).size(), 1u) << c.what;
      // The stream stays refused.
      EXPECT_EQ(h.feed(kOk).status, FeedStatus::ParseError) << c.what;
    }
  }
}

struct AnomalyCase {
  const char* what;
  const char* request;
  const char* finding;
};

TEST(Http1Smuggling, UnambiguousAnomaliesAreFindingsOnTheHeadersDecision) {
  const AnomalyCase cases[] = {
      {"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n", "http1.obs_fold"},
      {"absolute-form vs Host", "GET http://internal.example/admin HTTP/1.1\r\nHost: public.example\r\n\r\n",
       "http1.host_mismatch"},
      {"missing Host", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", "http1.missing_host"},
  };
  for (const auto& c : cases) {
    Http1Harness h;
    const FeedResult r = h.feed(c.request);
    EXPECT_EQ(r.status, FeedStatus::Ok) << c.what;
    ASSERT_FALSE(h.sink.decisions.empty()) << c.what;
    EXPECT_EQ(h.sink.decisions[0].point, DecisionPoint::EndOfHeaders);
    EXPECT_TRUE(h.sink.decisions[0].has_finding(c.finding)) << c.what;
  }
}

TEST(Http1Smuggling, OverLongLinesAndTooManyHeadersAreReported) {
  ParseLimits limits;
  limits.max_line_bytes = 64;
  limits.max_headers = 3;
  Http1Harness h(limits);
  std::string req = "GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 5; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
  req += "\r\n";
  ASSERT_EQ(h.feed(req).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("http1.line_too_long"));
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("http1.too_many_headers"));
  // Nothing is dropped: every header is still a field.
  EXPECT_EQ(h.sink.decisions.at(0).count(Zone::Header), 6u);
}

TEST(Http1Smuggling, ChunkExtensionsAllowedByRfc9112AreNotBlocked) {
  Http1Harness h;
  const std::string req =
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;name=value;other=x\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(h.feed(req).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::BodyRaw), "abc");
}

TEST(Http1Smuggling, LlhttpErrorNamesAreStable) {
  struct NameCase {
    int error;
    const char* reason;
    const char* name;
  };
  const NameCase cases[] = {
      {HPE_UNEXPECTED_CONTENT_LENGTH, "Content-Length can't be present with Transfer-Encoding",
       "http1.cl_te_conflict"},
      {HPE_UNEXPECTED_CONTENT_LENGTH, "Duplicate Content-Length", "http1.duplicate_content_length"},
      {HPE_UNEXPECTED_CONTENT_LENGTH, "other", "http1.unexpected_content_length"},
      {HPE_INVALID_HEADER_TOKEN, "Invalid header value char", "http1.invalid_header_value"},
      {HPE_INVALID_HEADER_TOKEN, "Invalid header token", "http1.invalid_header_name"},
      {HPE_UNEXPECTED_SPACE, "", "http1.unexpected_space"},
      {HPE_INVALID_VERSION, "", "http1.invalid_version"},
      {HPE_INVALID_STATUS, "", "http1.invalid_status"},
      {HPE_INVALID_URL, "", "http1.invalid_target"},
      {HPE_CR_EXPECTED, "", "http1.bad_line_ending"},
      {HPE_INTERNAL, "", "http1.parse_error"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(llhttp_error_finding_name(c.error, c.reason), c.name) << c.reason;
  }
}

TEST(Http1Smuggling, BadVersionAndStatusLines) {
  {
    Http1Harness h;
    const FeedResult r = h.feed("GET / HTTP/1.x\r\nHost: h\r\n\r\n");
    EXPECT_EQ(r.status, FeedStatus::ParseError);
    EXPECT_EQ(r.error.name, "http1.invalid_version");
  }
  {
    Http1Harness h;
    ASSERT_EQ(h.feed(kOk).status, FeedStatus::Ok);
    const FeedResult r = h.feed("HTTP/1.1 2x0 OK\r\n\r\n", Direction::Response);
    EXPECT_EQ(r.status, FeedStatus::ParseError);
    EXPECT_EQ(r.error.name, "http1.invalid_status");
  }
}

TEST(Http1Smuggling, ResponseSideErrorsAreParseErrorsToo) {
  Http1Harness h;
  ASSERT_EQ(h.feed(kOk).status, FeedStatus::Ok);
  const FeedResult r = h.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                              Direction::Response);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http1.duplicate_content_length");
}

}  // namespace
}  // namespace weir::parse
