#pragma once
// StreamFinding: one stream rule that matched the reassembled bytes of one
// flow direction, handed to a StreamMatchSink while the scan runs. Views
// point into the StreamSignatureDatabase (rule text) and the scanner's
// look-back buffer or the scanned chunk (excerpt): copy what must outlive
// the callback.

#include <cstdint>
#include <string_view>

#include "detect/attack_class.h"
#include "detect/signature/rule.h"

namespace weir::detect {

struct StreamFinding {
  uint32_t rule_index = 0;      ///< in StreamSignatureDatabase::rules()
  std::string_view rule_id;
  std::string_view message;
  AttackClass attack_class = AttackClass::Other;
  Severity severity = Severity::Notice;
  RuleAction action = RuleAction::Alert;
  /// Stream offset one past the match's last byte (offsets count from the
  /// first byte of the direction the reassembler delivered, i.e. ISN+1).
  uint64_t match_end = 0;
  /// Up to kStreamExcerptBytes bytes ending at match_end (fewer at the start
  /// of the stream or just after a gap); may span chunks.
  std::string_view excerpt;
  bool at_close = false;  ///< reported by close() (end-anchored patterns)
};

inline constexpr uint32_t kStreamExcerptBytes = 64;

/// Receives findings during StreamScanner::scan()/close(). The sink must not
/// call back into the scanner.
class StreamMatchSink {
 public:
  virtual void on_stream_finding(const StreamFinding& f) = 0;

 protected:
  ~StreamMatchSink() = default;
};

}  // namespace weir::detect
