#pragma once
// Building alert Events from detection results: the flow's endpoints in
// client/server order, the engine's severity on the event scale, and for an
// L7 decision the one-line text operators read in `weirctl alerts`:
//
//   block 942100,lexical-sqli | GET /search?q=1%27%20or... | query_arg q | ' or 1=1--
//
// (action, every rule id, the request line, zone and field of the strongest
// finding, its excerpt). Values of credential headers are never copied.

#include "dataplane/events/event.h"
#include "dataplane/flow/flow.h"
#include "detect/attack_class.h"
#include "detect/engine.h"
#include "parsers/transaction.h"

namespace weir::dp {

Severity event_severity(detect::Severity s);

/// client_* / server_* and proto from the flow (the initiator is the client).
void set_flow_endpoints(Event& ev, const Flow& flow);

/// Fills an alert for one decision. `txn` is null for a stream the parser
/// could not follow (the finding then names the cause). `stopped`: the flow
/// was reset (else it was only reported: alert rule, monitor mode).
void fill_decision_alert(Event& ev, const Flow& flow, const detect::InspectionResult& r,
                         const parse::Transaction* txn, bool stopped);

}  // namespace weir::dp
