#pragma once
// Policy settings from the `policy:` section of a ruleset (detect/RULES.md):
// mode, paranoia, thresholds, severity scores, block action and the
// standalone lexical detectors. Config-time type.

#include <array>
#include <cstdint>
#include <vector>

#include "detect/attack_class.h"
#include "detect/policy/own_domains.h"
#include "detect/signature/rule.h"
#include "detect/verdict.h"

namespace weir::detect {

enum class PolicyMode : uint8_t { Monitor, Block };

/// What the client sees when an HTTP/1 request is blocked at a decision
/// point: a reset only, or first a minimal 403 page naming the request id.
enum class BlockResponse : uint8_t { Reset, Page };

struct LexicalSettings {
  bool enabled = true;
  Severity severity = Severity::Critical;
  uint8_t paranoia = 1;
  ZoneMask zones = 0;                    ///< 0 = the default set (user input zones)
  std::vector<TransformId> transforms;   ///< empty = the detector's default chain
  bool transforms_set = false;
};

struct PolicyConfig {
  PolicyMode mode = PolicyMode::Block;
  uint8_t paranoia = 1;
  uint32_t threshold = 5;
  /// Per paranoia level 1..4; 0 = use `threshold`.
  std::array<uint32_t, 4> thresholds{};
  std::array<uint16_t, static_cast<size_t>(Severity::Count)> scores{2, 3, 4, 5};
  VerdictAction block_action = VerdictAction::Reset;
  BlockScope block_scope = BlockScope::Address;
  uint32_t block_ttl_s = 600;
  /// Fatal parser findings (smuggling ambiguity, unparseable stream) apply
  /// the block action; false: they only alert.
  bool parser_fatal_blocks = true;
  BlockResponse block_response = BlockResponse::Reset;
  /// Redirect targets that are not open redirects (open_redirect findings
  /// on them are dropped).
  OwnDomains own_domains;
  LexicalSettings sqli;
  LexicalSettings xss;

  uint32_t active_threshold() const {
    uint32_t t = (paranoia >= 1 && paranoia <= 4) ? thresholds[paranoia - 1] : 0;
    return t != 0 ? t : threshold;
  }
};

}  // namespace weir::detect
