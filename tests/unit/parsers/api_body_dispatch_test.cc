// The HTTP/1 parser hands GraphQL and XML bodies (and GraphQL over GET) to
// their inspectors: the fields and findings below exist only through that
// dispatch (without it the body is one raw or JSON field and no graphql./xml.
// finding is ever raised).
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/parsers/http1_harness.h"

namespace weir::parse {
namespace {

std::string post(const std::string& target, const std::string& type, const std::string& body,
                 const std::string& extra = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: api.example\r\nContent-Type: " + type + "\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool has_field(const testing::RecordedDecision& d, Zone zone, const std::string& name_part,
               const std::string& value_part) {
  for (const auto& f : d.fields)
    if (f.zone == zone && f.name.find(name_part) != std::string::npos &&
        f.value.find(value_part) != std::string::npos)
      return true;
  return false;
}

const testing::RecordedDecision& body_decision(testing::Http1Harness& h) {
  auto v = h.sink.at(DecisionPoint::EndOfBody);
  EXPECT_EQ(v.size(), 1u);
  return *v.at(0);
}

TEST(ApiBodyDispatch, GraphqlJsonAtAGraphqlPathGivesArgumentsAndVariables) {
  testing::Http1Harness h;
  const std::string body =
      R"({"query":"query Q($id: ID!) { user(id: $id, filter: \"x' or 1=1\") { name } }","variables":{"id":"42"}})";
  ASSERT_EQ(h.feed(post("/api/graphql", "application/json", body)).status, FeedStatus::Ok);
  const auto& d = body_decision(h);
  EXPECT_TRUE(has_field(d, Zone::GraphqlArg, "filter", "x' or 1=1"));
  EXPECT_TRUE(has_field(d, Zone::GraphqlVar, "$", "42"));
}

TEST(ApiBodyDispatch, JsonElsewhereStaysJson) {
  testing::Http1Harness h;
  ASSERT_EQ(h.feed(post("/api/search", "application/json", R"({"query":"union station"})")).status,
            FeedStatus::Ok);
  const auto& d = body_decision(h);
  EXPECT_TRUE(has_field(d, Zone::BodyJson, "query", "union station"));
}

TEST(ApiBodyDispatch, GraphqlPolicyLimitsAreFatalFindings) {
  testing::Http1Harness h;
  std::string doc = "query {";
  for (int i = 0; i < 30; ++i) doc += " a {";
  doc += " id";
  for (int i = 0; i < 30; ++i) doc += " }";
  doc += " }";
  ASSERT_EQ(h.feed(post("/graphql", "application/graphql", doc)).status, FeedStatus::Ok);
  EXPECT_TRUE(body_decision(h).has_finding("graphql.max_depth"));
}

TEST(ApiBodyDispatch, GraphqlOverGetIsParsedFromTheQueryString) {
  testing::Http1Harness h;
  const std::string req =
      "GET /graphql?query=%7B__schema%7Btypes%7Bname%7D%7D%7D HTTP/1.1\r\nHost: api.example\r\n\r\n";
  const FeedResult r = h.feed(req);
  // Introspection is denied by default: a fatal finding in the head stops the stream.
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "graphql.introspection");
}

TEST(ApiBodyDispatch, SoapBodyGivesXmlPathsAndXxeFindings) {
  testing::Http1Harness h;
  const std::string body =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<getUser><id>7 or 1=1</id></getUser></soap:Body></soap:Envelope>";
  ASSERT_EQ(h.feed(post("/ws", "text/xml; charset=utf-8", body, "SOAPAction: \"urn:getUser\"\r\n")).status,
            FeedStatus::Ok);
  const auto& d = body_decision(h);
  EXPECT_TRUE(has_field(d, Zone::BodyXml, "getUser/id", "7 or 1=1"));
  EXPECT_TRUE(d.has_finding("xml.external_entity") || d.has_finding("xml.doctype"));
}

}  // namespace
}  // namespace weir::parse
