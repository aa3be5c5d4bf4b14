// Score -> verdict.

#include "detect/policy/anomaly_policy.h"

namespace weir::detect {

Verdict decide_verdict(const PolicyConfig& p, uint32_t score, bool force_block, bool alert) {
  Verdict v;
  bool over = force_block || score >= p.active_threshold();
  if (over && p.mode == PolicyMode::Block) {
    v.action = p.block_action;
    if (v.action == VerdictAction::Block) {
      v.scope = p.block_scope;
      v.ttl_s = p.block_ttl_s;
    }
    return v;
  }
  if (over || alert) v.action = VerdictAction::Alert;
  return v;
}

const char* verdict_action_name(VerdictAction a) {
  switch (a) {
    case VerdictAction::Pass: return "pass";
    case VerdictAction::Alert: return "alert";
    case VerdictAction::Drop: return "drop";
    case VerdictAction::Reset: return "reset";
    case VerdictAction::Block: return "block";
  }
  return "unknown";
}

}  // namespace weir::detect
