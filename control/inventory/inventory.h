#pragma once
// Inventory: the API estate learned from observations. Endpoints keyed by
// host + method + learned path template (+ operation for GraphQL/SOAP);
// per endpoint the parameters, shapes, auth, sensitive data, status mix,
// latency, ports and tags; a change history (new endpoint, new parameter,
// new sensitive data, auth missing) that raises alerts; per-session
// endpoint transitions for business-flow mining. Thread-safe (one mutex:
// ingest rates after worker sampling are thousands/s, not millions).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "control/inventory/endpoint_record.h"
#include "control/inventory/inventory_db.h"
#include "control/inventory/path_templater.h"
#include "control/inventory/spec_catalog.h"
#include "control/store/store_records.h"
#include "detect/observe/api_observation.h"

namespace weir::ctl {

struct InventoryOptions {
  std::string db_path;  ///< "" = in memory only
  /// Custom detector names by index (ApiObservation::custom_detectors bit i).
  std::vector<std::string> custom_detector_names;
  /// Calls with auth before a call without any auth counts as "auth missing".
  uint64_t auth_baseline_calls = 5;
  size_t max_endpoints = 50000;
  size_t max_sessions = 100000;
  /// Persist dirty endpoints at most this often from ingest (flush() forces).
  int64_t flush_interval_ns = 2'000'000'000;
  PathTemplater::Options templating;
};

/// Alerts raised by inventory changes go here (the Store's insert_alerts).
using InventoryAlertSink = std::function<void(const std::vector<AlertRecord>&)>;

struct Transition {
  std::string from;  ///< endpoint keys
  std::string to;
  uint64_t count = 0;
};

class Inventory {
 public:
  Inventory(InventoryOptions options, InventoryAlertSink alerts);
  ~Inventory();

  /// One observation (decoded, already redacted by the worker).
  void ingest(const detect::ApiObservation& obs);
  /// Persists every endpoint changed since the last flush.
  void flush();

  std::vector<EndpointRecord> endpoints() const;
  std::optional<EndpointRecord> endpoint(int64_t id) const;
  std::optional<EndpointRecord> endpoint_by_key(const std::string& key) const;
  std::vector<ChangeRow> changes(int64_t after_id, int limit);
  uint64_t observations() const;
  size_t templater_nodes() const;

  /// Per-session endpoint transitions seen so far, and the number of
  /// sessions that started at each endpoint.
  std::vector<Transition> transitions() const;
  std::map<std::string, uint64_t> endpoint_session_counts() const;

  /// Imports an OpenAPI spec for `host` as its newest version (throws
  /// SpecError). The stored row has the resolved document.
  SpecRow import_spec(const std::string& host, const std::string& text);
  /// Imported specs, oldest first, without their documents.
  std::vector<SpecRow> specs() const;
  /// Operations of every imported version of `host`'s spec, oldest first.
  std::vector<std::vector<SpecOperation>> spec_versions(const std::string& host) const;

  /// Named flows (declared or promoted); promoting a name again replaces it.
  FlowRow save_flow(const std::string& name, const std::vector<std::string>& steps, const std::string& source);
  std::vector<FlowRow> saved_flows() const;

  InventoryDb* db() { return db_.get(); }
  const InventoryOptions& options() const { return options_; }

 private:
  EndpointRecord& endpoint_for(const detect::ApiObservation& obs, const std::string& tmpl, bool& created);
  void rekey();
  void record_change(EndpointRecord& e, const std::string& kind, const std::string& detail, int severity,
                     int64_t now_ns);
  void note_session(uint64_t session_key, const std::string& endpoint_key, int64_t now_ns);
  void flush_locked();

  InventoryOptions options_;
  InventoryAlertSink alerts_;
  std::unique_ptr<InventoryDb> db_;
  mutable std::mutex mu_;
  PathTemplater templater_;
  uint64_t templater_generation_ = 0;
  std::map<int64_t, EndpointRecord> endpoints_;
  std::unordered_map<std::string, int64_t> by_key_;
  std::set<int64_t> dirty_;  ///< endpoints changed since the last flush (db only)
  std::vector<int64_t> deleted_;
  int64_t next_id_ = 1;
  uint64_t observations_ = 0;
  int64_t last_flush_ns_ = 0;
  std::vector<ChangeRow> memory_changes_;  ///< when there is no db
  std::vector<SpecRow> specs_;              ///< doc kept only in the db
  std::map<std::string, std::vector<std::vector<SpecOperation>>> spec_ops_;
  std::vector<FlowRow> flows_;

  struct Session {
    std::string last;
    int64_t last_ns = 0;
  };
  std::unordered_map<uint64_t, Session> sessions_;
  std::map<std::pair<std::string, std::string>, uint64_t> transitions_;
  std::map<std::string, uint64_t> session_starts_;
};

}  // namespace weir::ctl
