#pragma once
// GraphqlInspector: a GraphQL request, whatever its transport, to fields,
// findings and a GraphqlResult. Transports: POST application/json (one
// {"query","variables","operationName","extensions"} object or a batch
// array of them), POST application/graphql (the body is the document), GET
// (?query=&variables=&operationName=&extensions=). Automatic persisted
// queries (extensions.persistedQuery.sha256Hash without a query) are
// recorded as such. Variables become graphql_var fields "$path" (JSON paths
// of the JsonFlattener), arguments graphql_arg fields (graphql_document.h).
// One per worker: holds a simdjson parser and the document scratch, both
// sized at construction; nothing is allocated per request.

#include <memory>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/graphql/graphql_policy.h"
#include "parsers/json/json_flattener.h"
#include "parsers/parse_limits.h"

namespace weir::parse {

/// "application/graphql" (the document as body; parameters ignored).
bool is_graphql_content_type(std::string_view content_type);
/// A path whose last segment is "graphql" or "gql" (case-insensitive,
/// trailing slash and query ignored): the usual GraphQL endpoints.
bool is_graphql_path(std::string_view path);

class GraphqlInspector {
 public:
  explicit GraphqlInspector(const ParseLimits& limits);
  ~GraphqlInspector();
  GraphqlInspector(const GraphqlInspector&) = delete;
  GraphqlInspector& operator=(const GraphqlInspector&) = delete;

  /// POST application/json. `body` must be followed by
  /// JsonFlattener::kPadding readable bytes. Not a JSON object/array of
  /// requests: "graphql.bad_envelope" and the body as one body_raw field.
  /// Views in the fields stay valid until the next call on this inspector
  /// (decoded strings live in its simdjson buffer) and the arena's reset.
  GraphqlStatus inspect_json(std::string_view body, const GraphqlPolicy& policy,
                             JsonFlattener& json, Arena& arena, FieldList& fields,
                             FindingList& findings, GraphqlResult& result);

  /// POST application/graphql: `document` is the body; `operation_name` may
  /// come from the query string (empty otherwise).
  GraphqlStatus inspect_document(std::string_view document, std::string_view operation_name,
                                 const GraphqlPolicy& policy, Arena& arena, FieldList& fields,
                                 FindingList& findings, GraphqlResult& result);

  /// GET: `query_string` is the raw text after '?' (percent-encoded).
  GraphqlStatus inspect_query_string(std::string_view query_string, const GraphqlPolicy& policy,
                                     JsonFlattener& json, Arena& arena, FieldList& fields,
                                     FindingList& findings, GraphqlResult& result);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace weir::parse
