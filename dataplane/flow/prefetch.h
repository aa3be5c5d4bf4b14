#pragma once
// Prefetches the optimiser keeps. GCC 12's IPA mod/ref analysis counts
// __builtin_prefetch as free of side effects: a small const member function
// that only prefetched (a flow prefetch whose address needed a load) was
// judged pure and its calls deleted as dead code (dataplane/flow/dev_notes.md).
// An asm volatile prefetch is an effect no pass removes.

namespace weir::dp {

/// Prefetches the cache line holding `p` into all cache levels; never faults.
inline void prefetch_line(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, 0, 3);
#endif
}

}  // namespace weir::dp
