#pragma once
// One GraphQL executable document: parsed by a recursive-descent parser
// whose nesting is capped (kMaxNesting), arguments emitted as graphql_arg
// fields ("Operation.field.sub.arg", list items "arg[0]", object fields
// "arg.key"; fragment contents under "...FragmentName"), variable defaults
// as graphql_var ("$name"), and each operation measured with fragments
// expanded (depth, fields, aliases) through the fragment graph, which also
// finds cycles and spreads of unknown fragments. Type-system definitions are
// not executable and make the document malformed.

#include <cstdint>
#include <memory>
#include <string_view>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/graphql/graphql_fragment_graph.h"
#include "parsers/graphql/graphql_policy.h"

namespace weir::parse {

using GraphqlOperationList = BoundedList<GraphqlOperation>;

struct GraphqlDocumentRequest {
  std::string_view document;
  std::string_view operation_name;  ///< operationName of the request, may be empty
  std::string_view persisted_hash;  ///< recorded on the operations, may be empty
  uint16_t request_index = 0;
};

/// Hard limits of the parser itself (independent of the policy): past them
/// the document is reported and emitted raw instead of parsed further.
struct GraphqlDocumentCaps {
  static constexpr uint32_t kMaxNesting = 128;      ///< selection sets + values + list types
  static constexpr uint32_t kMaxDefinitions = 256;  ///< operations + fragments
  static_assert(kMaxDefinitions < FragmentGraphScratch::kNameTableSize / 2);
  static constexpr uint32_t kMaxSpreads = 2048;     ///< fragment spreads
};

/// Working memory of the parser and the fragment graph walk, allocated once
/// (at start-up, per worker) and reused by every document.
class GraphqlScratch {
 public:
  GraphqlScratch();
  GqlDefinition* defs() { return defs_.get(); }
  GqlSpread* spreads() { return spreads_.get(); }
  FragmentGraphScratch graph() {
    return {stack_defs_.get(), stack_cursor_.get(), color_.get(), name_table_.get()};
  }

 private:
  std::unique_ptr<GqlDefinition[]> defs_;
  std::unique_ptr<GqlSpread[]> spreads_;
  std::unique_ptr<uint32_t[]> stack_defs_;
  std::unique_ptr<uint32_t[]> stack_cursor_;
  std::unique_ptr<uint8_t[]> color_;
  std::unique_ptr<uint16_t[]> name_table_;
};

/// Parses and checks `req.document`. Arguments go to `fields`, operations to
/// `ops`, limit violations to `findings` (each finding name at most once per
/// FindingList). `introspection` is set when __schema/__type is selected.
/// On Malformed or Capped the whole document is emitted as one graphql_arg
/// field with an empty name so that signatures still see every byte.
GraphqlStatus inspect_graphql_document(const GraphqlDocumentRequest& req,
                                       const GraphqlPolicy& policy, GraphqlScratch& scratch,
                                       Arena& arena, FieldList& fields, FindingList& findings,
                                       GraphqlOperationList& ops, bool& introspection);

/// Adds a finding unless one with the same name is already in the list.
void add_finding_once(FindingList& findings, std::string_view name, std::string_view detail,
                      FindingSeverity severity);

}  // namespace weir::parse
