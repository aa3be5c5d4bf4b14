#pragma once
// What the inventory knows about one endpoint (host + method + path
// template [+ operation]), and its JSON form: the same document is the
// admin API's answer and the row persisted in SQLite.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "control/inventory/latency_sketch.h"
#include "detect/observe/api_observation.h"

namespace weir::ctl {

struct ParamRecord {
  std::string zone;  ///< zone name ("query_arg", "body_json", "resp_body", ...)
  std::string name;
  bool response = false;
  detect::ValueType type = detect::ValueType::Null;
  detect::ValueFormat format = detect::ValueFormat::None;
  bool format_mixed = false;
  uint64_t seen = 0;
  uint32_t max_length = 0;
  detect::SensitiveMask sensitive = 0;
  int64_t first_seen_ns = 0;
};

struct EndpointRecord {
  int64_t id = 0;
  std::string host;
  std::string method;
  std::string path_template;
  std::string operation;       ///< GraphQL operation / SOAPAction ("" for REST)
  std::string operation_type;
  detect::ApiProtocol protocol = detect::ApiProtocol::Rest;
  uint64_t calls = 0;          ///< observations (sampled)
  int64_t first_seen_ns = 0;
  int64_t last_seen_ns = 0;
  std::string sample_path;     ///< one raw (redacted) path, for re-templating
  std::map<int, uint64_t> status;
  std::map<std::string, uint64_t> auth;  ///< scheme -> calls; "none" for unauthenticated
  std::map<std::string, uint64_t> sensitive_request;   ///< class -> calls
  std::map<std::string, uint64_t> sensitive_response;
  std::set<std::string> custom_detectors;
  std::set<std::string> request_content_types;
  std::set<std::string> response_content_types;
  std::set<std::string> ports;  ///< "in->out"
  std::set<std::string> tags;
  std::map<std::string, ParamRecord> params;  ///< key: "side:zone:name"
  LatencySketch latency;
  bool auth_missing_reported = false;

  std::string key() const;
};

/// The admin API / persisted form. `full` adds params and latency buckets.
nlohmann::json endpoint_json(const EndpointRecord& e, bool full);
/// Inverse of endpoint_json(e, true) (persistence); throws on malformed rows.
EndpointRecord endpoint_from_json(const nlohmann::json& j);

std::string endpoint_key(std::string_view host, std::string_view method, std::string_view path_template,
                         std::string_view operation);

/// Tags an endpoint by its route and data: auth, payment, account, admin, ...
std::set<std::string> infer_tags(const EndpointRecord& e);

}  // namespace weir::ctl
