#pragma once
// Business-flow mining from per-session endpoint transitions: an edge
// A -> B is frequent when at least `min_support` sessions went from A
// straight to B and B follows A in at least `min_confidence` of A's
// transitions. Flows are the maximal simple paths over frequent edges (2..
// max_steps endpoints); support = weakest edge, confidence = product of the
// edge confidences. Each flow has a stable id (hash of its steps) that the
// operator uses to name and promote it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "control/inventory/inventory.h"

namespace weir::ctl {

struct MinedFlow {
  std::string id;  ///< 12 hex digits
  std::vector<std::string> steps;
  uint64_t support = 0;
  double confidence = 0;
};

struct FlowMiningOptions {
  uint64_t min_support = 3;
  double min_confidence = 0.3;
  size_t max_steps = 6;
  size_t max_flows = 100;
};

std::vector<MinedFlow> mine_flows(const std::vector<Transition>& transitions, const FlowMiningOptions& options);

std::string flow_id(const std::vector<std::string>& steps);

}  // namespace weir::ctl
