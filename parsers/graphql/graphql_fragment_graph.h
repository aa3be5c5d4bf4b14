#pragma once
// The fragment graph of one document: each definition (operation or
// fragment) with its local measures and the fragment spreads it contains.
// measure_fragment_graph() resolves the spreads and folds the fragments'
// measures into their users without recursion (explicit stack, each
// definition finished once), so a fragment bomb (A spreads B twice, B spreads
// C twice, ...) costs linear work and yields its expanded field count.

#include <cstdint>
#include <span>
#include <string_view>

#include "parsers/graphql/graphql_policy.h"

namespace weir::parse {

struct GqlDefinition {
  bool is_fragment = false;
  GraphqlOperationType type = GraphqlOperationType::Query;
  std::string_view name;
  uint32_t spread_begin = 0;  ///< range in the spread array
  uint32_t spread_end = 0;
  uint32_t local_depth = 0;
  uint32_t local_fields = 0;
  uint32_t local_aliases = 0;
  uint32_t local_directives = 0;
  // Filled by measure_fragment_graph(): fragments expanded, saturating.
  uint32_t depth = 0;
  uint32_t fields = 0;
  uint32_t aliases = 0;
  uint32_t directives = 0;
};

struct GqlSpread {
  std::string_view fragment;
  uint32_t level = 0;   ///< fields enclosing the spread inside its definition
  int32_t target = -1;  ///< definition index, -1 when unknown
};

struct FragmentGraphReport {
  bool cycle = false;
  bool unknown_fragment = false;
  std::string_view unknown_name;  ///< first unknown spread
  std::string_view cycle_name;    ///< a fragment on a cycle
};

/// Scratch of the walk, sized for `max_defs` definitions.
struct FragmentGraphScratch {
  uint32_t* stack_defs;    ///< max_defs entries
  uint32_t* stack_cursor;  ///< max_defs entries
  uint8_t* color;          ///< max_defs entries
  uint16_t* name_table;    ///< kNameTableSize entries (fragment name hash)
  static constexpr uint32_t kNameTableSize = 1024;
};

/// defs.size() must be below FragmentGraphScratch::kNameTableSize / 2.
FragmentGraphReport measure_fragment_graph(std::span<GqlDefinition> defs,
                                           std::span<GqlSpread> spreads,
                                           const FragmentGraphScratch& scratch);

}  // namespace weir::parse
