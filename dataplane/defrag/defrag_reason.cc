// Names of the defragmentation reasons; the table is indexed by the enum.

#include "dataplane/defrag/defrag_reason.h"

#include <cstddef>

namespace weir::dp {

const char* defrag_reason_name(DefragReason r) {
  static constexpr const char* kNames[] = {
      "held",           "complete",           "overlap_identical", "duplicate",
      "overlap_mismatch", "tiny_first_fragment", "tcp_header_overlap", "bad_fragment_length",
      "inconsistent_length", "oversize",       "too_many_fragments", "too_many_datagrams",
      "memory_cap",     "timeout",
  };
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(DefragReason::Count));
  const auto i = static_cast<size_t>(r);
  return i < static_cast<size_t>(DefragReason::Count) ? kNames[i] : "unknown";
}

bool defrag_reason_is_finding(DefragReason r) {
  switch (r) {
    case DefragReason::OverlapMismatch:
    case DefragReason::TinyFirstFragment:
    case DefragReason::TcpHeaderOverlap:
    case DefragReason::BadFragmentLength:
    case DefragReason::InconsistentLength:
    case DefragReason::Oversize:
    case DefragReason::TooManyFragments:
      return true;
    default:
      return false;
  }
}

}  // namespace weir::dp
