// OpenAPI import ($ref), classification, drift, export and round trip.
#include "control/inventory/spec_catalog.h"

#include <gtest/gtest.h>

#include "control/inventory/inventory.h"
#include "control/inventory/openapi_export.h"
#include "parsers/field.h"

namespace weir::ctl {
namespace {

using Json = nlohmann::json;

const char* kSpecYaml = R"(
openapi: 3.0.3
info: {title: shop, version: "2"}
paths:
  /users/{userId}:
    parameters:
      - $ref: '#/components/parameters/UserId'
    get:
      parameters:
        - {name: expand, in: query, schema: {type: boolean}}
      responses: {'200': {description: ok}}
  /users/me:
    get: {responses: {'200': {description: ok}}}
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses: {'201': {description: created}}
  /legacy/export:
    get:
      deprecated: true
      responses: {'200': {description: ok}}
  /reports:
    get: {responses: {'200': {description: ok}}}
components:
  parameters:
    UserId: {name: userId, in: path, required: true, schema: {type: string}}
  schemas:
    Order:
      type: object
      properties:
        qty: {type: integer}
        items: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Item:
      type: object
      properties:
        sku: {type: string}
        parent: {$ref: '#/components/schemas/Item'}
)";

detect::ApiObservation obs(const char* method, const char* path) {
  detect::ApiObservation o;
  o.ts_ns = 1'000'000'000'000;
  o.method.assign(method);
  o.host.assign("shop");
  o.path.assign(path);
  o.status = 200;
  return o;
}

void param(detect::ApiObservation& o, parse::Zone z, const char* name, detect::ValueType t, bool response = false) {
  auto& p = o.params[o.param_count++];
  p.name.assign(name);
  p.zone = static_cast<uint8_t>(z);
  p.type = t;
  p.side = response ? detect::ParamSide::Response : detect::ParamSide::Request;
}

std::vector<std::string> paths_of(const Json& list) {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e["method"].get<std::string>() + " " + e["path"].get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SpecCatalog, LoadsYamlAndResolvesRefsIncludingCycles) {
  const Json doc = resolve_refs(load_spec_text(kSpecYaml));
  const auto ops = spec_operations(doc);
  ASSERT_EQ(ops.size(), 5u);
  const SpecOperation* user = nullptr;
  const SpecOperation* orders = nullptr;
  for (const auto& op : ops) {
    if (op.path == "/users/{userId}") user = &op;
    if (op.path == "/orders") orders = &op;
  }
  ASSERT_TRUE(user && orders);
  ASSERT_EQ(user->params.size(), 2u);
  EXPECT_EQ(user->params[0].in, "path");
  EXPECT_EQ(user->params[0].name, "userId");
  std::vector<std::string> body;
  for (const auto& p : orders->params) body.push_back(p.name + ":" + p.type);
  // items[].parent is a cycle: kept as the $ref object, so no deeper properties.
  EXPECT_EQ(body, (std::vector<std::string>{"items[].parent:", "items[].sku:string", "qty:integer"}));
}

TEST(SpecCatalog, JsonAndErrors) {
  EXPECT_NO_THROW(load_spec_text(R"({"openapi": "3.1.0", "info": {}, "paths": {}})"));
  EXPECT_THROW(load_spec_text(R"({"swagger": "2.0", "paths": {}})"), SpecError);
  EXPECT_THROW(load_spec_text("{not json"), SpecError);
  EXPECT_THROW(resolve_refs(load_spec_text(
                   R"({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/missing"}}})")),
               SpecError);
}

TEST(SpecCatalog, ShadowZombieOrphanAndDrift) {
  Inventory inv(InventoryOptions{}, nullptr);
  auto u = obs("GET", "/users/42");
  param(u, parse::Zone::QueryArg, "expand", detect::ValueType::Boolean);
  param(u, parse::Zone::QueryArg, "debug", detect::ValueType::Integer);  // undocumented
  inv.ingest(u);
  inv.ingest(obs("GET", "/users/me"));
  auto o = obs("POST", "/orders");
  param(o, parse::Zone::BodyJson, "qty", detect::ValueType::String);  // spec: integer
  inv.ingest(o);
  inv.ingest(obs("GET", "/legacy/export"));   // deprecated -> zombie
  inv.ingest(obs("DELETE", "/users/42"));     // not in the spec -> shadow
  inv.ingest(obs("GET", "/internal/health")); // shadow

  const auto v2 = spec_operations(resolve_refs(load_spec_text(kSpecYaml)));
  const Json r = classify_endpoints(inv.endpoints(), {v2}, 1'000'000'000'000, 3600'000'000'000);
  EXPECT_EQ(paths_of(r["shadow"]), (std::vector<std::string>{"DELETE /users/{id}", "GET /internal/health"}));
  EXPECT_EQ(paths_of(r["zombie"]), (std::vector<std::string>{"GET /legacy/export"}));
  EXPECT_EQ(r["zombie"][0]["reason"], "deprecated");
  EXPECT_EQ(paths_of(r["documented"]),
            (std::vector<std::string>{"GET /users/me", "GET /users/{id}", "POST /orders"}));
  EXPECT_EQ(paths_of(r["orphan"]), (std::vector<std::string>{"GET /reports"}));
  ASSERT_EQ(r["drift"].size(), 2u) << r["drift"].dump();
  std::vector<std::string> drift;
  for (const auto& d : r["drift"]) drift.push_back(d["kind"].get<std::string>() + " " + d["name"].get<std::string>());
  std::sort(drift.begin(), drift.end());
  EXPECT_EQ(drift, (std::vector<std::string>{"type_mismatch qty", "undocumented_parameter debug"}));

  // An operation removed in a newer version is a zombie when still called.
  Json v3doc = load_spec_text(kSpecYaml);
  v3doc["paths"].erase("/users/me");
  const auto v3 = spec_operations(resolve_refs(v3doc));
  const Json r3 = classify_endpoints(inv.endpoints(), {v2, v3}, 1'000'000'000'000, 3600'000'000'000);
  bool removed = false;
  for (const auto& z : r3["zombie"])
    if (z["path"] == "/users/me") removed = z["reason"] == "removed";
  EXPECT_TRUE(removed);

  // Outside the window every operation is an orphan.
  const Json late = classify_endpoints(inv.endpoints(), {v2}, 1'000'000'000'000 + 7200'000'000'000, 3600'000'000'000);
  EXPECT_EQ(late["orphan"].size(), 5u);
}

TEST(OpenApiExport, SchemasParamsAndRoundTrip) {
  Inventory inv(InventoryOptions{}, nullptr);
  for (int i = 0; i < 2; ++i) {
    auto o = obs("POST", ("/users/" + std::to_string(i + 1) + "/orders").c_str());
    param(o, parse::Zone::QueryArg, "dry_run", detect::ValueType::Boolean);
    param(o, parse::Zone::BodyJson, "items[].sku", detect::ValueType::String);
    param(o, parse::Zone::BodyJson, "items[].qty", detect::ValueType::Integer);
    param(o, parse::Zone::BodyJson, "note", detect::ValueType::String);
    param(o, parse::Zone::RespBody, "id", detect::ValueType::String, true);
    o.params[o.param_count - 1].format = detect::ValueFormat::Uuid;
    o.status = 201;
    o.request_content_type.assign("application/json");
    o.response_content_type.assign("application/json");
    inv.ingest(o);
  }
  auto g = obs("GET", "/users/me");
  g.status = 404;
  inv.ingest(g);
  const Json doc = export_openapi(inv.endpoints(), "shop");
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const Json& op = doc["paths"]["/users/{id}/orders"]["post"];
  ASSERT_TRUE(op.is_object()) << doc.dump(2);
  EXPECT_EQ(op["parameters"][0]["in"], "path");
  EXPECT_EQ(op["parameters"][1]["name"], "dry_run");
  EXPECT_EQ(op["parameters"][1]["required"], true);
  const Json& body = op["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_EQ(body["properties"]["items"]["type"], "array");
  EXPECT_EQ(body["properties"]["items"]["items"]["properties"]["qty"]["type"], "integer");
  EXPECT_EQ(op["responses"]["201"]["content"]["application/json"]["schema"]["properties"]["id"]["format"], "uuid");
  EXPECT_TRUE(doc["paths"]["/users/me"]["get"]["responses"].contains("404"));

  // Import the export: everything documented, nothing drifts, no orphan.
  const auto ops = spec_operations(resolve_refs(load_spec_text(doc.dump())));
  const Json r = classify_endpoints(inv.endpoints(), {ops}, 1'000'000'000'000, 3600'000'000'000);
  EXPECT_EQ(r["documented"].size(), 2u);
  EXPECT_TRUE(r["shadow"].empty());
  EXPECT_TRUE(r["zombie"].empty());
  EXPECT_TRUE(r["orphan"].empty());
  EXPECT_TRUE(r["drift"].empty()) << r["drift"].dump();
}

}  // namespace
}  // namespace weir::ctl
