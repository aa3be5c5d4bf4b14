// Alert events from detection results (see alert_event.h).

#include "dataplane/runtime/alert_event.h"

#include <algorithm>
#include <string_view>
#include <tuple>

namespace weir::dp {
namespace {

/// Appends to a fixed buffer, never past its end.
struct TextBuilder {
  char* buf;
  size_t cap;
  size_t len = 0;
  void add(std::string_view s) {
    size_t n = std::min(s.size(), cap - len);
    std::copy_n(s.data(), n, buf + len);
    len += n;
  }
  /// Printable ASCII only: the text goes to terminals and SIEMs.
  void add_printable(std::string_view s, size_t max) {
    size_t n = 0;
    for (char c : s) {
      if (len == cap || n == max) break;
      buf[len++] = (c >= 0x20 && c < 0x7f) ? c : '.';
      ++n;
    }
  }
};

bool is_credential_header(std::string_view name) {
  for (std::string_view h : {"authorization", "proxy-authorization", "x-api-key", "x-auth-token", "api-key"})
    if (name == h) return true;
  return false;
}

/// A field parsed out of a container (a cookie out of the Cookie header, a
/// form field out of the body) names the attack more precisely than the
/// container itself: preferred on a tie.
int specificity(const detect::Finding& f) {
  return f.zone == parse::Zone::Header || f.zone == parse::Zone::BodyRaw || f.zone == parse::Zone::Count ? 0 : 1;
}

/// What all findings of `f`'s attack class added to the score: on a tie of
/// single findings the class more rules agree on names the alert (an SSRF
/// URL that also looks like an open redirect is SSRF).
uint32_t class_score(std::span<const detect::Finding> fs, const detect::Finding& f) {
  uint32_t sum = 0;
  for (const auto& x : fs)
    if (x.attack_class == f.attack_class) sum += x.score;
  return sum;
}

const detect::Finding* strongest(std::span<const detect::Finding> fs) {
  const detect::Finding* best = nullptr;
  const auto rank = [fs](const detect::Finding& x) {
    return std::tuple(x.score, static_cast<int>(x.severity), class_score(fs, x), specificity(x));
  };
  for (const auto& f : fs) {
    if (best == nullptr || rank(f) > rank(*best)) best = &f;
  }
  return best;
}

}  // namespace

Severity event_severity(detect::Severity s) {
  switch (s) {
    case detect::Severity::Critical: return Severity::Critical;
    case detect::Severity::Error: return Severity::High;
    case detect::Severity::Warning: return Severity::Medium;
    case detect::Severity::Notice: return Severity::Low;
    case detect::Severity::Count: break;
  }
  return Severity::Info;
}

void set_flow_endpoints(Event& ev, const Flow& flow) {
  ev.proto = flow.key.proto;
  const bool lo_is_client = flow.initiator_is_lo;
  ev.client_addr = lo_is_client ? flow.key.lo_addr : flow.key.hi_addr;
  ev.client_port = lo_is_client ? flow.key.lo_port : flow.key.hi_port;
  ev.server_addr = lo_is_client ? flow.key.hi_addr : flow.key.lo_addr;
  ev.server_port = lo_is_client ? flow.key.hi_port : flow.key.lo_port;
}

void fill_decision_alert(Event& ev, const Flow& flow, const detect::InspectionResult& r,
                         const parse::Transaction* txn, bool stopped) {
  ev.kind = EventKind::Alert;
  set_flow_endpoints(ev, flow);
  const detect::Finding* top = strongest(r.findings);
  detect::Severity sev = detect::Severity::Notice;
  for (const auto& f : r.findings) sev = std::max(sev, f.severity);
  ev.severity = event_severity(sev);
  ev.rule_id = top != nullptr && top->rule_index != detect::Finding::kParserFinding ? top->rule_index + 1 : 0;
  ev.set_class(top != nullptr ? detect::attack_class_name(top->attack_class) : "other");
  ev.set_zone(top != nullptr && top->zone != parse::Zone::Count ? parse::zone_name(top->zone) : "message");

  TextBuilder t{ev.text, sizeof ev.text};
  t.add(stopped ? "block " : "alert ");
  bool first = true;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const std::string_view id = r.findings[i].rule_id;
    bool seen = false;  // one rule firing on several fields is named once
    for (size_t j = 0; j < i && !seen; ++j) seen = r.findings[j].rule_id == id;
    if (seen) continue;
    if (!first) t.add(",");
    t.add_printable(id, 32);
    first = false;
  }
  if (first) t.add("-");
  t.add(" | ");
  if (txn != nullptr && !txn->method.empty()) {
    t.add_printable(txn->method, 16);
    t.add(" ");
    t.add_printable(txn->target, 56);
  } else if (txn != nullptr && !txn->target.empty()) {
    // A message inside a connection (WebSocket) has no method: its channel names it.
    t.add(txn->protocol == parse::Protocol::WebSocket ? "WS " : "MSG ");
    t.add_printable(txn->target, 56);
  } else {
    t.add("-");
  }
  if (top != nullptr) {
    t.add(" | ");
    t.add(top->zone != parse::Zone::Count ? parse::zone_name(top->zone) : "message");
    if (!top->field_name.empty()) {
      t.add(" ");
      t.add_printable(top->field_name, 24);
    }
    t.add(" | ");
    if (top->zone == parse::Zone::Header && is_credential_header(top->field_name)) {
      t.add("[redacted]");
    } else {
      t.add_printable(top->excerpt_view(), detect::Finding::kExcerptMax);
      if (top->excerpt_truncated) t.add("...");
    }
  }
  ev.text_len = static_cast<uint16_t>(t.len);
}

}  // namespace weir::dp
