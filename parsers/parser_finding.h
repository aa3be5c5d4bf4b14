#pragma once
// ParserFinding: a protocol anomaly seen by a parser (smuggling ambiguity,
// malformed body, a cap reached). detect turns these into Findings; the names
// are stable identifiers ("http1.cl_te_conflict") that rules and alerts use.

#include <string_view>

namespace weir::parse {

enum class FindingSeverity : uint8_t {
  /// Informational: inspection was limited (cap reached, body truncated).
  Notice,
  /// Anomalous but parseable (obs-fold, duplicate Host, malformed JSON body).
  Anomaly,
  /// The stream is ambiguous or unparseable: recommended flow verdict reset.
  Fatal,
};

struct ParserFinding {
  std::string_view name;    ///< stable id, static storage ("http1.obs_fold")
  std::string_view detail;  ///< short human detail; static or arena storage
  FindingSeverity severity = FindingSeverity::Anomaly;
};

}  // namespace weir::parse
