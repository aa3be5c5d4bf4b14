#pragma once
// OpenAPI 3.0/3.1 specs held against the learned inventory: load (YAML or
// JSON), resolve local $refs (components, nested, cycles cut), list the
// operations, and classify: documented, shadow (seen, in no spec), orphan
// (in the spec, not seen within the window), zombie (deprecated, or
// removed from the newer spec version, yet still called), plus parameter
// drift (undocumented parameters, type mismatches). Control plane only:
// errors are SpecError exceptions with a precise message.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/inventory/endpoint_record.h"

namespace weir::ctl {

class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// YAML or JSON text to a JSON document; must be an OpenAPI 3.x object.
nlohmann::json load_spec_text(const std::string& text);

/// Replaces every local {"$ref": "#/..."} by the referenced value. A
/// reference cycle is left as the $ref object at the second visit.
nlohmann::json resolve_refs(const nlohmann::json& doc);

struct SpecParam {
  std::string in;    ///< path, query, header, cookie, body
  std::string name;
  std::string type;  ///< JSON schema type ("" when not given)
};

struct SpecOperation {
  std::string method;  ///< upper case
  std::string path;
  bool deprecated = false;
  std::vector<SpecParam> params;
};

std::vector<SpecOperation> spec_operations(const nlohmann::json& resolved);

/// Classification of one host's endpoints against its specs, newest last.
/// `window_ns`: an operation not called within it is an orphan.
nlohmann::json classify_endpoints(const std::vector<EndpointRecord>& endpoints,
                                  const std::vector<std::vector<SpecOperation>>& spec_versions, int64_t now_ns,
                                  int64_t window_ns);

/// The classification of one endpoint under the same rules ("documented",
/// "shadow", "zombie"), for list filters.
std::string endpoint_status(const EndpointRecord& e, const std::vector<std::vector<SpecOperation>>& spec_versions);

}  // namespace weir::ctl
