#pragma once
// POST /v1/rules/exceptions (API.md): adds one false-positive exception to
// the rules folder's `exceptions.yaml` and reloads the dataplane's rules.
// The file is the one weirctl manages (`weirctl rules except --apply`): a
// YAML document with a block `exceptions:` list, appended to so comments
// and hand edits stay. The dataplane's loader is the validator: when the
// reload is refused (an unknown rule id, a duplicate id, a bad regex) or
// cannot happen (no dataplane, timeout), the file is put back as it was and
// the error returned. Every outcome is audited (rules_exception_add /
// rules_exception_refused) with the appended YAML as the diff.

#include <mutex>
#include <string>

#include "control/admin/admin_http_server.h"
#include "control/control_plane.h"

namespace weir::ctl {

/// Name of the managed file inside the rules folder.
inline constexpr const char* kExceptionsFileName = "exceptions.yaml";

/// Checks the JSON body {"exception": {...}} and renders the exception as
/// one YAML list item; throws ApiError(400) naming the bad member.
std::string exception_item_yaml(const std::string& body, std::string& id_out);

/// The text of `exceptions.yaml` after appending `item` to `current` (""
/// for a missing file). Throws ApiError(409) when `current` is not a file
/// of that form or already holds an exception with the id.
std::string append_exception(const std::string& current, const std::string& item, const std::string& id);

class RuleExceptionsApi {
 public:
  explicit RuleExceptionsApi(ControlPlane& cp) : cp_(cp) {}
  HttpResponse add(const HttpRequest& req, const Caller& who);

 private:
  ControlPlane& cp_;
  std::mutex mu_;  ///< one writer of the file at a time
};

}  // namespace weir::ctl
