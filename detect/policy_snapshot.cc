// PolicySnapshot compilation.

#include "detect/policy_snapshot.h"

#include <atomic>

namespace weir::detect {

std::shared_ptr<const PolicySnapshot> PolicySnapshot::compile(const RuleSet& rs) {
  static std::atomic<uint64_t> next_id{1};
  std::shared_ptr<PolicySnapshot> s(new PolicySnapshot());
  s->policy_ = rs.policy;
  s->signatures_ = SignatureDatabase::build(rs);
  s->exceptions_ = ExceptionSet::build(rs, *s->signatures_);
  s->id_ = next_id.fetch_add(1);
  return s;
}

}  // namespace weir::detect
