// A cycle means the document is invalid (the server rejects it) but the
// request is still an attack signal: it is reported, and the back edge
// contributes nothing to the measures so the walk terminates.
#include "parsers/graphql/graphql_fragment_graph.h"

#include <algorithm>

namespace weir::parse {
namespace {

constexpr uint32_t kSaturated = 0x7FFFFFFF;

uint32_t sat_add(uint32_t a, uint32_t b) { return std::min<uint64_t>(uint64_t{a} + b, kSaturated); }

enum : uint8_t { kWhite = 0, kGrey = 1, kBlack = 2 };

uint32_t name_hash(std::string_view s) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return h;
}

// Open addressing over fragment names (entries are definition index + 1):
// spreads resolve in O(1) instead of scanning every definition.
void build_name_table(std::span<const GqlDefinition> defs, uint16_t* table) {
  constexpr uint32_t kMask = FragmentGraphScratch::kNameTableSize - 1;
  for (uint32_t i = 0; i < FragmentGraphScratch::kNameTableSize; ++i) table[i] = 0;
  for (size_t d = 0; d < defs.size(); ++d) {
    if (!defs[d].is_fragment) continue;
    for (uint32_t slot = name_hash(defs[d].name) & kMask;; slot = (slot + 1) & kMask) {
      if (table[slot] == 0) {
        table[slot] = static_cast<uint16_t>(d + 1);
        break;
      }
      if (defs[table[slot] - 1].name == defs[d].name) break;  // duplicate: first wins
    }
  }
}

int32_t find_fragment(std::span<const GqlDefinition> defs, const uint16_t* table,
                      std::string_view name) {
  constexpr uint32_t kMask = FragmentGraphScratch::kNameTableSize - 1;
  for (uint32_t slot = name_hash(name) & kMask; table[slot] != 0; slot = (slot + 1) & kMask) {
    if (defs[table[slot] - 1].name == name) return table[slot] - 1;
  }
  return -1;
}

void fold(GqlDefinition& user, const GqlSpread& s, const GqlDefinition& frag) {
  user.depth = std::max<uint32_t>(user.depth, std::min<uint64_t>(uint64_t{s.level} + frag.depth, kSaturated));
  user.fields = sat_add(user.fields, frag.fields);
  user.aliases = sat_add(user.aliases, frag.aliases);
  user.directives = sat_add(user.directives, frag.directives);
}

}  // namespace

FragmentGraphReport measure_fragment_graph(std::span<GqlDefinition> defs,
                                           std::span<GqlSpread> spreads,
                                           const FragmentGraphScratch& scratch) {
  FragmentGraphReport report;
  uint32_t* stack_defs = scratch.stack_defs;
  uint32_t* stack_cursor = scratch.stack_cursor;
  uint8_t* color = scratch.color;
  build_name_table(defs, scratch.name_table);
  for (GqlSpread& s : spreads) {
    s.target = find_fragment(defs, scratch.name_table, s.fragment);
    if (s.target < 0 && !report.unknown_fragment) {
      report.unknown_fragment = true;
      report.unknown_name = s.fragment;
    }
  }
  for (size_t d = 0; d < defs.size(); ++d) {
    color[d] = kWhite;
    defs[d].depth = defs[d].local_depth;
    defs[d].fields = defs[d].local_fields;
    defs[d].aliases = defs[d].local_aliases;
    defs[d].directives = defs[d].local_directives;
  }
  for (size_t root = 0; root < defs.size(); ++root) {
    if (color[root] != kWhite) continue;
    size_t top = 0;
    stack_defs[top] = static_cast<uint32_t>(root);
    stack_cursor[top] = defs[root].spread_begin;
    color[root] = kGrey;
    ++top;
    while (top > 0) {
      const uint32_t cur = stack_defs[top - 1];
      uint32_t& cursor = stack_cursor[top - 1];
      if (cursor < defs[cur].spread_end) {
        const GqlSpread& s = spreads[cursor++];
        if (s.target < 0) continue;
        const auto t = static_cast<uint32_t>(s.target);
        if (color[t] == kGrey) {
          if (!report.cycle) {
            report.cycle = true;
            report.cycle_name = defs[t].name;
          }
          continue;
        }
        if (color[t] == kWhite) {
          // Each definition is grey at most once, so the stack never holds
          // more than defs.size() entries.
          color[t] = kGrey;
          stack_defs[top] = t;
          stack_cursor[top] = defs[t].spread_begin;
          ++top;
          continue;
        }
        fold(defs[cur], s, defs[t]);
        continue;
      }
      color[cur] = kBlack;
      --top;
      if (top > 0) {
        // The parent's cursor has moved past the spread that led here.
        const uint32_t parent = stack_defs[top - 1];
        fold(defs[parent], spreads[stack_cursor[top - 1] - 1], defs[cur]);
      }
    }
  }
  return report;
}

}  // namespace weir::parse
