#pragma once
// Transform chains of a compiled ruleset, interned as a prefix tree: node 0
// is the raw value, every other node is (parent chain, one more transform).
// The engine memoises one value per node and field, so chains sharing a
// prefix ("url_decode" and "url_decode, lowercase") share its work.

#include <cstdint>
#include <string>
#include <vector>

#include "detect/transform/transform.h"

namespace weir::detect {

struct ChainNode {
  uint16_t parent;         ///< node 0 is its own parent
  TransformId transform;   ///< unused for node 0
  uint8_t depth;
  /// Byte classes any step of the chain reacts to: a value with none of them
  /// comes out of the whole chain unchanged (by induction over the steps).
  uint32_t change_mask;
};

class ChainTable {
 public:
  static constexpr size_t kMaxNodes = 1024;

  ChainTable() { nodes_.push_back({0, TransformId::Count, 0, 0}); }

  /// Node of the whole chain, creating nodes as needed. Config time only.
  uint16_t intern(const std::vector<TransformId>& chain);

  size_t size() const { return nodes_.size(); }
  const ChainNode& node(uint16_t i) const { return nodes_[i]; }
  std::string describe(uint16_t i) const;
  /// True when transform `t` is a step of the chain ending at node `i`.
  bool contains(uint16_t i, TransformId t) const;

 private:
  std::vector<ChainNode> nodes_;
};

}  // namespace weir::detect
