#include "parsers/http1/http1_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http1_harness.h"

namespace weir::parse {
namespace {

using testing::Http1Harness;
using testing::RecordedDecision;

const std::string kGet =
    "GET /api/v1/users/42?id=7&filter[name]=bob&flag HTTP/1.1\r\n"
    "Host: api.example\r\n"
    "User-Agent: curl/8\r\n"
    "Cookie: session=abc; theme=dark\r\n"
    "X-Custom: value\r\n"
    "\r\n";

std::string post(const std::string& type, const std::string& body, const std::string& path = "/p") {
  return "POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(Http1Parser, GetRequestFields) {
  Http1Harness h;
  const FeedResult r = h.feed(kGet);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  EXPECT_EQ(r.consumed, kGet.size());
  ASSERT_EQ(h.sink.decisions.size(), 2u);
  const RecordedDecision& d = h.sink.decisions[0];
  EXPECT_EQ(d.point, DecisionPoint::EndOfHeaders);
  EXPECT_EQ(d.method, "GET");
  EXPECT_EQ(d.host, "api.example");
  EXPECT_EQ(d.value(Zone::Method), "GET");
  EXPECT_EQ(d.value(Zone::Path), "/api/v1/users/42");
  EXPECT_EQ(d.count(Zone::PathSegment), 4u);
  EXPECT_EQ(d.value(Zone::PathSegment, "3"), "42");
  EXPECT_EQ(d.value(Zone::QueryArg, "id"), "7");
  EXPECT_EQ(d.value(Zone::QueryArg, "filter[name]"), "bob");
  EXPECT_EQ(d.value(Zone::QueryArg, "flag"), "");
  EXPECT_EQ(d.value(Zone::Header, "user-agent"), "curl/8");
  EXPECT_EQ(d.value(Zone::Header, "x-custom"), "value");
  EXPECT_EQ(d.value(Zone::Cookie, "session"), "abc");
  EXPECT_EQ(d.value(Zone::Cookie, "theme"), "dark");
  EXPECT_TRUE(d.findings.empty());
  const RecordedDecision& e = h.sink.decisions[1];
  EXPECT_EQ(e.point, DecisionPoint::EndOfBody);
  EXPECT_EQ(e.fields, d.fields);
  EXPECT_EQ(e.first_new, e.fields.size());
  EXPECT_EQ(h.parser->requests_in_flight(), 1u);
}

TEST(Http1Parser, JsonBodyFieldsFollowTheHeadFields) {
  Http1Harness h;
  const std::string req = post("application/json; charset=utf-8",
                               R"({"user":{"name":"x' OR 1=1"},"ids":[1,2]})");
  ASSERT_EQ(h.feed(req).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 2u);
  const RecordedDecision& body = h.sink.decisions[1];
  EXPECT_EQ(body.point, DecisionPoint::EndOfBody);
  EXPECT_EQ(body.first_new, h.sink.decisions[0].fields.size());
  EXPECT_EQ(body.value(Zone::Method), "POST");
  EXPECT_EQ(body.value(Zone::BodyJson, "user.name"), "x' OR 1=1");
  EXPECT_EQ(body.value(Zone::BodyJson, "ids[1]"), "2");
  EXPECT_EQ(body.count(Zone::BodyRaw), 0u);
}

TEST(Http1Parser, ContentTypeDecidesTheBodyParser) {
  struct Case {
    std::string type;
    Zone zone;
    std::string name;
    std::string value;
  };
  const std::string form = "a=1&comment=%3Cscript%3E";
  const Case cases[] = {
      {"application/x-www-form-urlencoded", Zone::BodyForm, "comment", "%3Cscript%3E"},
      {"application/vnd.api+json", Zone::BodyJson, "k", "v"},
      {"text/plain", Zone::BodyRaw, "", "plain <b>text</b>"},
  };
  for (const auto& c : cases) {
    Http1Harness h;
    const std::string body = c.zone == Zone::BodyForm   ? form
                             : c.zone == Zone::BodyJson ? R"({"k":"v"})"
                                                        : "plain <b>text</b>";
    ASSERT_EQ(h.feed(post(c.type, body)).status, FeedStatus::Ok) << c.type;
    ASSERT_EQ(h.sink.decisions.size(), 2u);
    EXPECT_EQ(h.sink.decisions[1].value(c.zone, c.name), c.value) << c.type;
  }
}

TEST(Http1Parser, MalformedJsonBodyIsAFindingAndInspectedRaw) {
  Http1Harness h;
  ASSERT_EQ(h.feed(post("application/json", R"({"a":1,,})")).status, FeedStatus::Ok);
  const RecordedDecision& body = h.sink.decisions.at(1);
  EXPECT_TRUE(body.has_finding("json.malformed"));
  EXPECT_EQ(body.value(Zone::BodyRaw), R"({"a":1,,})");
}

TEST(Http1Parser, PipelinedRequestsInOneChunk) {
  Http1Harness h;
  const std::string three = kGet + post("application/json", R"({"n":1})", "/two") +
                            "DELETE /three HTTP/1.1\r\nHost: h\r\n\r\n";
  const FeedResult r = h.feed(three);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  EXPECT_EQ(r.decisions, 6u);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(heads.size(), 3u);
  EXPECT_EQ(heads[0]->index, 0u);
  EXPECT_EQ(heads[1]->index, 1u);
  EXPECT_EQ(heads[1]->value(Zone::Path), "/two");
  EXPECT_EQ(heads[2]->index, 2u);
  EXPECT_EQ(heads[2]->method, "DELETE");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody)[1]->value(Zone::BodyJson, "n"), "1");
  EXPECT_EQ(h.parser->requests_in_flight(), 3u);
}

// The decisions for a stream must not depend on how it is cut into chunks.
TEST(Http1Parser, EverySplitGivesTheSameDecisions) {
  const std::string stream =
      kGet + post("application/json", R"({"a":{"b":[1,"two"]}})") +
      "POST /c HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n4;ext=1;x=y\r\na=1&\r\n3\r\nb=2\r\n0\r\nT: v\r\n\r\n" +
      "GET /last HTTP/1.1\r\nHost: h\r\n\r\n";
  Http1Harness whole;
  ASSERT_EQ(whole.feed(stream).status, FeedStatus::Ok);
  ASSERT_EQ(whole.sink.decisions.size(), 8u);
  EXPECT_EQ(whole.sink.decisions[5].value(Zone::BodyForm, "b"), "2");

  Http1Harness bytewise;
  ASSERT_EQ(bytewise.feed(stream, Direction::Request, 1).status, FeedStatus::Ok);
  ASSERT_EQ(bytewise.sink.decisions.size(), whole.sink.decisions.size());
  for (size_t i = 0; i < whole.sink.decisions.size(); ++i) {
    EXPECT_EQ(bytewise.sink.decisions[i].fields, whole.sink.decisions[i].fields) << i;
    EXPECT_EQ(bytewise.sink.decisions[i].findings, whole.sink.decisions[i].findings) << i;
    EXPECT_EQ(bytewise.sink.decisions[i].first_new, whole.sink.decisions[i].first_new) << i;
  }
  for (size_t cut = 1; cut < stream.size(); ++cut) {
    Http1Harness two;
    ASSERT_EQ(two.feed(stream.substr(0, cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(two.feed(stream.substr(cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(two.sink.decisions.size(), whole.sink.decisions.size()) << cut;
    for (size_t i = 0; i < whole.sink.decisions.size(); ++i) {
      ASSERT_EQ(two.sink.decisions[i].fields, whole.sink.decisions[i].fields) << cut << " " << i;
    }
  }
  // Every borrowed buffer went back to the pools.
  EXPECT_EQ(bytewise.ws.head_slabs().available(), bytewise.ws.head_slabs().capacity());
  EXPECT_EQ(bytewise.ws.body_slabs().available(), bytewise.ws.body_slabs().capacity());
}

TEST(Http1Parser, ChunkedBodyWithExtensionsAndTrailers) {
  Http1Harness h;
  const std::string req =
      "POST /u HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"
      "5;a=b;c=d\r\n{\"k\":\r\n4;q=\"x y\"\r\n\"v\"}\r\n0\r\nX-Trailer: 1\r\n\r\n";
  const FeedResult r = h.feed(req);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 2u);
  EXPECT_EQ(h.sink.decisions[1].value(Zone::BodyJson, "k"), "v");
  EXPECT_TRUE(h.sink.decisions[1].has_finding("http1.trailers_present"));
}

TEST(Http1Parser, ResponsesPairWithRequestsInOrder) {
  Http1Harness h;
  ASSERT_EQ(h.feed(kGet + kGet).status, FeedStatus::Ok);
  const std::string responses =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: a=b\r\n\r\nok"
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  ASSERT_EQ(h.feed(responses, Direction::Response).status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]->index, 0u);
  EXPECT_EQ(heads[0]->status, 200);
  EXPECT_EQ(heads[0]->value(Zone::Status), "200");
  EXPECT_EQ(heads[0]->value(Zone::RespHeader, "set-cookie"), "a=b");
  EXPECT_EQ(heads[1]->index, 1u);
  EXPECT_EQ(heads[1]->status, 404);
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody, Direction::Response)[0]->value(Zone::RespBody), "ok");
  EXPECT_EQ(h.parser->requests_in_flight(), 0u);
}

TEST(Http1Parser, ResponseToHeadHasNoBodyDespiteContentLength) {
  Http1Harness h;
  ASSERT_EQ(h.feed("HEAD /f HTTP/1.1\r\nHost: h\r\n\r\n" + kGet).status, FeedStatus::Ok);
  const std::string responses =
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  const FeedResult r = h.feed(responses, Direction::Response);
  ASSERT_EQ(r.status, FeedStatus::Ok);
  const auto bodies = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]->count(Zone::RespBody), 0u);
  EXPECT_EQ(bodies[0]->method, "HEAD");
  EXPECT_EQ(bodies[1]->index, 1u);
  EXPECT_EQ(bodies[1]->method, "GET");
  EXPECT_EQ(bodies[1]->value(Zone::RespBody), "abc");
}

TEST(Http1Parser, NoContentAndNotModifiedHaveNoBody) {
  Http1Harness h;
  ASSERT_EQ(h.feed(kGet + kGet + kGet).status, FeedStatus::Ok);
  const std::string responses =
      "HTTP/1.1 204 No Content\r\n\r\n"
      "HTTP/1.1 304 Not Modified\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz";
  ASSERT_EQ(h.feed(responses, Direction::Response).status, FeedStatus::Ok);
  const auto bodies = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[2]->index, 2u);
  EXPECT_EQ(bodies[2]->value(Zone::RespBody), "z");
}

TEST(Http1Parser, ExpectContinueInterimResponseDoesNotEndTheExchange) {
  Http1Harness h;
  const std::string head =
      "POST /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
      "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n";
  ASSERT_EQ(h.feed(head).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 1u);  // headers decided before the body is sent
  ASSERT_EQ(h.feed("HTTP/1.1 100 Continue\r\n\r\n", Direction::Response).status, FeedStatus::Ok);
  EXPECT_EQ(h.parser->requests_in_flight(), 1u);
  ASSERT_EQ(h.feed(R"({"a":1})" " ").status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody).at(0)->value(Zone::BodyJson, "a"), "1");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody).at(0)->value(Zone::Header, "expect"), "100-continue");
  ASSERT_EQ(h.feed("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", Direction::Response).status,
            FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]->status, 100);
  EXPECT_EQ(heads[1]->status, 201);
  EXPECT_EQ(heads[1]->index, 0u);
  EXPECT_EQ(h.parser->requests_in_flight(), 0u);
}

TEST(Http1Parser, ConnectTunnelEndsHttpParsing) {
  Http1Harness h;
  ASSERT_EQ(h.feed("CONNECT db.internal:5432 HTTP/1.1\r\nHost: db.internal:5432\r\n\r\n").status,
            FeedStatus::Ok);
  const std::string resp = "HTTP/1.1 200 Connection established\r\n\r\n";
  const FeedResult r = h.feed(resp + "\x16\x03\x01 tunnel bytes", Direction::Response);
  EXPECT_EQ(r.status, FeedStatus::Upgraded);
  EXPECT_EQ(r.upgrade, UpgradeKind::Connect);
  EXPECT_EQ(r.consumed, resp.size());
  const FeedResult later = h.feed("anything", Direction::Request);
  EXPECT_EQ(later.status, FeedStatus::Upgraded);
  EXPECT_EQ(later.consumed, 0u);
}

TEST(Http1Parser, WebSocketAndH2cUpgradesAreHandedOff) {
  struct Case {
    const char* upgrade;
    UpgradeKind kind;
  };
  for (const Case c : {Case{"websocket", UpgradeKind::WebSocket}, Case{"h2c", UpgradeKind::H2c}}) {
    Http1Harness h;
    const std::string req = std::string("GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: ") +
                            c.upgrade + "\r\n\r\n";
    ASSERT_EQ(h.feed(req).status, FeedStatus::Ok);
    const std::string resp = std::string("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ") +
                             c.upgrade + "\r\n\r\n";
    const FeedResult r = h.feed(resp + "\x81\x05hello", Direction::Response);
    EXPECT_EQ(r.status, FeedStatus::Upgraded) << c.upgrade;
    EXPECT_EQ(r.upgrade, c.kind) << c.upgrade;
    EXPECT_EQ(r.consumed, resp.size()) << c.upgrade;
  }
}

TEST(Http1Parser, H2cPriorKnowledgePrefaceIsHandedOff) {
  const std::string preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  const std::string frames("\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9);
  for (size_t step : {0, 1, 5}) {
    Http1Harness h;
    const FeedResult r = h.feed(preface + frames, Direction::Request, step);
    EXPECT_EQ(r.status, FeedStatus::Upgraded) << step;
    EXPECT_EQ(r.upgrade, UpgradeKind::H2c) << step;
    EXPECT_EQ(r.consumed, preface.size()) << step;
    EXPECT_TRUE(h.sink.decisions.empty());
  }
  Http1Harness bad;
  const FeedResult r = bad.feed("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http1.bad_h2_preface");
}

TEST(Http1Parser, RefusedUpgradeKeepsParsingHttp) {
  Http1Harness h;
  ASSERT_EQ(h.feed("GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n").status,
            FeedStatus::Ok);
  ASSERT_EQ(h.feed("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", Direction::Response).status,
            FeedStatus::Ok);
  // A smuggled request after the refused upgrade is still seen as HTTP.
  ASSERT_EQ(h.feed("GET /admin?x=1 HTTP/1.1\r\nHost: h\r\n\r\n").status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[1]->value(Zone::Path), "/admin");
}

TEST(Http1Parser, UnsolicitedSwitchIsReported) {
  Http1Harness h;
  ASSERT_EQ(h.feed(kGet).status, FeedStatus::Ok);
  const FeedResult r = h.feed("HTTP/1.1 101 Switching Protocols\r\n\r\n", Direction::Response);
  EXPECT_EQ(r.status, FeedStatus::Upgraded);
  EXPECT_TRUE(h.sink.any_finding("http1.unsolicited_switch"));
}

TEST(Http1Parser, BlockAtHeadersStopsBeforeTheBody) {
  Http1Harness h;
  h.sink.block_at = 0;
  const std::string req = post("application/json", R"({"a":1})");
  const FeedResult r = h.feed(req);
  EXPECT_EQ(r.status, FeedStatus::Blocked);
  EXPECT_EQ(r.consumed, req.find("\r\n\r\n") + 4);
  EXPECT_EQ(h.sink.decisions.size(), 1u);
  EXPECT_EQ(h.feed(kGet).status, FeedStatus::Blocked);
  EXPECT_EQ(h.sink.decisions.size(), 1u);
}

TEST(Http1Parser, BlockSecondPipelinedRequestConsumesOnlyUpToIt) {
  Http1Harness h;
  h.sink.block_at = 2;  // EndOfHeaders of the second request
  const FeedResult r = h.feed(kGet + kGet + kGet);
  EXPECT_EQ(r.status, FeedStatus::Blocked);
  EXPECT_EQ(r.consumed, 2 * kGet.size());
}

TEST(Http1Parser, CloseDelimitedResponseEndsAtEndOfStream) {
  Http1Harness h;
  ASSERT_EQ(h.feed("GET / HTTP/1.0\r\n\r\n").status, FeedStatus::Ok);
  ASSERT_EQ(h.feed("HTTP/1.0 200 OK\r\n\r\npart1 ", Direction::Response).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.at(DecisionPoint::EndOfBody, Direction::Response).empty());
  ASSERT_EQ(h.feed("part2", Direction::Response, 0, true).status, FeedStatus::Ok);
  const auto bodies = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0]->value(Zone::RespBody), "part1 part2");
  EXPECT_EQ(bodies[0]->value(Zone::Status), "200");
}

TEST(Http1Parser, BodyOverTheInspectionLimitIsTruncatedWithAFinding) {
  ParseLimits limits;
  limits.max_body_inspect = 16;
  Http1Harness h(limits);
  ASSERT_EQ(h.feed(post("application/json", R"({"a":"0123456789abcdef"})")).status, FeedStatus::Ok);
  const RecordedDecision& body = h.sink.decisions.at(1);
  EXPECT_TRUE(body.has_finding("http1.body_truncated"));
  EXPECT_EQ(body.value(Zone::BodyRaw), R"({"a":"0123456789)");
  EXPECT_EQ(body.count(Zone::BodyJson), 0u);
}

TEST(Http1Parser, HeadOverTheLimitIsAParseError) {
  ParseLimits limits;
  limits.max_head_bytes = 256;
  for (size_t step : {0, 7}) {
    Http1Harness h(limits);
    const std::string req = "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(300, 'a') + "\r\n\r\n";
    const FeedResult r = h.feed(req, Direction::Request, step);
    EXPECT_EQ(r.status, FeedStatus::ParseError) << step;
    EXPECT_EQ(r.error.name, "http1.head_too_large") << step;
  }
}

TEST(Http1Parser, ExhaustedBufferPoolIsAResourceLimit) {
  WorkspaceSizes sizes;
  sizes.head_slabs = 0;
  Http1Harness h({}, sizes);
  // A head that ends inside the chunk needs no buffer...
  EXPECT_EQ(h.feed(kGet).status, FeedStatus::Ok);
  // ...one that spans chunks does.
  const FeedResult r = h.feed("GET / HT");
  EXPECT_EQ(r.status, FeedStatus::ResourceLimit);
  EXPECT_EQ(r.error.name, "parse.resource_limit");
}

TEST(Http1Parser, PipelineDepthIsCapped) {
  ParseLimits limits;
  limits.max_pipeline = 2;
  Http1Harness h(limits);
  const FeedResult r = h.feed(kGet + kGet + kGet);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http1.pipeline_too_deep");
  EXPECT_EQ(r.consumed, 2 * kGet.size());
}

TEST(Http1Parser, FieldCapIsAFinding) {
  ParseLimits limits;
  limits.max_fields = 8;
  Http1Harness h(limits);
  ASSERT_EQ(h.feed("GET /?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8 HTTP/1.1\r\nHost: h\r\n\r\n").status,
            FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("parse.field_cap"));
  EXPECT_EQ(h.sink.decisions.at(0).fields.size(), 8u);
}

TEST(Http1Parser, RequestAfterConnectionCloseIsRefused) {
  Http1Harness h;
  const std::string first = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const FeedResult r = h.feed(first + kGet);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http1.data_after_close");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfHeaders).size(), 1u);
}

TEST(Http1Parser, EncodedBodiesAreInspectedAsSentWithAFinding) {
  for (const char* coding : {"Content-Encoding: gzip\r\nContent-Length: 4",
                             "Transfer-Encoding: gzip, chunked"}) {
    Http1Harness h;
    const bool chunked = std::string(coding).find("chunked") != std::string::npos;
    const std::string req = std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n") +
                            coding + "\r\n\r\n" + (chunked ? "4\r\n\x1f\x8b\x08\x01\r\n0\r\n\r\n" : "\x1f\x8b\x08\x01");
    ASSERT_EQ(h.feed(req).status, FeedStatus::Ok) << coding;
    const auto& body = h.sink.decisions.at(1);
    EXPECT_TRUE(body.has_finding("http1.body_encoded")) << coding;
    EXPECT_EQ(body.value(Zone::BodyRaw), std::string("\x1f\x8b\x08\x01", 4)) << coding;
    EXPECT_FALSE(body.has_finding("json.malformed")) << coding;
  }
}

TEST(Http1Parser, ResponseWithoutRequestIsReported) {
  Http1Harness h;
  ASSERT_EQ(h.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Direction::Response).status,
            FeedStatus::Ok);
  EXPECT_TRUE(h.sink.any_finding("http1.unsolicited_response"));
}

TEST(Http1Parser, FormOverTheFieldCapIsInspectedRaw) {
  ParseLimits limits;
  limits.max_fields = 12;
  Http1Harness h(limits);
  const std::string form = "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&evil=%27or";
  ASSERT_EQ(h.feed(post("application/x-www-form-urlencoded", form)).status, FeedStatus::Ok);
  const auto& body = h.sink.decisions.at(1);
  EXPECT_TRUE(body.has_finding("parse.field_cap"));
  EXPECT_EQ(body.value(Zone::BodyRaw), form);
  EXPECT_EQ(body.fields.size(), 12u);
}

// Flows of one worker share its workspace: one flow's feed resets the
// arena another flow's message was using, so a message that spans feeds
// must rebuild its views from its own retained head.
TEST(Http1Parser, FlowsSharingAWorkspaceDoNotSeeEachOther) {
  ParserWorkspace ws(ParseLimits{}, testing::test_sizes());
  Http1Parser a(ws);
  Http1Parser b(ws);
  testing::RecordingSink sink_a;
  testing::RecordingSink sink_b;
  const std::string req = post("application/json", R"({"who":"a"})", "/flow/a");
  const size_t head_len = req.find("\r\n\r\n") + 4;
  std::string first = req.substr(0, head_len + 3);
  ASSERT_EQ(a.feed(testing::chunk_of(first), sink_a).status, FeedStatus::Ok);
  first.assign(first.size(), '#');  // the chunk is gone
  const std::string other = "GET /flow/b?x=" + std::string(500, 'b') + " HTTP/1.1\r\nHost: b\r\n\r\n";
  ASSERT_EQ(b.feed(testing::chunk_of(other), sink_b).status, FeedStatus::Ok);
  ASSERT_EQ(a.feed(testing::chunk_of(req.substr(head_len + 3)), sink_a).status, FeedStatus::Ok);
  ASSERT_EQ(sink_a.decisions.size(), 2u);
  const auto& body = sink_a.decisions[1];
  EXPECT_EQ(body.value(Zone::Path), "/flow/a");
  EXPECT_EQ(body.target, "/flow/a");
  EXPECT_EQ(body.value(Zone::Header, "content-type"), "application/json");
  EXPECT_EQ(body.value(Zone::BodyJson, "who"), "a");
  EXPECT_EQ(sink_b.decisions.at(0).value(Zone::Path), "/flow/b");
}

TEST(Http1Parser, EmptyLinesBetweenRequestsAreTolerated) {
  Http1Harness h;
  ASSERT_EQ(h.feed(post("text/plain", "x") + "\r\n" + kGet).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfHeaders).size(), 2u);
}

}  // namespace
}  // namespace weir::parse
