#pragma once
// GraphqlPolicy: the limits a GraphQL request is checked against (config:
// parsers.graphql, overridden per API by apis[].graphql), and GraphqlResult: what one request was, for the
// dataplane (endpoint = operation) and the inventory. Crossing a limit is a
// ParserFinding "graphql.*"; the request is still fully inspected.

#include <cstdint>
#include <span>
#include <string_view>

namespace weir::parse {

struct GraphqlPolicy {
  /// Longest chain of nested fields, fragments expanded ({a{b{c}}} is 3).
  uint32_t max_depth = 15;
  /// Aliased fields in one operation, fragments expanded.
  uint32_t max_aliases = 30;
  /// Operations in one batched (JSON array) request.
  uint32_t max_batch = 10;
  /// Field selections in one operation, fragments expanded (a fragment
  /// spread twice counts twice: fragment bombs are caught here).
  uint32_t max_fields = 1000;
  /// Directive applications (@name) in one operation, fragments expanded:
  /// on the operation, its variables, fields, spreads and inline fragments.
  /// A field carrying hundreds of directives costs a server per directive
  /// (directive overloading) while staying shallow and alias-free.
  uint32_t max_directives = 50;
  /// introspection: allow | deny (__schema / __type anywhere in the document).
  bool allow_introspection = false;
};

enum class GraphqlOperationType : uint8_t { Query, Mutation, Subscription };

const char* graphql_operation_type_name(GraphqlOperationType t);

struct GraphqlOperation {
  GraphqlOperationType type = GraphqlOperationType::Query;
  std::string_view name;            ///< empty for an anonymous operation
  std::string_view persisted_hash;  ///< extensions.persistedQuery.sha256Hash
  /// The request carried only the hash (automatic persisted query): no
  /// document was inspected, `type` is unknown (Query) and `name` is the
  /// operationName the client sent, if any.
  bool persisted_only = false;
  /// The operation the server runs: the only one of its document, or the one
  /// operationName names.
  bool selected = false;
  uint16_t request_index = 0;  ///< position in a batch (0 when not batched)
  uint32_t depth = 0;
  uint32_t fields = 0;
  uint32_t aliases = 0;
  uint32_t directives = 0;
};

enum class GraphqlStatus : uint8_t {
  Ok,         ///< every document parsed (limits may still have findings)
  Malformed,  ///< an envelope or a document did not parse: raw field emitted
  Capped,     ///< a cap stopped the inspection: raw field emitted
};

struct GraphqlResult {
  GraphqlStatus status = GraphqlStatus::Ok;
  uint32_t requests = 0;       ///< documents/requests seen (batch size)
  bool batched = false;
  bool introspection = false;  ///< __schema or __type was queried
  /// Operations in request order (arena storage, at most kMaxOperations).
  std::span<const GraphqlOperation> operations;
  bool operations_truncated = false;

  static constexpr uint32_t kMaxOperations = 64;

  /// The first selected operation, or nullptr.
  const GraphqlOperation* selected() const {
    for (const GraphqlOperation& op : operations) {
      if (op.selected) return &op;
    }
    return nullptr;
  }
};

}  // namespace weir::parse
