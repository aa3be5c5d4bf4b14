#include "parsers/xml/soap_action.h"

namespace weir::parse {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

bool is_xml_content_type(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (iequals(type, "text/xml") || iequals(type, "application/xml")) return true;
  return istarts_with(type, "application/") && type.size() > 4 &&
         iequals(type.substr(type.size() - 4), "+xml");
}

std::string_view soap_action_from_header(std::string_view header_value) {
  return unquote(header_value);
}

std::string_view soap_action_from_content_type(std::string_view content_type) {
  size_t semi = content_type.find(';');
  while (semi != std::string_view::npos) {
    std::string_view rest = content_type.substr(semi + 1);
    const size_t next = rest.find(';');
    const std::string_view param = trim(rest.substr(0, next));
    const size_t eq = param.find('=');
    if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), "action")) {
      return unquote(param.substr(eq + 1));
    }
    semi = next == std::string_view::npos ? next : semi + 1 + next;
  }
  return {};
}

bool soap_action_matches(std::string_view action, std::string_view operation) {
  if (action.empty()) return true;
  const size_t cut = action.find_last_of("/#:");
  const std::string_view last = cut == std::string_view::npos ? action : action.substr(cut + 1);
  if (last.empty() || operation.empty()) return false;
  return istarts_with(last, operation) || istarts_with(operation, last);
}

}  // namespace weir::parse
