// Typed YAML reads with precise errors; see rule_yaml_reader.h.

#include "detect/signature/rule_yaml_reader.h"

#include <cstring>

#include "parsers/field.h"

namespace weir::detect {
namespace {

static_assert(static_cast<unsigned>(parse::Zone::Count) < 31,
              "zone bits must stay below kStreamZoneBit");

std::string got(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return " (got nothing)";
  if (n.IsScalar()) return " (got '" + n.Scalar() + "')";
  if (n.IsSequence()) return " (got a list)";
  return " (got a map)";
}

}  // namespace

ZoneMask any_request_zone_mask() {
  ZoneMask m = 0;
  for (size_t z = 0; z < static_cast<size_t>(parse::Zone::Count); ++z) {
    auto zone = static_cast<parse::Zone>(z);
    if (zone == parse::Zone::RespHeader || zone == parse::Zone::RespBody ||
        zone == parse::Zone::Status || zone == parse::Zone::Stream || zone == parse::Zone::BodyFile)
      continue;
    m |= ZoneMask{1} << z;
  }
  return m;
}

ZoneMask stream_zone_mask() { return kStreamZoneBit; }  // one representation of `stream`

void RuleYamlReader::fail(const YAML::Node& at, const std::string& key,
                      const std::string& expected) const {
  throw RuleError(file_, line_of(at), key, expected + got(at));
}

void RuleYamlReader::check_keys(const YAML::Node& map, const std::string& where,
                            std::initializer_list<const char*> allowed) const {
  for (const auto& kv : map) {
    std::string k = kv.first.Scalar();
    bool ok = false;
    std::string list;
    for (const char* a : allowed) {
      ok = ok || k == a;
      list += list.empty() ? a : std::string(", ") + a;
    }
    if (!ok)
      throw RuleError(file_, line_of(kv.first), where.empty() ? k : where + "." + k,
                      "one of the known keys " + list + " (unknown key)");
  }
}

void RuleYamlReader::require_map(const YAML::Node& n, const std::string& key) const {
  if (!n.IsMap()) fail(n, key, "a map");
}

std::string RuleYamlReader::string(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar() || n.Scalar().empty()) fail(n, key, "a non-empty string");
  return n.Scalar();
}

int RuleYamlReader::integer(const YAML::Node& n, const std::string& key, int min, int max) const {
  int v = 0;
  if (!n.IsScalar() || !YAML::convert<int>::decode(n, v) || v < min || v > max)
    fail(n, key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return v;
}

bool RuleYamlReader::boolean(const YAML::Node& n, const std::string& key) const {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) fail(n, key, "true or false");
  return v;
}

std::vector<std::string> RuleYamlReader::string_list(const YAML::Node& n,
                                                 const std::string& key) const {
  if (!n.IsSequence() || n.size() == 0) fail(n, key, "a non-empty list of strings");
  std::vector<std::string> out;
  for (const auto& e : n) out.push_back(string(e, key));
  return out;
}

ZoneMask RuleYamlReader::zones(const YAML::Node& n, const std::string& key) const {
  if (!n.IsSequence() || n.size() == 0) fail(n, key, "a non-empty list of zones");
  ZoneMask m = 0;
  for (const auto& e : n) {
    std::string z = string(e, key);
    if (z == "any") {
      m |= any_request_zone_mask();
      continue;
    }
    if (z == "stream") {
      m |= kStreamZoneBit;
      continue;
    }
    parse::Zone zone{};
    if (!parse::zone_from_name(z, zone))
      fail(e, key, "a zone (any, stream, method, path, path_segment, query_arg, query_arg_name, header, "
                   "cookie, body_json, body_form, body_multipart, body_xml, graphql_arg, "
                   "graphql_var, grpc_field, ws_message, body_raw, body_file, resp_header, resp_body, status)");
    m |= ZoneMask{1} << static_cast<unsigned>(zone);
  }
  return m;
}

std::vector<TransformId> RuleYamlReader::transforms(const YAML::Node& n,
                                                const std::string& key) const {
  if (!n.IsSequence()) fail(n, key, "a list of transforms");
  if (n.size() > 8) fail(n, key, "at most 8 transforms");
  std::vector<TransformId> out;
  for (const auto& e : n) {
    TransformId id{};
    std::string name = string(e, key);
    if (!transform_from_name(name, id)) {
      std::string all;
      for (size_t i = 0; i < static_cast<size_t>(TransformId::Count); ++i)
        all += (i ? ", " : "") + std::string(transform_name(static_cast<TransformId>(i)));
      fail(e, key, "a transform (" + all + ")");
    }
    out.push_back(id);
  }
  return out;
}

Severity RuleYamlReader::severity(const YAML::Node& n, const std::string& key) const {
  Severity s{};
  if (!n.IsScalar() || !severity_from_name(n.Scalar(), s))
    fail(n, key, "one of critical, error, warning, notice");
  return s;
}

}  // namespace weir::detect
