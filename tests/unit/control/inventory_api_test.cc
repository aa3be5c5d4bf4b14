// Inventory routes of the admin API over the real socket: shapes, filters,
// strict input, the spec and flow endpoints, and the test hook being off.
#include "control/admin/admin_api.h"

#include <gtest/gtest.h>

#include "parsers/field.h"
#include "tests/unit/control/control_test_util.h"

namespace weir::ctl {
namespace {

using testing_util::Reply;
using testing_util::RunningControl;

detect::ApiObservation obs(const char* method, const char* path, uint64_t session) {
  detect::ApiObservation o;
  o.ts_ns = 0;  // now: inside the orphan window
  o.method.assign(method);
  o.host.assign("api.test");
  o.path.assign(path);
  o.status = 200;
  o.session_key = session;
  return o;
}

void feed(RunningControl& rc) {
  for (uint64_t s = 1; s <= 4; ++s) {
    auto a = obs("GET", ("/items/" + std::to_string(s)).c_str(), s);
    auto& p = a.params[a.param_count++];
    p.name.assign("card");
    p.zone = static_cast<uint8_t>(parse::Zone::RespBody);
    p.side = detect::ParamSide::Response;
    p.sensitive = detect::sensitive_bit(detect::SensitiveClass::Pan);
    a.response_sensitive = p.sensitive;
    rc.cp->inventory().ingest(a);
    rc.cp->inventory().ingest(obs("POST", "/cart", s));
    rc.cp->inventory().ingest(obs("POST", "/pay", s));
  }
}

TEST(InventoryApi, ListShowSensitiveAndFilters) {
  RunningControl rc;
  feed(rc);
  Reply r = rc.call("GET", "/v1/inventory");
  ASSERT_EQ(r.status, 200) << r.head;
  ASSERT_EQ(r.body["endpoints"].size(), 3u);
  EXPECT_EQ(r.body["observations"], 12);
  r = rc.call("GET", "/v1/inventory?sensitive=pan");
  ASSERT_EQ(r.body["endpoints"].size(), 1u);
  const int id = r.body["endpoints"][0]["id"];
  EXPECT_EQ(r.body["endpoints"][0]["path"], "/items/{id}");
  EXPECT_EQ(r.body["endpoints"][0]["spec_status"], "unknown");
  r = rc.call("GET", "/v1/inventory/endpoints/" + std::to_string(id));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["endpoint"]["params"][0]["sensitive"][0], "pan");
  r = rc.call("GET", "/v1/inventory/sensitive?class=pan");
  ASSERT_EQ(r.body["findings"].size(), 1u);
  EXPECT_EQ(r.body["findings"][0]["params"][0], "resp_body:card");
  r = rc.call("GET", "/v1/inventory?tag=payment");
  EXPECT_EQ(r.body["endpoints"].size(), 3u);  // items carry a PAN; cart and pay by name
  r = rc.call("GET", "/v1/inventory/openapi");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["openapi"], "3.1.0");
}

TEST(InventoryApi, StrictInput) {
  RunningControl rc;
  feed(rc);
  struct Case {
    const char* method;
    const char* target;
    const char* body;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"GET", "/v1/inventory?colour=red", "", 400, "unknown_field"},
      {"GET", "/v1/inventory?status=lost", "", 400, "invalid_value"},
      {"GET", "/v1/inventory?sensitive=gold", "", 400, "invalid_value"},
      {"GET", "/v1/inventory?limit=0", "", 400, "invalid_value"},
      {"GET", "/v1/inventory/endpoints/abc", "", 400, "invalid_value"},
      {"GET", "/v1/inventory/endpoints/999", "", 404, "not_found"},
      {"GET", "/v1/inventory/openapi?host=nope", "", 404, "not_found"},
      {"POST", "/v1/inventory", "", 405, "method_not_allowed"},
      {"POST", "/v1/inventory/specs", "{\"spec\": 3}", 400, "wrong_type"},
      {"POST", "/v1/inventory/specs", "{\"text\": \"x\"}", 400, "unknown_field"},
      {"POST", "/v1/inventory/specs", "{\"spec\": \"swagger: '2.0'\\npaths: {}\"}", 422, "invalid_spec"},
      {"POST", "/v1/inventory/diff", "{", 400, "bad_json"},
      {"POST", "/v1/business-flows/promote", "{\"name\": \"x\", \"id\": \"000000000000\"}", 404, "not_found"},
      {"POST", "/v1/business-flows/promote", "{\"name\": \"x\", \"steps\": [\"a\"]}", 400, "wrong_type"},
      {"POST", "/v1/test/observations", "{\"exchanges\": []}", 404, "not_found"},
  };
  for (const auto& c : cases) {
    const Reply r = rc.call(c.method, c.target, c.body);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.target;
    EXPECT_EQ(r.body["error"]["code"], c.code) << c.method << " " << c.target << " " << r.body.dump();
  }
}

TEST(InventoryApi, SpecsAndFlows) {
  RunningControl rc;
  feed(rc);
  const std::string spec =
      R"({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/items/{itemId}": {"get": {"responses": {"200": {"description": "ok"}}}}, "/gone": {"get": {"responses": {"200": {"description": "ok"}}}}}})";
  Reply r = rc.call("POST", "/v1/inventory/specs", nlohmann::json({{"spec", spec}, {"host", "api.test"}}).dump());
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["spec"]["operations"], 2);
  r = rc.call("GET", "/v1/inventory?status=shadow");
  EXPECT_EQ(r.body["endpoints"].size(), 2u);
  r = rc.call("GET", "/v1/inventory?status=orphan");
  ASSERT_EQ(r.body["orphans"].size(), 1u);
  EXPECT_EQ(r.body["orphans"][0]["path"], "/gone");
  r = rc.call("GET", "/v1/business-flows");
  ASSERT_EQ(r.status, 200);
  std::string id;
  for (const auto& f : r.body["flows"])
    if (f["steps"].size() == 3 && f["steps"][1] == "api.test POST /cart" && f["steps"][2] == "api.test POST /pay")
      id = f["id"];
  ASSERT_FALSE(id.empty()) << r.body.dump();
  r = rc.call("POST", "/v1/business-flows/promote", nlohmann::json({{"id", id}, {"name", "buy"}}).dump());
  ASSERT_EQ(r.status, 201);
  r = rc.call("GET", "/v1/business-flows/buy");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["flow"]["source"], "promoted");
  EXPECT_EQ(r.body["flow"]["support"], 4);
}

}  // namespace
}  // namespace weir::ctl
