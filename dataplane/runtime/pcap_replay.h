#pragma once
// Offline replay: one capture holding both directions runs through the same
// worker pipeline in capture order, on the main lcore, with capture time as
// the clock; forwarded frames are written to another capture. Deterministic,
// so replay tests assert exactly what was forwarded and counted.
//
// Direction: with --client-net, a frame whose IP source is inside it came from
// the client side. Otherwise the initiator of each flow (its first packet's
// source) is the client; non-IP frames take the side their source MAC was
// last seen on with IP traffic, else the client side.

#include <string>

#include <rte_mempool.h>

#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/dataplane_options.h"

namespace weir::dp {

/// Returns the process exit code (0 ok, 1 I/O or runtime error).
int run_replay(DataplaneContext& ctx, const DataplaneOptions& opt, rte_mempool* pool);

}  // namespace weir::dp
