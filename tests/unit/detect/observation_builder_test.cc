// Observations built from real HTTP/1 exchanges through the parser.
#include "detect/observe/observation_builder.h"

#include <gtest/gtest.h>

#include <string>

#include "detect/observe/http_exchange_observer.h"
#include "parsers/field.h"

namespace weir::detect {
namespace {

using parse::Zone;

const ParamShape* find(const ApiObservation& o, Zone zone, std::string_view name) {
  for (uint16_t i = 0; i < o.param_count; ++i)
    if (o.params[i].zone == static_cast<uint8_t>(zone) && o.params[i].name.view() == name) return &o.params[i];
  return nullptr;
}

std::string response(std::string_view content_type, std::string_view body, int status = 200) {
  return "HTTP/1.1 " + std::to_string(status) + " OK\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

class ObservationBuilder : public ::testing::Test {
 protected:
  bool observe(const std::string& req, const std::string& resp) {
    return observe_http_exchange(req, resp, 1500, ctx_, ws_, obs_);
  }
  parse::ParserWorkspace ws_;
  ObservationContext ctx_;
  ApiObservation obs_;
};

TEST_F(ObservationBuilder, RestJsonRequestAndResponse) {
  const std::string body = R"({"name":"widget","qty":3,"items":[{"sku":"A1"},{"sku":"B2"}]})";
  const std::string req = "POST /api/v1/users/42/orders?expand=true&api_key=s3cr3t HTTP/1.1\r\n"
                          "Host: Shop.Example:8080\r\nContent-Type: application/json\r\n"
                          "X-Tenant: acme\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string resp_body =
      R"({"id":"550e8400-e29b-41d4-a716-446655440000","card":"4111111111111111","owner":{"email":"bob@example.com"},"ssn":"536-22-1234"})";
  ctx_.port_in = 1;
  ctx_.port_out = 2;
  ASSERT_TRUE(observe(req, response("application/json; charset=utf-8", resp_body, 201)));
  EXPECT_EQ(obs_.method.view(), "POST");
  EXPECT_EQ(obs_.host.view(), "shop.example");
  EXPECT_EQ(obs_.path.view(), "/api/v1/users/42/orders");
  EXPECT_EQ(obs_.status, 201);
  EXPECT_EQ(obs_.latency_us, 1500u);
  EXPECT_EQ(obs_.protocol, ApiProtocol::Rest);
  EXPECT_EQ(obs_.request_content_type.view(), "application/json");
  EXPECT_EQ(obs_.response_content_type.view(), "application/json");
  EXPECT_EQ(obs_.port_in, 1);
  EXPECT_TRUE(obs_.auth & auth_bit(AuthScheme::ApiKeyQuery));

  const ParamShape* qty = find(obs_, Zone::BodyJson, "qty");
  ASSERT_NE(qty, nullptr);
  EXPECT_EQ(qty->type, ValueType::Integer);
  ASSERT_NE(find(obs_, Zone::BodyJson, "items[].sku"), nullptr);
  ASSERT_NE(find(obs_, Zone::QueryArg, "expand"), nullptr);
  EXPECT_EQ(find(obs_, Zone::QueryArg, "expand")->type, ValueType::Boolean);
  ASSERT_NE(find(obs_, Zone::Header, "x-tenant"), nullptr);
  EXPECT_EQ(find(obs_, Zone::Header, "user-agent"), nullptr);

  const ParamShape* id = find(obs_, Zone::RespBody, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->side, ParamSide::Response);
  EXPECT_EQ(id->format, ValueFormat::Uuid);
  const ParamShape* card = find(obs_, Zone::RespBody, "card");
  ASSERT_NE(card, nullptr);
  EXPECT_TRUE(card->sensitive & sensitive_bit(SensitiveClass::Pan));
  EXPECT_TRUE(find(obs_, Zone::RespBody, "owner.email")->sensitive & sensitive_bit(SensitiveClass::Email));
  EXPECT_TRUE(obs_.response_sensitive & sensitive_bit(SensitiveClass::UsSsn));
  EXPECT_FALSE(obs_.request_sensitive & sensitive_bit(SensitiveClass::Pan));
}

TEST_F(ObservationBuilder, AuthSchemesAndSessionKey) {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
  ctx_.client_key = 77;
  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + jwt + "\r\n\r\n", ""));
  EXPECT_EQ(obs_.auth, auth_bit(AuthScheme::BearerJwt));
  EXPECT_NE(obs_.session_key, 77u);
  // A JWT used as a credential is not "sensitive data in the payload".
  EXPECT_EQ(obs_.request_sensitive, 0u);
  const uint64_t bob = obs_.session_key;
  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + jwt + "\r\n\r\n", ""));
  EXPECT_EQ(obs_.session_key, bob);

  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YTpi\r\n\r\n", ""));
  EXPECT_EQ(obs_.auth, auth_bit(AuthScheme::Basic));
  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\nX-API-Key: k\r\n\r\n", ""));
  EXPECT_EQ(obs_.auth, auth_bit(AuthScheme::ApiKeyHeader));
  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\nCookie: theme=dark; sessionid=abc\r\n\r\n", ""));
  EXPECT_EQ(obs_.auth, auth_bit(AuthScheme::CookieSession));
  ASSERT_TRUE(observe("GET /me HTTP/1.1\r\nHost: a\r\n\r\n", ""));
  EXPECT_EQ(obs_.auth, 0);
  EXPECT_EQ(obs_.session_key, 77u);
}

TEST_F(ObservationBuilder, ProtocolsAndOperations) {
  const std::string gql = R"({"query":"mutation AddItem($id: ID!) { add(id: $id) { ok } }","operationName":"AddItem","variables":{"id":"5"}})";
  ASSERT_TRUE(observe("POST /graphql HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(gql.size()) + "\r\n\r\n" + gql,
                      ""));
  EXPECT_EQ(obs_.protocol, ApiProtocol::Graphql);
  EXPECT_EQ(obs_.operation.view(), "AddItem");
  EXPECT_EQ(obs_.operation_type.view(), "mutation");

  const std::string soap = "<Envelope/>";
  ASSERT_TRUE(observe("POST /ws/billing HTTP/1.1\r\nHost: a\r\nContent-Type: text/xml\r\nSOAPAction: \"urn:GetInvoice\"\r\n"
                      "Content-Length: " + std::to_string(soap.size()) + "\r\n\r\n" + soap,
                      ""));
  EXPECT_EQ(obs_.protocol, ApiProtocol::Soap);
  EXPECT_EQ(obs_.operation.view(), "urn:GetInvoice");

  ASSERT_TRUE(observe("POST /shop.Cart/AddItem HTTP/1.1\r\nHost: a\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n", ""));
  EXPECT_EQ(obs_.protocol, ApiProtocol::Grpc);
  EXPECT_EQ(obs_.operation.view(), "shop.Cart/AddItem");

  ctx_.protocol_known = true;
  ctx_.protocol = ApiProtocol::WebSocket;
  ctx_.operation = "prices";
  ASSERT_TRUE(observe("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n", ""));
  EXPECT_EQ(obs_.protocol, ApiProtocol::WebSocket);
  EXPECT_EQ(obs_.operation.view(), "prices");
}

TEST_F(ObservationBuilder, RawPathIsRedactedAndValuesNeverKept) {
  ASSERT_TRUE(observe("GET /users/alice@example.com/cards/4111111111111111 HTTP/1.1\r\nHost: a\r\n\r\n",
                      response("text/plain", "your ssn is 536-22-1234")));
  EXPECT_EQ(obs_.path.view(), "/users/[email]/cards/[pan]");
  EXPECT_TRUE(obs_.request_sensitive & sensitive_bit(SensitiveClass::Email));
  EXPECT_TRUE(obs_.request_sensitive & sensitive_bit(SensitiveClass::Pan));
  EXPECT_TRUE(obs_.response_sensitive & sensitive_bit(SensitiveClass::UsSsn));
}

TEST_F(ObservationBuilder, ParameterCapIsFlagged) {
  std::string q;
  for (int i = 0; i < 60; ++i) q += (i ? "&p" : "p") + std::to_string(i) + "=1";
  ASSERT_TRUE(observe("GET /x?" + q + " HTTP/1.1\r\nHost: a\r\n\r\n", ""));
  EXPECT_EQ(obs_.param_count, ApiObservation::kMaxParams);
  EXPECT_TRUE(obs_.params_truncated);
}

TEST(EndpointSamplingKey, FoldsIdsButNotRoutes) {
  EXPECT_EQ(endpoint_sampling_key("h", "GET", "/users/1"), endpoint_sampling_key("h", "GET", "/users/999999"));
  EXPECT_NE(endpoint_sampling_key("h", "GET", "/users/1"), endpoint_sampling_key("h", "GET", "/users/me"));
  EXPECT_NE(endpoint_sampling_key("h", "GET", "/users/1"), endpoint_sampling_key("h", "POST", "/users/1"));
  EXPECT_NE(endpoint_sampling_key("h", "GET", "/users/1"), endpoint_sampling_key("g", "GET", "/users/1"));
}

}  // namespace
}  // namespace weir::detect
