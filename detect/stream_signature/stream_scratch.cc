// Per-worker Hyperscan scratch for stream scans; see the header.

#include "detect/stream_signature/stream_scratch.h"

#include "detect/stream_signature/stream_signature_database.h"

namespace weir::detect {

bool StreamScratch::prepare(const StreamSignatureDatabase& db) {
  if (db.empty()) return true;
  return hs_alloc_scratch(db.hs_db(), &scratch_) == HS_SUCCESS;
}

}  // namespace weir::detect
