#pragma once
// JSON plumbing for the admin API: the error object, strict readers for
// request bodies and query strings (unknown fields, wrong types and bad
// values are ApiErrors, rendered as 4xx), and the renderings of store rows.

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "control/admin/admin_http_server.h"
#include "control/store/store_records.h"

namespace weir::ctl {

using Json = nlohmann::json;

/// Thrown by handlers; becomes {"error":{code,message,field}} with `status`.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = "")
      : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  Json extra;  ///< more members of the error object (config file/line)

 private:
  int status_;
  std::string code_;
  std::string field_;
};

HttpResponse json_response(int status, const Json& body);
HttpResponse error_response(const ApiError& e);

/// A request body that must be a JSON object with only `allowed` members.
class JsonBody {
 public:
  JsonBody(const std::string& body, std::initializer_list<const char*> allowed);
  std::optional<std::string> string(const char* name, bool required, size_t max_len = 16u << 20) const;
  std::optional<int64_t> integer(const char* name, bool required, int64_t min, int64_t max) const;

 private:
  Json json_;
};

/// Query parameters: only `allowed` names, each at most once.
class QueryParams {
 public:
  QueryParams(const HttpRequest& req, std::initializer_list<const char*> allowed);
  std::optional<std::string> string(const char* name) const;
  std::optional<int64_t> integer(const char* name, int64_t min, int64_t max) const;

 private:
  const HttpRequest& req_;
};

std::string rfc3339_ms(int64_t ns);
const char* severity_name(int severity);
/// -1 when unknown.
int severity_from_name(const std::string& name);
const char* kind_name(int kind);
std::string proto_name(int proto);
std::string event_id_hex(uint64_t id);

Json alert_json(const AlertRecord& a);
Json audit_json(const AuditRecord& r);
Json block_json(const BlockRecord& b);

}  // namespace weir::ctl
