// Interning of transform chains; see chain_table.h.

#include "detect/signature/chain_table.h"

#include "detect/signature/rule_error.h"

namespace weir::detect {

uint16_t ChainTable::intern(const std::vector<TransformId>& chain) {
  uint16_t cur = 0;
  for (TransformId t : chain) {
    uint16_t found = 0;
    for (size_t i = 1; i < nodes_.size(); ++i) {
      if (nodes_[i].parent == cur && nodes_[i].transform == t) {
        found = static_cast<uint16_t>(i);
        break;
      }
    }
    if (found == 0) {
      if (nodes_.size() >= kMaxNodes)
        throw RuleError("(ruleset)", 0, "transforms", "at most 1024 distinct transform chain steps");
      nodes_.push_back({cur, t, static_cast<uint8_t>(nodes_[cur].depth + 1),
                        nodes_[cur].change_mask | transform_change_mask(t)});
      found = static_cast<uint16_t>(nodes_.size() - 1);
    }
    cur = found;
  }
  return cur;
}

std::string ChainTable::describe(uint16_t i) const {
  if (i == 0) return "raw";
  std::string s = describe(nodes_[i].parent);
  s = s == "raw" ? "" : s + ",";
  return s + transform_name(nodes_[i].transform);
}

bool ChainTable::contains(uint16_t i, TransformId t) const {
  while (i != 0 && i < nodes_.size()) {
    if (nodes_[i].transform == t) return true;
    i = nodes_[i].parent;
  }
  return false;
}

}  // namespace weir::detect
