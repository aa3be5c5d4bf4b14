#pragma once
// Maps llhttp's error codes and reasons to stable finding names
// ("http1.cl_te_conflict"), so rules and alerts do not depend on llhttp's
// wording, which changes between releases.

#include <string_view>

namespace weir::parse {

/// `error` is an llhttp_errno value, `reason` llhttp_get_error_reason().
std::string_view llhttp_error_finding_name(int error, std::string_view reason);

}  // namespace weir::parse
