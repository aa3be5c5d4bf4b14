// Inventory: endpoints, parameters, change history and alerts, persistence.
#include "control/inventory/inventory.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "parsers/field.h"

namespace weir::ctl {
namespace {

using detect::ApiObservation;
using detect::SensitiveClass;

ApiObservation obs(const char* method, const char* path, uint64_t session = 1) {
  ApiObservation o;
  o.ts_ns = 1000;
  o.method.assign(method);
  o.host.assign("api.example");
  o.path.assign(path);
  o.status = 200;
  o.latency_us = 1000;
  o.session_key = session;
  o.port_in = 0;
  o.port_out = 1;
  return o;
}

void add_param(ApiObservation& o, parse::Zone zone, const char* name, detect::ValueType type,
               detect::SensitiveMask sensitive = 0, bool response = false) {
  auto& p = o.params[o.param_count++];
  p.name.assign(name);
  p.zone = static_cast<uint8_t>(zone);
  p.side = response ? detect::ParamSide::Response : detect::ParamSide::Request;
  p.type = type;
  p.length = 3;
  p.sensitive = sensitive;
}

class InventoryTest : public ::testing::Test {
 protected:
  InventoryTest() : inv_(InventoryOptions{}, [this](const std::vector<AlertRecord>& a) {
    alerts_.insert(alerts_.end(), a.begin(), a.end());
  }) {}
  std::vector<std::string> alert_classes() const {
    std::vector<std::string> out;
    for (const auto& a : alerts_) out.push_back(a.class_name);
    return out;
  }
  std::vector<AlertRecord> alerts_;
  Inventory inv_;
};

TEST_F(InventoryTest, EndpointsParamsAndRequiredness) {
  for (int i = 0; i < 3; ++i) {
    auto o = obs("GET", ("/users/" + std::to_string(100 + i)).c_str());
    add_param(o, parse::Zone::QueryArg, "expand", detect::ValueType::Boolean);
    if (i == 0) add_param(o, parse::Zone::QueryArg, "page", detect::ValueType::Integer);
    o.status = i == 2 ? 404 : 200;
    o.latency_us = 1000 * (i + 1);
    inv_.ingest(o);
  }
  inv_.ingest(obs("GET", "/users/me"));
  const auto eps = inv_.endpoints();
  ASSERT_EQ(eps.size(), 2u);
  auto e = inv_.endpoint_by_key("api.example GET /users/{id}");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->calls, 3u);
  EXPECT_EQ(e->status.at(200), 2u);
  EXPECT_EQ(e->status.at(404), 1u);
  EXPECT_GE(e->latency.quantile_us(0.99), 3000u);
  const auto j = endpoint_json(*e, true);
  bool expand_required = false, page_required = true;
  for (const auto& p : j["params"]) {
    if (p["name"] == "expand") expand_required = p["required"];
    if (p["name"] == "page") page_required = p["required"];
  }
  EXPECT_TRUE(expand_required);
  EXPECT_FALSE(page_required);
  EXPECT_TRUE(inv_.endpoint_by_key("api.example GET /users/me"));
}

TEST_F(InventoryTest, ChangesRaiseAlerts) {
  auto a = obs("POST", "/login");
  a.auth = detect::auth_bit(detect::AuthScheme::Basic);
  inv_.ingest(a);
  auto b = a;
  add_param(b, parse::Zone::BodyJson, "otp", detect::ValueType::Integer);
  inv_.ingest(b);
  auto c = a;
  c.response_sensitive = detect::sensitive_bit(SensitiveClass::Pan);
  inv_.ingest(c);
  inv_.ingest(c);  // the same class again: no new change
  for (int i = 0; i < 5; ++i) inv_.ingest(a);
  auto noauth = obs("POST", "/login");
  inv_.ingest(noauth);
  inv_.ingest(noauth);  // reported once
  const std::vector<std::string> want = {"inventory.new_endpoint", "inventory.new_parameter",
                                         "inventory.new_sensitive_data", "inventory.auth_missing"};
  EXPECT_EQ(alert_classes(), want);
  EXPECT_EQ(alerts_[2].severity, 3);
  EXPECT_EQ(alerts_[2].text, "POST api.example/login: pan in response");
  const auto changes = inv_.changes(0, 100);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[1].detail, "body_json otp");
  // Alert ids are stable per change (replays de-duplicate in the store).
  EXPECT_NE(alerts_[0].event_id, alerts_[1].event_id);
  EXPECT_TRUE(alerts_[0].event_id >> 63);
}

TEST_F(InventoryTest, SessionTransitions) {
  for (uint64_t s = 1; s <= 3; ++s) {
    inv_.ingest(obs("POST", "/cart", s));
    inv_.ingest(obs("POST", "/checkout", s));
    inv_.ingest(obs("POST", "/pay", s));
  }
  inv_.ingest(obs("GET", "/cart", 0));  // no session: ignored for flows
  uint64_t cart_checkout = 0, checkout_pay = 0;
  for (const auto& t : inv_.transitions()) {
    if (t.from == "api.example POST /cart" && t.to == "api.example POST /checkout") cart_checkout = t.count;
    if (t.from == "api.example POST /checkout" && t.to == "api.example POST /pay") checkout_pay = t.count;
  }
  EXPECT_EQ(cart_checkout, 3u);
  EXPECT_EQ(checkout_pay, 3u);
  EXPECT_EQ(inv_.endpoint_session_counts().at("api.example POST /cart"), 3u);
}

TEST(InventoryScale, ManyIdsOneEndpointBoundedState) {
  Inventory inv(InventoryOptions{}, nullptr);
  for (int i = 0; i < 300000; ++i) {
    auto o = obs("GET", ("/users/" + std::to_string(i)).c_str(), 0);
    inv.ingest(o);
  }
  ASSERT_EQ(inv.endpoints().size(), 1u);
  EXPECT_EQ(inv.endpoints()[0].path_template, "/users/{id}");
  EXPECT_EQ(inv.endpoints()[0].calls, 300000u);
  EXPECT_LE(inv.templater_nodes(), 3u);
}

TEST(InventoryRekey, CollapsedPositionMergesEndpoints) {
  InventoryOptions o;
  o.templating.max_literals = 5;
  o.templating.keep_static_hits = 3;
  Inventory inv(o, nullptr);
  for (int i = 0; i < 4; ++i) inv.ingest(obs("GET", "/docs/intro"));
  for (int i = 0; i < 10; ++i) inv.ingest(obs("GET", ("/docs/page-about-" + std::string(1, char('a' + i))).c_str()));
  auto slug = inv.endpoint_by_key("api.example GET /docs/{doc}");
  ASSERT_TRUE(slug);
  EXPECT_EQ(slug->calls, 10u);
  EXPECT_TRUE(inv.endpoint_by_key("api.example GET /docs/intro"));
  EXPECT_EQ(inv.endpoints().size(), 2u);
}

TEST(InventoryPersistence, SurvivesRestart) {
  const std::string path = ::testing::TempDir() + "/inventory_" + std::to_string(getpid()) + ".db";
  std::filesystem::remove(path);
  InventoryOptions o;
  o.db_path = path;
  {
    Inventory inv(o, nullptr);
    auto a = obs("GET", "/users/5");
    add_param(a, parse::Zone::RespBody, "card", detect::ValueType::String, detect::sensitive_bit(SensitiveClass::Pan),
              true);
    a.response_sensitive = detect::sensitive_bit(SensitiveClass::Pan);
    inv.ingest(a);
    inv.ingest(obs("GET", "/users/me"));
  }
  Inventory again(o, nullptr);
  ASSERT_EQ(again.endpoints().size(), 2u);
  auto e = again.endpoint_by_key("api.example GET /users/{id}");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sensitive_response.at("pan"), 1u);
  ASSERT_EQ(e->params.size(), 1u);
  EXPECT_TRUE(e->params.begin()->second.response);
  EXPECT_EQ(again.changes(0, 10).size(), 3u);  // two new endpoints + pan
  // Learning continues under the same templates and ids.
  again.ingest(obs("GET", "/users/77"));
  EXPECT_EQ(again.endpoint_by_key("api.example GET /users/{id}")->calls, 2u);
  EXPECT_EQ(again.endpoint_by_key("api.example GET /users/{id}")->id, e->id);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace weir::ctl
