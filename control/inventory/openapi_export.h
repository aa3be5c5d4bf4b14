#pragma once
// Export of one host's learned endpoints as an OpenAPI 3.1 document:
// templated paths with their path parameters, query/header/cookie
// parameters with inferred types, formats and required-ness, JSON request
// and response schemas built from the observed leaf paths, the status codes
// seen, and x-weir-* extensions (calls, sensitive classes, auth, tags).
// Holds no values: examples are never exported.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/inventory/endpoint_record.h"

namespace weir::ctl {

nlohmann::json export_openapi(const std::vector<EndpointRecord>& endpoints, const std::string& host);

/// A JSON schema from flattened leaf names ("a.b", "items[].id") and shapes.
nlohmann::json schema_from_params(const std::vector<const ParamRecord*>& params);

}  // namespace weir::ctl
