#pragma once
// A rule as loaded from configs/rules/*.yaml (detect/RULES.md), before
// compilation. Config-time type: owns its strings, may allocate.

#include <cstdint>
#include <string>
#include <vector>

#include "detect/attack_class.h"
#include "detect/transform/transform.h"

namespace weir::detect {

/// Which lexical detector must agree before the rule fires.
enum class ConfirmKind : uint8_t { None, Sqli, Xss };

enum class RuleAction : uint8_t {
  Score,  ///< add the severity score to the anomaly score
  Block,  ///< apply the block action on a match (block mode), whatever the score
  Alert,  ///< report only, score 0
};

/// Source position for error messages.
struct SourceMark {
  std::string file;
  int line = 0;  ///< 1-based, 0 when unknown
};

struct PatternSpec {
  std::string regex;
  unsigned hs_flags = 0;  ///< HS_FLAG_* (SINGLEMATCH is added at compile time)
  SourceMark mark;
};

/// Bit per parse::Zone; any_request_zone_mask() = every request zone but
/// body_file (binary file content is read only by rules that name it).
using ZoneMask = uint32_t;
ZoneMask any_request_zone_mask();
/// `zones: [stream]`: the raw reassembled bytes of a TCP connection no L7
/// parser claims (detect/stream_signature). Not a field zone: the field
/// engine never scans it, and `any` does not include it.
inline constexpr ZoneMask kStreamZoneBit = ZoneMask{1} << 31;
/// kStreamZoneBit: the rules StreamSignatureDatabase compiles.
ZoneMask stream_zone_mask();

struct Rule {
  std::string id;
  std::string message;
  AttackClass attack_class = AttackClass::Other;
  Severity severity = Severity::Notice;
  uint8_t paranoia = 1;
  ZoneMask zones = 0;
  std::vector<std::string> names;  ///< lower case; empty = any field name
  std::vector<TransformId> transforms;
  std::vector<PatternSpec> patterns;
  ConfirmKind confirm = ConfirmKind::None;
  RuleAction action = RuleAction::Score;
  std::vector<std::string> tags;
  SourceMark mark;
};

}  // namespace weir::detect
