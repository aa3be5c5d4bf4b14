// Event <-> ipc::Event (see event_wire.h).
#include "dataplane/events/event_wire.h"

#include <algorithm>

namespace weir::dp {

void event_to_wire(const Event& ev, ipc::Event& out) {
  out.set_id(ev.id);
  out.set_kind(static_cast<uint32_t>(ev.kind));
  out.set_worker(ev.worker);
  out.set_sequence(ev.sequence);
  out.set_ts_ns(ev.ts_ns);
  out.set_severity(static_cast<uint32_t>(ev.severity));
  out.set_rule_id(ev.rule_id);
  out.set_class_name(std::string(ev.class_view()));
  out.set_zone(std::string(ev.zone_view()));
  out.set_proto(ev.proto);
  out.set_client_addr(reinterpret_cast<const char*>(ev.client_addr.data()), 16);
  out.set_client_port(ev.client_port);
  out.set_server_addr(reinterpret_cast<const char*>(ev.server_addr.data()), 16);
  out.set_server_port(ev.server_port);
  const std::string_view text = ev.text_view();
  out.set_text(text.data(), text.size());
}

Event event_from_wire(const ipc::Event& in) {
  Event ev;
  ev.id = in.id();
  ev.kind = static_cast<EventKind>(in.kind());
  ev.worker = static_cast<uint8_t>(in.worker());
  ev.sequence = in.sequence();
  ev.ts_ns = in.ts_ns();
  ev.severity = static_cast<Severity>(std::min<uint32_t>(in.severity(), 4));
  ev.rule_id = in.rule_id();
  ev.set_class(in.class_name());
  ev.set_zone(in.zone());
  ev.proto = static_cast<uint8_t>(in.proto());
  std::copy_n(in.client_addr().begin(), std::min<size_t>(16, in.client_addr().size()),
              ev.client_addr.begin());
  ev.client_port = static_cast<uint16_t>(in.client_port());
  std::copy_n(in.server_addr().begin(), std::min<size_t>(16, in.server_addr().size()),
              ev.server_addr.begin());
  ev.server_port = static_cast<uint16_t>(in.server_port());
  ev.set_text(in.text());
  return ev;
}

}  // namespace weir::dp
