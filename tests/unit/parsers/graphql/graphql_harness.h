#pragma once
// Test harness: runs a GraphqlInspector on one request and copies fields,
// findings and the result into owning containers.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "parsers/graphql/graphql_inspector.h"

namespace weir::parse::test {

struct GqlOp {
  GraphqlOperationType type;
  std::string name;
  std::string hash;
  bool persisted_only, selected;
  uint16_t request_index;
  uint32_t depth, fields, aliases, directives;
};

struct GqlRun {
  GraphqlStatus status = GraphqlStatus::Ok;
  std::vector<std::pair<std::string, std::string>> args;  // graphql_arg
  std::vector<std::pair<std::string, std::string>> vars;  // graphql_var
  std::vector<std::string> raw;                           // body_raw
  std::vector<std::string> findings;
  std::vector<GqlOp> ops;
  uint32_t requests = 0;
  bool batched = false, introspection = false, operations_truncated = false;

  bool has(const std::string& finding) const {
    for (const auto& f : findings) {
      if (f == finding) return true;
    }
    return false;
  }
  std::string arg(const std::string& name) const {
    for (const auto& [n, v] : args) {
      if (n == name) return v;
    }
    return "<missing>";
  }
  std::string var(const std::string& name) const {
    for (const auto& [n, v] : vars) {
      if (n == name) return v;
    }
    return "<missing>";
  }
};

enum class GqlTransport { Json, Document, Get };

inline GqlRun run_graphql(const std::string& input, GqlTransport transport = GqlTransport::Json,
                          const GraphqlPolicy& policy = {}, ParseLimits limits = {},
                          const std::string& operation_name = {}) {
  GraphqlInspector inspector(limits);
  JsonFlattener json(limits);
  Arena arena(4 << 20);
  std::string padded = input + std::string(JsonFlattener::kPadding, '\0');
  const std::string_view body(padded.data(), input.size());
  FieldList fields(arena, limits.max_fields);
  FindingList findings(arena, 32);
  GraphqlResult result;
  GqlRun out;
  switch (transport) {
    case GqlTransport::Json:
      out.status = inspector.inspect_json(body, policy, json, arena, fields, findings, result);
      break;
    case GqlTransport::Document:
      out.status = inspector.inspect_document(body, operation_name, policy, arena, fields,
                                              findings, result);
      break;
    case GqlTransport::Get:
      out.status =
          inspector.inspect_query_string(body, policy, json, arena, fields, findings, result);
      break;
  }
  for (const Field& f : fields.view()) {
    std::pair<std::string, std::string> p{std::string(f.name), std::string(f.value)};
    if (f.zone == Zone::GraphqlArg) out.args.push_back(p);
    else if (f.zone == Zone::GraphqlVar) out.vars.push_back(p);
    else out.raw.push_back(p.second);
  }
  for (const ParserFinding& f : findings.view()) out.findings.emplace_back(f.name);
  for (const GraphqlOperation& op : result.operations) {
    out.ops.push_back(GqlOp{op.type, std::string(op.name), std::string(op.persisted_hash),
                            op.persisted_only, op.selected, op.request_index, op.depth,
                            op.fields, op.aliases, op.directives});
  }
  out.requests = result.requests;
  out.batched = result.batched;
  out.introspection = result.introspection;
  out.operations_truncated = result.operations_truncated;
  EXPECT_EQ(out.status, result.status);
  return out;
}

/// JSON string literal of `s` (quotes, backslashes, control characters).
inline std::string json_quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (c == '\n') {
      o += "\\n";
    } else {
      o += c;
    }
  }
  return o + "\"";
}

}  // namespace weir::parse::test
