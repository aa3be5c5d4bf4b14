#pragma once
// Detector plug-ins. Each detector is one DetectorApi descriptor listed in
// detect/registry.cc; adding one is one line there. The signature detector
// drives the scan (Hyperscan over transformed field values); lexical
// detectors confirm signature matches (`confirm: sqli|xss`) and, when the
// policy enables them, run standalone: their trigger patterns are compiled
// into the signature databases as a synthetic rule (id `rule_id`) whose
// matches they confirm, so they cost no extra scan.

#include <cstddef>
#include <span>
#include <string_view>

#include "detect/attack_class.h"
#include "detect/signature/rule.h"
#include "detect/transform/transform.h"

namespace weir::detect {

enum class DetectorKind : uint8_t { Signature, Lexical };

struct DetectorApi {
  const char* name;                 ///< "signature", "lexical-sqli", "lexical-xss"
  DetectorKind kind;
  const char* summary;
  // Lexical detectors only:
  ConfirmKind answers = ConfirmKind::None;        ///< the `confirm:` value it serves
  bool (*confirm)(std::string_view value) = nullptr;  ///< structure check on a value
  const char* rule_id = nullptr;                  ///< id of its standalone findings
  AttackClass attack_class = AttackClass::Other;
  std::span<const char* const> triggers;          ///< candidate patterns (caseless)
  std::span<const TransformId> default_transforms;
};

/// Every detector, in registry order.
std::span<const DetectorApi> detector_registry();
/// The lexical detector answering `kind`, or nullptr.
const DetectorApi* lexical_detector(ConfirmKind kind);

}  // namespace weir::detect
