#pragma once
// DetectionGeneration: one compiled ruleset (signatures, exceptions, policy)
// plus one InspectionEngine per worker already bound to it, so the Hyperscan
// compile and every worker's scratch are made off the packet path (main
// lcore). Published with RCU: a worker switches to a new generation between
// bursts, by generation number (never by pointer: an address can be reused
// while a worker sleeps offline), and the old one is freed once every worker
// has moved on. Flows carry no reference into it: parser state and carried
// scores outlive a switch, findings are copied into alerts at once.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/policy_snapshot.h"

namespace weir::dp {

struct DetectionGeneration {
  uint64_t generation = 0;
  std::shared_ptr<const detect::PolicySnapshot> snapshot;
  std::vector<std::unique_ptr<detect::InspectionEngine>> engines;  ///< one per worker, bound
  size_t rules = 0;
  double compile_ms = 0;  ///< load + compile + scratch for every worker
};

struct DetectionBuild {
  std::unique_ptr<DetectionGeneration> result;  ///< null on error
  std::string error;                            ///< "file:line: key ...: what" from the loader
};

/// Loads `rules_dir`, compiles it and binds one engine per worker. Never
/// throws: a broken ruleset comes back as `error` and changes nothing.
DetectionBuild build_detection(const std::string& rules_dir, unsigned workers, uint64_t generation);

}  // namespace weir::dp
