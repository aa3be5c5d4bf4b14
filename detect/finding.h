#pragma once
// Finding: one detector's result for one field of one request. Findings are
// written into the engine's per-worker buffer (no allocation); views point
// into the PolicySnapshot (rule id, message) and the request's fields (name),
// so copy what must outlive the next inspect() call. The excerpt is copied
// here because it comes from the per-request transform arena.

#include <cstdint>
#include <string_view>

#include "detect/attack_class.h"
#include "parsers/field.h"

namespace weir::detect {

struct Finding {
  static constexpr size_t kExcerptMax = 64;

  std::string_view rule_id;   ///< view into the PolicySnapshot
  std::string_view message;   ///< view into the PolicySnapshot
  /// Index in SignatureDatabase::rules(); kParserFinding for a finding that
  /// comes from the parser (InspectionContext::parser_findings).
  uint32_t rule_index = 0;
  static constexpr uint32_t kParserFinding = 0xFFFFFFFFu;
  AttackClass attack_class = AttackClass::Other;
  Severity severity = Severity::Notice;
  parse::Zone zone = parse::Zone::BodyRaw;  ///< Zone::Count: the message, no field
  uint16_t score = 0;         ///< what this finding added to the anomaly score
  std::string_view field_name;  ///< view into the inspected Field
  /// Window of the transformed value around the match end (the match start
  /// is not tracked: Hyperscan start-of-match costs throughput).
  char excerpt[kExcerptMax] = {};
  uint8_t excerpt_length = 0;
  bool excerpt_truncated = false;  ///< the value extends beyond the window

  std::string_view excerpt_view() const { return {excerpt, excerpt_length}; }
};

}  // namespace weir::detect
