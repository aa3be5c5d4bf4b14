// OpenAPI export; see openapi_export.h.
#include "control/inventory/openapi_export.h"

#include <map>
#include <set>

#include "control/inventory/path_templater.h"

namespace weir::ctl {

namespace {

using Json = nlohmann::json;

Json leaf_schema(const ParamRecord& p) {
  Json s = {{"type", detect::value_type_name(p.type)}};
  if (p.type == detect::ValueType::Object) s["type"] = "object";
  if (p.type == detect::ValueType::Array) s = {{"type", "array"}, {"items", Json::object()}};
  const std::string fmt = p.format_mixed ? "" : detect::value_format_name(p.format);
  if (!fmt.empty() && p.type == detect::ValueType::String) s["format"] = fmt;
  return s;
}

// Walks "a.b[].c" into nested object/array schemas under `root`.
void insert_leaf(Json& root, const std::string& name, const Json& leaf) {
  Json* node = &root;
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('.', i);
    if (j == std::string::npos) j = name.size();
    std::string part = name.substr(i, j - i);
    int arrays = 0;
    while (part.size() >= 2 && part.compare(part.size() - 2, 2, "[]") == 0) {
      part.resize(part.size() - 2);
      ++arrays;
    }
    const bool last = j == name.size();
    if (!part.empty()) {
      if (!node->contains("type")) (*node)["type"] = "object";
      if ((*node)["type"] != "object") return;  // a leaf and an object at one path: keep the first
      Json& props = (*node)["properties"];
      if (!props.is_object()) props = Json::object();
      node = &props[part];
    }
    for (int a = 0; a < arrays; ++a) {
      if (!node->contains("type")) *node = {{"type", "array"}, {"items", Json::object()}};
      if ((*node)["type"] != "array") return;
      node = &(*node)["items"];
    }
    if (last) {
      if (node->empty() || !node->contains("properties")) *node = leaf;
      return;
    }
    i = j + 1;
  }
}

std::string op_id(const std::string& method, const std::string& path, std::set<std::string>& used) {
  std::string id;
  for (char c : method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : path) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  std::string out = id;
  for (int n = 2; used.count(out); ++n) out = id + "_" + std::to_string(n);
  used.insert(out);
  return out;
}

const char* param_in(const std::string& zone) {
  if (zone == "query_arg") return "query";
  if (zone == "header") return "header";
  if (zone == "cookie") return "cookie";
  return nullptr;
}

}  // namespace

Json schema_from_params(const std::vector<const ParamRecord*>& params) {
  Json root = Json::object();
  for (const ParamRecord* p : params) insert_leaf(root, p->name, leaf_schema(*p));
  if (root.empty()) root = {{"type", "object"}};
  return root;
}

Json export_openapi(const std::vector<EndpointRecord>& endpoints, const std::string& host) {
  Json paths = Json::object();
  std::set<std::string> ids;
  // GraphQL/SOAP operations share one path+method: merged into one operation.
  std::map<std::pair<std::string, std::string>, std::vector<const EndpointRecord*>> groups;
  for (const auto& e : endpoints)
    if (e.host == host) groups[{e.path_template, e.method}].push_back(&e);
  for (const auto& [pm, eps] : groups) {
    const auto& [path, method] = pm;
    Json op = Json::object();
    op["operationId"] = op_id(method, path, ids);
    Json params = Json::array();
    for (std::string_view seg : split_path(path)) {
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
        params.push_back({{"name", std::string(seg.substr(1, seg.size() - 2))},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    }
    uint64_t calls = 0;
    std::set<std::string> sensitive, auth, tags, ops, req_ct, resp_ct;
    std::map<std::string, uint64_t> status;
    std::map<std::string, const ParamRecord*> header_like, body, response;
    std::map<std::string, uint64_t> seen_count;
    for (const EndpointRecord* e : eps) {
      calls += e->calls;
      for (const auto& [c, n] : e->sensitive_request) sensitive.insert(c);
      for (const auto& [c, n] : e->sensitive_response) sensitive.insert(c);
      for (const auto& [a, n] : e->auth) auth.insert(a);
      tags.insert(e->tags.begin(), e->tags.end());
      if (!e->operation.empty()) ops.insert(e->operation);
      req_ct.insert(e->request_content_types.begin(), e->request_content_types.end());
      resp_ct.insert(e->response_content_types.begin(), e->response_content_types.end());
      for (const auto& [code, n] : e->status) status[std::to_string(code)] += n;
      for (const auto& [k, p] : e->params) {
        seen_count[k] += p.seen;
        if (p.response) response.emplace(k, &p);
        else if (param_in(p.zone)) header_like.emplace(k, &p);
        else if (p.zone == "body_json" || p.zone == "body_form" || p.zone == "body_multipart") body.emplace(k, &p);
      }
    }
    for (const auto& [k, p] : header_like) {
      params.push_back({{"name", p->name},
                        {"in", param_in(p->zone)},
                        {"required", seen_count[k] == calls},
                        {"schema", leaf_schema(*p)}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!body.empty()) {
      std::vector<const ParamRecord*> leaves;
      for (const auto& [k, p] : body) leaves.push_back(p);
      const std::string ct = req_ct.empty() ? "application/json" : *req_ct.begin();
      op["requestBody"] = {{"content", {{ct, {{"schema", schema_from_params(leaves)}}}}}};
    }
    Json responses = Json::object();
    std::vector<const ParamRecord*> resp_leaves;
    for (const auto& [k, p] : response) resp_leaves.push_back(p);
    for (const auto& [code, n] : status) {
      Json r = {{"description", "observed " + std::to_string(n) + " times"}};
      if (code[0] == '2' && !resp_leaves.empty())
        r["content"] = {{resp_ct.empty() ? "application/json" : *resp_ct.begin(),
                         {{"schema", schema_from_params(resp_leaves)}}}};
      responses[code] = r;
    }
    if (responses.empty()) responses["default"] = {{"description", "no response observed"}};
    op["responses"] = responses;
    if (!tags.empty()) op["tags"] = Json(std::vector<std::string>(tags.begin(), tags.end()));
    op["x-weir-calls"] = calls;
    op["x-weir-sensitive"] = Json(std::vector<std::string>(sensitive.begin(), sensitive.end()));
    op["x-weir-auth"] = Json(std::vector<std::string>(auth.begin(), auth.end()));
    if (!ops.empty()) op["x-weir-operations"] = Json(std::vector<std::string>(ops.begin(), ops.end()));
    std::string m = method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[path][m] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info", {{"title", "Weir learned inventory: " + host}, {"version", "learned"}}},
          {"servers", Json::array({{{"url", "https://" + host}}})},
          {"paths", paths}};
}

}  // namespace weir::ctl
