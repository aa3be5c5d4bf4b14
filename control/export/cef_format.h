#pragma once
// ArcSight Common Event Format (CEF:0) rendering of an alert, with the
// format's two escaping rules: header fields escape '\' and '|';
// extension values escape '\' and '=' and turn CR/LF into "\r"/"\n".
// Alert text comes from traffic, so every field goes through these.

#include <string>
#include <string_view>

#include "control/store/store_records.h"

namespace weir::ctl {

std::string cef_escape_header(std::string_view field);
std::string cef_escape_extension(std::string_view value);

/// CEF severity 0..10 for a Weir severity 0 (info) .. 4 (critical).
int cef_severity(int severity);

/// "CEF:0|Weir|weir-control|VERSION|SIGNATURE|NAME|SEVERITY|EXTENSION".
std::string alert_to_cef(const AlertRecord& a);

}  // namespace weir::ctl
