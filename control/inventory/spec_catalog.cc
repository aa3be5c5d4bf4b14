// Spec loading and classification; see spec_catalog.h.
#include "control/inventory/spec_catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "control/inventory/path_templater.h"

namespace weir::ctl {

namespace {

using Json = nlohmann::json;

Json yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& v : n) a.push_back(yaml_to_json(v));
      return a;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted: a string whatever it looks like
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      try {
        size_t used = 0;
        const long long v = std::stoll(s, &used);
        if (used == s.size()) return v;
      } catch (const std::exception&) {
      }
      return s;
    }
    default:
      return nullptr;
  }
}

const Json* pointer(const Json& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    const Json& v = doc.at(Json::json_pointer(ref.substr(1)));
    return &v;
  } catch (const std::exception&) {
    return nullptr;
  }
}

Json resolve(const Json& doc, const Json& node, std::vector<std::string>& stack) {
  if (node.is_object()) {
    if (auto r = node.find("$ref"); r != node.end() && r->is_string()) {
      const std::string ref = r->get<std::string>();
      if (std::find(stack.begin(), stack.end(), ref) != stack.end()) return node;  // cycle
      const Json* target = pointer(doc, ref);
      if (!target) throw SpecError("unresolvable $ref '" + ref + "' (only local references are supported)");
      stack.push_back(ref);
      Json out = resolve(doc, *target, stack);
      stack.pop_back();
      return out;
    }
    Json out = Json::object();
    for (const auto& [k, v] : node.items()) out[k] = resolve(doc, v, stack);
    return out;
  }
  if (node.is_array()) {
    Json out = Json::array();
    for (const auto& v : node) out.push_back(resolve(doc, v, stack));
    return out;
  }
  return node;
}

void body_props(const Json& schema, const std::string& prefix, std::vector<SpecParam>& out, int depth) {
  if (depth > 8 || !schema.is_object()) return;
  const std::string type = schema.value("type", "");
  if (type == "array" && schema.contains("items")) {
    body_props(schema["items"], prefix + "[]", out, depth + 1);
    return;
  }
  if (!schema.contains("properties") || !schema["properties"].is_object()) {
    if (!prefix.empty()) out.push_back({"body", prefix, type});
    return;
  }
  for (const auto& [name, sub] : schema["properties"].items())
    body_props(sub, prefix.empty() ? name : prefix + "." + name, out, depth + 1);
}

bool is_param_segment(std::string_view s) { return s.size() > 1 && s.front() == '{' && s.back() == '}'; }

// How well two matching templates agree: an exact segment or parameter on
// both sides beats a parameter against a literal (/users/{id} prefers
// /users/{userId} to /users/me).
int match_score(std::string_view a, std::string_view b) {
  const auto sa = split_path(a), sb = split_path(b);
  int score = 0;
  for (size_t i = 0; i < sa.size() && i < sb.size(); ++i)
    score += (sa[i] == sb[i] || (is_param_segment(sa[i]) && is_param_segment(sb[i]))) ? 2 : 1;
  return score;
}

const SpecOperation* find_op(const std::vector<SpecOperation>& ops, const EndpointRecord& e) {
  const SpecOperation* best = nullptr;
  int best_score = -1;
  for (const auto& op : ops) {
    if (op.method != e.method || !template_matches(op.path, e.path_template)) continue;
    const int score = match_score(op.path, e.path_template);
    if (score > best_score) best = &op, best_score = score;
  }
  return best;
}

bool endpoint_matches(const SpecOperation& op, const EndpointRecord& e) {
  return op.method == e.method && (op.path == e.path_template || template_matches(op.path, e.path_template));
}

std::string inventory_in(const std::string& zone) {
  if (zone == "query_arg") return "query";
  if (zone == "header") return "header";
  if (zone == "cookie") return "cookie";
  if (zone == "body_json" || zone == "body_form" || zone == "body_multipart") return "body";
  return "";
}

bool type_compatible(const std::string& spec, const std::string& seen) {
  if (spec.empty() || spec == seen) return true;
  if (spec == "number" && seen == "integer") return true;
  if (spec == "string") return true;  // query/header values are text on the wire
  return seen == "null";
}

Json endpoint_ref(const EndpointRecord& e) {
  return {{"id", e.id}, {"method", e.method}, {"path", e.path_template}, {"operation", e.operation},
          {"calls", e.calls}};
}

}  // namespace

Json load_spec_text(const std::string& text) {
  Json doc;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    try {
      doc = Json::parse(text);
    } catch (const std::exception& e) {
      throw SpecError(std::string("spec is not valid JSON: ") + e.what());
    }
  } else {
    try {
      doc = yaml_to_json(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      throw SpecError(std::string("spec is not valid YAML: ") + e.what());
    }
  }
  if (!doc.is_object()) throw SpecError("spec is not an object");
  const std::string version = doc.value("openapi", "");
  if (version.rfind("3.", 0) != 0) throw SpecError("not an OpenAPI 3.x document (field 'openapi' is '" + version + "')");
  if (!doc.contains("paths") || !doc["paths"].is_object()) throw SpecError("spec has no 'paths' object");
  return doc;
}

Json resolve_refs(const Json& doc) {
  std::vector<std::string> stack;
  return resolve(doc, doc, stack);
}

std::vector<SpecOperation> spec_operations(const Json& resolved) {
  static const char* const kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};
  std::vector<SpecOperation> ops;
  for (const auto& [path, item] : resolved.at("paths").items()) {
    if (!item.is_object()) continue;
    std::vector<SpecParam> shared;
    for (const auto& p : item.value("parameters", Json::array()))
      if (p.is_object())
        shared.push_back({p.value("in", ""), p.value("name", ""), p.value("schema", Json::object()).value("type", "")});
    for (const char* m : kMethods) {
      if (!item.contains(m) || !item[m].is_object()) continue;
      const Json& op = item[m];
      SpecOperation so;
      so.method = m;
      std::transform(so.method.begin(), so.method.end(), so.method.begin(), ::toupper);
      so.path = path;
      so.deprecated = op.value("deprecated", false);
      so.params = shared;
      for (const auto& p : op.value("parameters", Json::array()))
        if (p.is_object())
          so.params.push_back({p.value("in", ""), p.value("name", ""), p.value("schema", Json::object()).value("type", "")});
      if (op.contains("requestBody") && op["requestBody"].is_object()) {
        const Json content = op["requestBody"].value("content", Json::object());
        for (const auto& [ct, media] : content.items())
          if (media.is_object() && media.contains("schema")) body_props(media["schema"], "", so.params, 0);
      }
      ops.push_back(std::move(so));
    }
  }
  return ops;
}

std::string endpoint_status(const EndpointRecord& e, const std::vector<std::vector<SpecOperation>>& versions) {
  if (versions.empty()) return "unknown";
  const SpecOperation* op = find_op(versions.back(), e);
  const int now_score = op ? match_score(op->path, e.path_template) : -1;
  // Removed in the newer version: an older one matched it better (an exact
  // route that now only falls under a parameter counts as removed).
  for (size_t v = 0; v + 1 < versions.size(); ++v)
    if (const SpecOperation* old = find_op(versions[v], e); old && match_score(old->path, e.path_template) > now_score)
      return "zombie";
  if (op) return op->deprecated ? "zombie" : "documented";
  return "shadow";
}

Json classify_endpoints(const std::vector<EndpointRecord>& endpoints,
                        const std::vector<std::vector<SpecOperation>>& versions, int64_t now_ns, int64_t window_ns) {
  Json documented = Json::array(), shadow = Json::array(), zombie = Json::array(), orphan = Json::array(),
       drift = Json::array();
  for (const auto& e : endpoints) {
    const std::string status = endpoint_status(e, versions);
    Json ref = endpoint_ref(e);
    if (status == "shadow") {
      shadow.push_back(ref);
      continue;
    }
    const SpecOperation* op = versions.empty() ? nullptr : find_op(versions.back(), e);
    if (status == "zombie") {
      // Under the newest spec alone it is a zombie only when deprecated there.
      ref["reason"] = endpoint_status(e, {versions.back()}) == "zombie" ? "deprecated" : "removed";
      zombie.push_back(ref);
    } else {
      documented.push_back(ref);
    }
    if (!op) continue;
    for (const auto& [k, p] : e.params) {
      if (p.response) continue;
      const std::string in = inventory_in(p.zone);
      if (in.empty()) continue;
      const SpecParam* sp = nullptr;
      for (const auto& q : op->params)
        if (q.in == in && q.name == p.name) sp = &q;
      const std::string seen = detect::value_type_name(p.type);
      if (!sp) {
        if (in == "header") continue;  // clients send many headers no spec lists
        drift.push_back({{"endpoint", ref}, {"kind", "undocumented_parameter"}, {"in", in}, {"name", p.name},
                         {"seen_type", seen}});
      } else if (!type_compatible(sp->type, seen)) {
        drift.push_back({{"endpoint", ref}, {"kind", "type_mismatch"}, {"in", in}, {"name", p.name},
                         {"spec_type", sp->type}, {"seen_type", seen}});
      }
    }
  }
  if (!versions.empty()) {
    for (const auto& op : versions.back()) {
      bool seen = false;
      for (const auto& e : endpoints)
        if (endpoint_matches(op, e) && now_ns - e.last_seen_ns <= window_ns) seen = true;
      if (!seen) orphan.push_back({{"method", op.method}, {"path", op.path}, {"deprecated", op.deprecated}});
    }
  }
  return {{"documented", documented}, {"shadow", shadow}, {"zombie", zombie}, {"orphan", orphan}, {"drift", drift}};
}

}  // namespace weir::ctl
