#pragma once
// Converts the dataplane's fixed Event record to its protobuf form on the
// control channel (and back, for tests and tools). No DPDK.

#include "control/ipc/weir_ipc.pb.h"
#include "dataplane/events/event.h"

namespace weir::dp {

void event_to_wire(const Event& ev, ipc::Event& out);
/// Inverse of event_to_wire; over-long strings are cut to the record's size.
Event event_from_wire(const ipc::Event& in);

}  // namespace weir::dp
