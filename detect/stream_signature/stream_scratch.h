#pragma once
// StreamScratch: one worker's Hyperscan scratch for stream signature scans
// (hs_scratch_t is per thread and never shared). Prepared at config time for
// each new StreamSignatureDatabase, before the worker scans with it.

#include <hs/hs.h>

namespace weir::detect {

class StreamSignatureDatabase;

class StreamScratch {
 public:
  StreamScratch() = default;
  ~StreamScratch() { hs_free_scratch(scratch_); }
  StreamScratch(const StreamScratch&) = delete;
  StreamScratch& operator=(const StreamScratch&) = delete;

  /// Grows the scratch to serve `db` (allocates; not on the packet path).
  /// True for an empty database (nothing to serve).
  bool prepare(const StreamSignatureDatabase& db);
  hs_scratch_t* get() const { return scratch_; }

 private:
  hs_scratch_t* scratch_ = nullptr;
};

}  // namespace weir::detect
