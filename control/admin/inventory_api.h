#pragma once
// The admin API's inventory routes (API.md, "API inventory"): /v1/inventory...,
// /v1/business-flows..., and the test hook POST /v1/test/observations
// (enabled by weir-control --test-hooks only). Errors are ApiErrors.

#include <string>

#include "control/admin/admin_http_server.h"
#include "control/control_plane.h"

namespace weir::ctl {

/// True for the paths route_inventory() serves.
bool is_inventory_path(const std::string& path);

/// Serves one request on an inventory path; throws ApiError.
HttpResponse route_inventory(ControlPlane& cp, const HttpRequest& req);

}  // namespace weir::ctl
