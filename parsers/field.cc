// Zone names are part of the rule language and the alert format: keep them
// stable. The table is indexed by Zone so adding a zone is one line here.
#include "parsers/field.h"

#include <array>

namespace weir::parse {
namespace {

constexpr std::array<const char*, static_cast<size_t>(Zone::Count)> kZoneNames = {
    "method",      "path",          "path_segment", "query_arg",   "query_arg_name",
    "header",      "cookie",        "body_json",    "body_form",   "body_multipart",
    "body_xml",    "graphql_arg",   "graphql_var",  "grpc_field",  "ws_message",
    "body_raw",    "resp_header",   "resp_body",    "status",      "stream",
    "body_file",
};

}  // namespace

const char* zone_name(Zone z) {
  const auto i = static_cast<size_t>(z);
  return i < kZoneNames.size() ? kZoneNames[i] : "unknown";
}

bool zone_from_name(std::string_view name, Zone& out) {
  for (size_t i = 0; i < kZoneNames.size(); ++i) {
    if (name == kZoneNames[i]) {
      out = static_cast<Zone>(i);
      return true;
    }
  }
  return false;
}

}  // namespace weir::parse
