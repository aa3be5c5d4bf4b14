#pragma once
// Verdict: what the policy decided for a transaction. The dataplane maps it
// to packets (forward, drop, RSTs at RCV.NXT, blocklist entry with TTL).

#include <cstdint>

namespace weir::detect {

enum class VerdictAction : uint8_t {
  Pass,   ///< forward, nothing to report
  Alert,  ///< forward and report (monitor mode, or alert-only rules)
  Drop,   ///< drop the held segment and the rest of the flow silently
  Reset,  ///< reset both ends
  Block,  ///< reset and block the scope (session or address) for ttl_s
};

enum class BlockScope : uint8_t { Session, Address };

struct Verdict {
  VerdictAction action = VerdictAction::Pass;
  BlockScope scope = BlockScope::Address;  ///< for Block
  uint32_t ttl_s = 0;                      ///< for Block

  bool stops_traffic() const {
    return action == VerdictAction::Drop || action == VerdictAction::Reset ||
           action == VerdictAction::Block;
  }
};

const char* verdict_action_name(VerdictAction a);

}  // namespace weir::detect
