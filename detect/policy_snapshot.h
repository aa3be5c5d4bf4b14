#pragma once
// PolicySnapshot: the immutable compiled configuration of detection —
// signature databases, exceptions, thresholds, mode — shared read-only by
// all workers and swapped as a whole (RCU in the dataplane). Compiling may
// throw RuleError (config time); using a snapshot never throws.

#include <cstdint>
#include <memory>

#include "detect/policy/exception_set.h"
#include "detect/policy/policy_config.h"
#include "detect/signature/rule_set.h"
#include "detect/signature/signature_database.h"

namespace weir::detect {

class PolicySnapshot {
 public:
  /// Compiles a loaded ruleset. Throws RuleError.
  static std::shared_ptr<const PolicySnapshot> compile(const RuleSet& rs);

  const SignatureDatabase& signatures() const { return *signatures_; }
  const ExceptionSet& exceptions() const { return *exceptions_; }
  const PolicyConfig& policy() const { return policy_; }
  /// Unique per compile in this process; engines re-bind when it changes.
  uint64_t id() const { return id_; }

 private:
  PolicySnapshot() = default;
  std::unique_ptr<SignatureDatabase> signatures_;
  std::unique_ptr<ExceptionSet> exceptions_;
  PolicyConfig policy_;
  uint64_t id_ = 0;
};

}  // namespace weir::detect
