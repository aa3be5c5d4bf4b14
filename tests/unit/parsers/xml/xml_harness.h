#pragma once
// Test harness: runs an XmlInspector on one body and copies the results.

#include <string>
#include <utility>
#include <vector>

#include "parsers/xml/xml_inspector.h"

namespace weir::parse::test {

struct XmlRun {
  XmlStatus status = XmlStatus::Ok;
  XmlResult result;  // views valid only during the run; strings copied below
  std::string root, operation, operation_ns, soap_action, wsa_action;
  std::vector<std::pair<std::string, std::string>> fields;  // body_xml
  std::vector<std::string> raw;                             // body_raw
  std::vector<std::pair<std::string, std::string>> findings;
  size_t expat_bytes = 0;

  bool has(const std::string& finding) const {
    for (const auto& f : findings) {
      if (f.first == finding) return true;
    }
    return false;
  }
  std::string detail(const std::string& finding) const {
    for (const auto& f : findings) {
      if (f.first == finding) return f.second;
    }
    return "<missing>";
  }
  std::string field(const std::string& name) const {
    for (const auto& [n, v] : fields) {
      if (n == name) return v;
    }
    return "<missing>";
  }
  size_t count(const std::string& name) const {
    size_t n = 0;
    for (const auto& f : fields) n += f.first == name;
    return n;
  }
};

inline XmlRun run_xml(const std::string& body, const XmlRequestInfo& info = {},
                      const XmlPolicy& policy = {}, ParseLimits limits = {}) {
  XmlInspector inspector(limits);
  Arena arena(4 << 20);
  FieldList fields(arena, limits.max_fields);
  FindingList findings(arena, 32);
  XmlRun out;
  out.status = inspector.inspect(body, info, policy, arena, fields, findings, out.result);
  EXPECT_EQ(out.status, out.result.status);
  out.root = out.result.root;
  out.operation = out.result.operation;
  out.operation_ns = out.result.operation_ns;
  out.soap_action = out.result.soap_action;
  out.wsa_action = out.result.wsa_action;
  for (const Field& f : fields.view()) {
    if (f.zone == Zone::BodyXml) out.fields.emplace_back(f.name, f.value);
    else out.raw.emplace_back(f.value);
  }
  for (const ParserFinding& f : findings.view()) out.findings.emplace_back(f.name, f.detail);
  out.expat_bytes = inspector.expat_bytes_used();
  return out;
}

}  // namespace weir::parse::test
