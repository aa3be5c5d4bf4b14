#include "parsers/registry.h"

#include <gtest/gtest.h>

#include <memory>

#include "parsers/parse_http_request.h"
#include "parsers/parser_workspace.h"
#include "recording_sink.h"

namespace weir::parse {
namespace {

using testing::RecordingSink;

TEST(ParserRegistry, Http1IsRegisteredAndBuildsInCallerStorage) {
  const ParserApi* api = find_parser("http1");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(find_parser("gopher"), nullptr);
  EXPECT_FALSE(parser_registry().empty());
  ParserWorkspace ws;
  alignas(std::max_align_t) static unsigned char storage[4096];
  ASSERT_LE(api->state_size, sizeof(storage));
  ASSERT_LE(api->state_align, alignof(std::max_align_t));
  Parser* p = api->make(storage, ws);
  RecordingSink sink;
  const std::string req = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
  const FeedResult r = p->feed(testing::chunk_of(req), sink);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  EXPECT_EQ(r.decisions, 2u);
  destroy_parser(p);
}

TEST(ParseHttpRequest, RunsTheParserOverARawRequest) {
  RecordingSink sink;
  const FeedResult r = parse_http_request(
      "POST /login HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 22\r\n\r\nuser=admin&pass=' or 1",
      sink);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  ASSERT_EQ(sink.decisions.size(), 2u);
  EXPECT_EQ(sink.decisions[1].value(Zone::BodyForm, "pass"), "' or 1");
}

TEST(ParseHttpRequest, ReportsParseErrors) {
  RecordingSink sink;
  ParserWorkspace ws;
  const FeedResult r = parse_http_request(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", sink, ws);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http1.cl_te_conflict");
}

TEST(ParserNames, Stable) {
  EXPECT_STREQ(decision_point_name(DecisionPoint::EndOfHeaders), "end_of_headers");
  EXPECT_STREQ(feed_status_name(FeedStatus::ParseError), "parse_error");
  EXPECT_STREQ(upgrade_kind_name(UpgradeKind::WebSocket), "websocket");
}

}  // namespace
}  // namespace weir::parse
