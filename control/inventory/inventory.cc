// Inventory; see inventory.h.
#include "control/inventory/inventory.h"

#include <chrono>

#include "detect/sensitive/redaction.h"
#include "parsers/field.h"

namespace weir::ctl {

namespace {

using detect::ApiObservation;
using detect::SensitiveClass;

int64_t now_realtime_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string zone_text(uint8_t zone) {
  return zone < static_cast<uint8_t>(parse::Zone::Count) ? parse::zone_name(static_cast<parse::Zone>(zone)) : "unknown";
}

uint64_t fnv(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}

// Severity of a newly seen sensitive class (weir::dp::Severity numbers).
int sensitive_severity(SensitiveClass c) {
  switch (c) {
    case SensitiveClass::Pan:
    case SensitiveClass::UsSsn:
    case SensitiveClass::PrivateKey:
    case SensitiveClass::AwsAccessKey:
    case SensitiveClass::GithubToken:
    case SensitiveClass::SlackToken:
    case SensitiveClass::StripeKey:
    case SensitiveClass::GoogleApiKey:
    case SensitiveClass::Password:
      return 3;
    default:
      return 2;
  }
}

constexpr int kAlertKind = 1;  // weir::dp::EventKind::Alert
constexpr int64_t kSessionIdleNs = 30LL * 60 * 1000000000;

}  // namespace

Inventory::Inventory(InventoryOptions options, InventoryAlertSink alerts)
    : options_(std::move(options)), alerts_(std::move(alerts)), templater_(options_.templating) {
  if (options_.db_path.empty()) return;
  db_ = std::make_unique<InventoryDb>(options_.db_path);
  for (const auto& doc : db_->load_endpoint_docs()) {
    EndpointRecord e = endpoint_from_json(nlohmann::json::parse(doc));
    next_id_ = std::max(next_id_, e.id + 1);
    // Teach the templater the routes it knew (a restart keeps the templates).
    for (uint64_t i = 0; i < std::min<uint64_t>(e.calls, options_.templating.keep_static_hits); ++i)
      templater_.learn(e.host, e.sample_path);
    by_key_[e.key()] = e.id;
    endpoints_.emplace(e.id, std::move(e));
  }
  templater_generation_ = templater_.generation();
  for (auto& row : db_->list_specs()) {
    try {
      spec_ops_[row.host].push_back(spec_operations(nlohmann::json::parse(row.doc)));
    } catch (const std::exception&) {
      continue;  // a row this version cannot read is skipped, not fatal
    }
    row.doc.clear();
    specs_.push_back(std::move(row));
  }
  flows_ = db_->list_flows();
}

Inventory::~Inventory() {
  try {
    flush();
  } catch (const std::exception&) {
    // Shutdown: the last seconds of counts may be lost, never the process.
  }
}

EndpointRecord& Inventory::endpoint_for(const ApiObservation& obs, const std::string& tmpl, bool& created) {
  const std::string op(obs.protocol == detect::ApiProtocol::Grpc ? "" : obs.operation.view());
  const std::string key = endpoint_key(obs.host.view(), obs.method.view(), tmpl, op);
  created = false;
  if (auto it = by_key_.find(key); it != by_key_.end()) return endpoints_.at(it->second);
  created = true;
  EndpointRecord e;
  e.id = next_id_++;
  e.host = std::string(obs.host.view());
  e.method = std::string(obs.method.view());
  e.path_template = tmpl;
  e.operation = op;
  e.operation_type = std::string(obs.operation_type.view());
  e.protocol = obs.protocol;
  e.sample_path = std::string(obs.path.view());
  by_key_[key] = e.id;
  return endpoints_.emplace(e.id, std::move(e)).first->second;
}

void Inventory::record_change(EndpointRecord& e, const std::string& kind, const std::string& detail, int severity,
                              int64_t now_ns) {
  ChangeRow c{0, now_ns, e.id, kind, detail, severity};
  if (db_) {
    c.id = db_->add_change(c);
  } else {
    c.id = static_cast<int64_t>(memory_changes_.size()) + 1;
    memory_changes_.push_back(c);
  }
  if (!alerts_) return;
  AlertRecord a;
  // Stable id per (endpoint, change): a change replayed after a restart is stored once.
  a.event_id = (uint64_t{1} << 63) | (fnv(e.key() + "\n" + kind + "\n" + detail) >> 1);
  a.ts_ns = now_ns;
  a.received_ns = now_realtime_ns();
  a.kind = kAlertKind;
  a.worker = 255;
  a.severity = severity;
  a.class_name = "inventory." + kind;
  a.zone = "inventory";
  a.server = e.host;
  a.text = detect::redact(e.method + " " + e.host + e.path_template +
                          (e.operation.empty() ? "" : " #" + e.operation) + ": " + detail);
  alerts_({a});
}

void Inventory::ingest(const ApiObservation& obs) {
  std::lock_guard lock(mu_);
  ++observations_;
  const int64_t now = obs.ts_ns ? static_cast<int64_t>(obs.ts_ns) : now_realtime_ns();
  std::string tmpl = templater_.learn(obs.host.view(), obs.path.view());
  if (templater_.generation() != templater_generation_) {
    rekey();
    tmpl = templater_.apply(obs.host.view(), obs.path.view());
  }
  bool created = false;
  if (endpoints_.size() >= options_.max_endpoints &&
      !by_key_.count(endpoint_key(obs.host.view(), obs.method.view(), tmpl, obs.operation.view())))
    return;  // the cap protects the control plane from a path explosion
  EndpointRecord& e = endpoint_for(obs, tmpl, created);
  const bool first = e.calls == 0;
  ++e.calls;
  if (first) e.first_seen_ns = now;
  e.last_seen_ns = std::max(e.last_seen_ns, now);
  if (obs.status) ++e.status[obs.status];
  if (obs.latency_us) e.latency.add(obs.latency_us);
  if (obs.request_content_type.size) e.request_content_types.insert(std::string(obs.request_content_type.view()));
  if (obs.response_content_type.size) e.response_content_types.insert(std::string(obs.response_content_type.view()));
  e.ports.insert(std::to_string(obs.port_in) + "->" + std::to_string(obs.port_out));

  if (created) record_change(e, "new_endpoint", "first seen", 0, now);

  // Auth: a call without any auth on an endpoint that always had it.
  uint64_t authed_before = 0;
  for (const auto& [scheme, n] : e.auth)
    if (scheme != "none") authed_before += n;
  if (obs.auth == 0) {
    const bool always_authed = !e.auth.count("none") && authed_before >= options_.auth_baseline_calls;
    ++e.auth["none"];
    if (always_authed && !e.auth_missing_reported) {
      e.auth_missing_reported = true;
      record_change(e, "auth_missing",
                    "a call without credentials after " + std::to_string(authed_before) + " authenticated calls", 3,
                    now);
    }
  } else {
    for (unsigned i = 0; i < static_cast<unsigned>(detect::AuthScheme::Count); ++i)
      if (obs.auth & (1u << i)) ++e.auth[detect::auth_scheme_name(static_cast<detect::AuthScheme>(i))];
  }

  // Sensitive classes, per side; a class never seen before on this endpoint is a change.
  auto note_sensitive = [&](detect::SensitiveMask mask, std::map<std::string, uint64_t>& seen, const char* side) {
    for (unsigned i = 0; i < static_cast<unsigned>(SensitiveClass::Count); ++i) {
      if (!(mask & (1u << i))) continue;
      const auto c = static_cast<SensitiveClass>(i);
      const std::string name = detect::sensitive_class_name(c);
      if (seen[name]++ == 0)
        record_change(e, "new_sensitive_data", name + " in " + side, sensitive_severity(c), now);
    }
  };
  note_sensitive(obs.request_sensitive, e.sensitive_request, "request");
  note_sensitive(obs.response_sensitive, e.sensitive_response, "response");
  for (size_t i = 0; i < options_.custom_detector_names.size() && i < 32; ++i)
    if (obs.custom_detectors & (1u << i)) e.custom_detectors.insert(options_.custom_detector_names[i]);

  for (uint16_t i = 0; i < obs.param_count && i < ApiObservation::kMaxParams; ++i) {
    const detect::ParamShape& p = obs.params[i];
    const bool response = p.side == detect::ParamSide::Response;
    const std::string zone = zone_text(p.zone);
    const std::string name(p.name.view());
    const std::string k = (response ? "response:" : "request:") + zone + ":" + name;
    auto [it, inserted] = e.params.try_emplace(k);
    ParamRecord& r = it->second;
    if (inserted) {
      r.zone = zone;
      r.name = name;
      r.response = response;
      r.type = p.type;
      r.format = p.format;
      r.first_seen_ns = now;
      if (!created && !response) record_change(e, "new_parameter", zone + " " + name, 1, now);
    } else {
      if (r.type != p.type) {
        const bool numeric = (r.type == detect::ValueType::Integer || r.type == detect::ValueType::Number) &&
                             (p.type == detect::ValueType::Integer || p.type == detect::ValueType::Number);
        if (r.type == detect::ValueType::Null) r.type = p.type;
        else if (p.type != detect::ValueType::Null) r.type = numeric ? detect::ValueType::Number : detect::ValueType::String;
      }
      if (r.format != p.format) r.format_mixed = true;
    }
    ++r.seen;
    r.max_length = std::max(r.max_length, p.length);
    r.sensitive |= p.sensitive;
  }
  e.tags = infer_tags(e);
  if (db_) dirty_.insert(e.id);
  note_session(obs.session_key, e.key(), now);
  if (db_ && now_realtime_ns() - last_flush_ns_ > options_.flush_interval_ns) flush_locked();
}

void Inventory::note_session(uint64_t session_key, const std::string& key, int64_t now_ns) {
  if (session_key == 0) return;
  auto it = sessions_.find(session_key);
  if (it == sessions_.end()) {
    if (sessions_.size() >= options_.max_sessions) {
      // Forget idle sessions first; if none, forget an arbitrary one.
      for (auto s = sessions_.begin(); s != sessions_.end();) {
        s = now_ns - s->second.last_ns > kSessionIdleNs ? sessions_.erase(s) : std::next(s);
      }
      if (sessions_.size() >= options_.max_sessions) sessions_.erase(sessions_.begin());
    }
    sessions_[session_key] = {key, now_ns};
    ++session_starts_[key];
    return;
  }
  Session& s = it->second;
  if (now_ns - s.last_ns > kSessionIdleNs) {
    ++session_starts_[key];
  } else if (s.last != key) {
    ++transitions_[{s.last, key}];
  }
  s.last = key;
  s.last_ns = now_ns;
}

void Inventory::rekey() {
  templater_generation_ = templater_.generation();
  // A position collapsed: endpoints learned under the old templates move to
  // the new ones, merging counts where two now share a key.
  std::map<int64_t, EndpointRecord> old;
  old.swap(endpoints_);
  by_key_.clear();
  for (auto& [id, e] : old) {
    e.path_template = templater_.apply(e.host, e.sample_path);
    auto it = by_key_.find(e.key());
    if (it == by_key_.end()) {
      by_key_[e.key()] = id;
      endpoints_.emplace(id, std::move(e));
      continue;
    }
    EndpointRecord& into = endpoints_.at(it->second);
    into.calls += e.calls;
    into.first_seen_ns = std::min(into.first_seen_ns, e.first_seen_ns);
    into.last_seen_ns = std::max(into.last_seen_ns, e.last_seen_ns);
    for (const auto& [k, v] : e.status) into.status[k] += v;
    for (const auto& [k, v] : e.auth) into.auth[k] += v;
    for (const auto& [k, v] : e.sensitive_request) into.sensitive_request[k] += v;
    for (const auto& [k, v] : e.sensitive_response) into.sensitive_response[k] += v;
    into.custom_detectors.insert(e.custom_detectors.begin(), e.custom_detectors.end());
    into.request_content_types.insert(e.request_content_types.begin(), e.request_content_types.end());
    into.response_content_types.insert(e.response_content_types.begin(), e.response_content_types.end());
    into.ports.insert(e.ports.begin(), e.ports.end());
    for (auto& [k, p] : e.params) {
      auto [pit, inserted] = into.params.try_emplace(k, p);
      if (!inserted) {
        pit->second.seen += p.seen;
        pit->second.max_length = std::max(pit->second.max_length, p.max_length);
        pit->second.sensitive |= p.sensitive;
        if (pit->second.type != p.type) pit->second.type = detect::ValueType::String;
      }
    }
    into.tags = infer_tags(into);
    if (db_) dirty_.insert(it->second);
    if (db_) deleted_.push_back(id);
  }
  if (db_)
    for (auto& [id, e] : endpoints_) dirty_.insert(id);
}

void Inventory::flush() {
  std::lock_guard lock(mu_);
  flush_locked();
}

void Inventory::flush_locked() {
  last_flush_ns_ = now_realtime_ns();
  if (!db_ || (dirty_.empty() && deleted_.empty())) return;
  std::vector<std::pair<int64_t, std::string>> docs;
  for (int64_t id : dirty_) {
    auto it = endpoints_.find(id);
    if (it != endpoints_.end()) docs.emplace_back(id, endpoint_json(it->second, true).dump());
  }
  db_->save_endpoints(docs, deleted_);
  dirty_.clear();
  deleted_.clear();
}

std::vector<EndpointRecord> Inventory::endpoints() const {
  std::lock_guard lock(mu_);
  std::vector<EndpointRecord> out;
  out.reserve(endpoints_.size());
  for (const auto& [id, e] : endpoints_) out.push_back(e);
  return out;
}

std::optional<EndpointRecord> Inventory::endpoint(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = endpoints_.find(id);
  if (it == endpoints_.end()) return std::nullopt;
  return it->second;
}

std::optional<EndpointRecord> Inventory::endpoint_by_key(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return endpoints_.at(it->second);
}

std::vector<ChangeRow> Inventory::changes(int64_t after_id, int limit) {
  std::lock_guard lock(mu_);
  if (db_) return db_->list_changes(after_id, limit);
  std::vector<ChangeRow> out;
  for (const auto& c : memory_changes_)
    if (c.id > after_id && static_cast<int>(out.size()) < limit) out.push_back(c);
  return out;
}

uint64_t Inventory::observations() const {
  std::lock_guard lock(mu_);
  return observations_;
}

size_t Inventory::templater_nodes() const {
  std::lock_guard lock(mu_);
  return templater_.node_count();
}

std::vector<Transition> Inventory::transitions() const {
  std::lock_guard lock(mu_);
  std::vector<Transition> out;
  for (const auto& [k, n] : transitions_) out.push_back({k.first, k.second, n});
  return out;
}

std::map<std::string, uint64_t> Inventory::endpoint_session_counts() const {
  std::lock_guard lock(mu_);
  return session_starts_;
}

}  // namespace weir::ctl

namespace weir::ctl {

SpecRow Inventory::import_spec(const std::string& host, const std::string& text) {
  const nlohmann::json doc = resolve_refs(load_spec_text(text));
  auto ops = spec_operations(doc);
  SpecRow row;
  row.host = host;
  const auto info = doc.value("info", nlohmann::json::object());
  row.title = info.is_object() && info.contains("title") && info["title"].is_string() ? info["title"].get<std::string>() : "";
  row.version = info.is_object() && info.contains("version") ? (info["version"].is_string() ? info["version"].get<std::string>() : info["version"].dump()) : "";
  row.imported_ns = now_realtime_ns();
  std::lock_guard lock(mu_);
  if (db_) {
    row.doc = doc.dump();
    row.id = db_->add_spec(row);
    row.doc.clear();
  } else {
    row.id = static_cast<int64_t>(specs_.size()) + 1;
  }
  specs_.push_back(row);
  spec_ops_[host].push_back(std::move(ops));
  return row;
}

std::vector<SpecRow> Inventory::specs() const {
  std::lock_guard lock(mu_);
  return specs_;
}

std::vector<std::vector<SpecOperation>> Inventory::spec_versions(const std::string& host) const {
  std::lock_guard lock(mu_);
  auto it = spec_ops_.find(host);
  return it == spec_ops_.end() ? std::vector<std::vector<SpecOperation>>{} : it->second;
}

FlowRow Inventory::save_flow(const std::string& name, const std::vector<std::string>& steps, const std::string& source) {
  FlowRow row{0, name, nlohmann::json(steps).dump(), source, now_realtime_ns()};
  std::lock_guard lock(mu_);
  std::erase_if(flows_, [&](const FlowRow& f) { return f.name == name; });
  row.id = db_ ? db_->add_flow(row) : static_cast<int64_t>(flows_.size()) + 1;
  flows_.push_back(row);
  return row;
}

std::vector<FlowRow> Inventory::saved_flows() const {
  std::lock_guard lock(mu_);
  return flows_;
}

}  // namespace weir::ctl
