#pragma once
// Anomaly scoring: findings add their severity's score; the policy turns the
// total into a verdict (detect/RULES.md, "Policy").

#include <cstdint>

#include "detect/policy/policy_config.h"
#include "detect/verdict.h"

namespace weir::detect {

inline uint16_t severity_score(const PolicyConfig& p, Severity s) {
  auto i = static_cast<size_t>(s);
  return i < p.scores.size() ? p.scores[i] : 0;
}

/// `force_block`: a finding of an `action: block` rule; `alert`: a finding of
/// an `action: alert` rule (or any finding, for reporting in monitor mode).
Verdict decide_verdict(const PolicyConfig& p, uint32_t score, bool force_block, bool alert);

}  // namespace weir::detect
