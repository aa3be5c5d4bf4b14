#pragma once
// LivePolicy: the part of the configuration workers read per packet (scope,
// malformed/non-IP/exception actions, MTU) as one immutable snapshot,
// published with RCU so weir-control can change it without a pause. The
// structure (lcores, ports, pairs, rings, pool) is fixed at start: a change
// there is saved and takes effect at the next start.

#include <cstdint>
#include <string>
#include <vector>

#include "config/weir_config.h"
#include "dataplane/flow/scope_matcher.h"

namespace weir::dp {

struct LivePolicy {
  LivePolicy(const config::Config& c, uint64_t gen) : cfg(c), scope(c.scope), generation(gen) {}
  config::Config cfg;
  ScopeMatcher scope;
  uint64_t generation;
};

/// Keys whose change needs a restart (empty: everything applies live).
std::vector<std::string> restart_needed(const config::Config& running, const config::Config& next);

}  // namespace weir::dp
