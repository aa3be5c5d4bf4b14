// Each anomaly is reported once per head: the finding says what, the
// alert's excerpt shows where.
#include "parsers/http1/head_scan.h"

#include <cstring>

#include "parsers/http1/head_byte_search.h"

namespace weir::parse {
namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Every header line asks this: one 4-byte compare instead of a call. OR 0x20
// folds case exactly here because "host" is all letters.
bool is_host(std::string_view name) {
  if (name.size() != 4) return false;
  uint32_t w;
  std::memcpy(&w, name.data(), 4);
  uint32_t host;
  std::memcpy(&host, "host", 4);
  return (w | 0x20202020u) == host;
}

// "http://user@Host:80/path" -> "Host:80"; empty when not absolute-form.
std::string_view absolute_form_authority(std::string_view target) {
  const size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  for (size_t i = 0; i < scheme_end; ++i) {
    const char c = target[i];
    if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '+' && c != '-' && c != '.') return {};
  }
  std::string_view rest = target.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');
  return at == std::string_view::npos ? rest : rest.substr(at + 1);
}

struct Reported {
  bool bare_lf = false, long_line = false, fold = false, space_colon = false, no_colon = false;
};

}  // namespace

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Header names and media types mostly arrive in the case they are looked
  // up in: one memcmp, not a lower() pair per byte.
  if (a == b) return true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

UpgradeKind upgrade_kind_of_value(std::string_view upgrade) {
  const std::string_view first = trim_ows(upgrade.substr(0, upgrade.find(',')));
  if (equals_ignore_case(first, "websocket")) return UpgradeKind::WebSocket;
  if (equals_ignore_case(first, "h2c")) return UpgradeKind::H2c;
  return UpgradeKind::Other;
}

const HeaderLine* find_header(const ParsedHead& head, std::string_view name) {
  for (const auto& h : head.headers) {
    if (h.name.size() == name.size() && equals_ignore_case(h.name, name)) return &h;
  }
  return nullptr;
}

bool scan_head(std::string_view head, Direction dir, const ParseLimits& limits, Arena& arena,
               ParsedHead& out, FindingList& findings) {
  out = ParsedHead{};
  // A header line takes at least 3 bytes ("a:\n"): an upper bound on the
  // line count without a counting pass (bump allocation costs nothing).
  auto* lines = arena.allocate_array<HeaderLine>(head.size() / 3 + 1);
  if (lines == nullptr) return false;
  uint32_t count = 0;
  uint32_t host_count = 0;
  bool start_line_seen = false;
  Reported seen;

  size_t pos = 0;
  while (pos < head.size()) {
    // A header line's first ':' is found on the way to its LF; the start
    // line needs only its LF.
    size_t colon_at = std::string_view::npos;
    size_t nl = start_line_seen ? find_lf_or_colon(head, pos) : find_lf(head, pos);
    if (nl < head.size() && head[nl] == ':') {
      colon_at = nl;
      nl = find_lf(head, nl + 1);
    }
    std::string_view line = head.substr(pos, nl - pos);
    const size_t colon = colon_at == std::string_view::npos ? colon_at : colon_at - pos;
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    } else if (nl < head.size() && !seen.bare_lf) {
      seen.bare_lf = true;
      findings.add("http1.bare_lf", "line ended by LF without CR", FindingSeverity::Fatal);
    }
    if (line.size() > limits.max_line_bytes && !seen.long_line) {
      seen.long_line = true;
      findings.add("http1.line_too_long", "request/header line over max_line_bytes",
                   FindingSeverity::Anomaly);
    }
    if (!start_line_seen) {
      if (line.empty()) continue;  // empty lines before a message are allowed
      start_line_seen = true;
      const size_t sp1 = line.find(' ');
      const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
      if (dir == Direction::Request) {
        out.method = line.substr(0, sp1);
        if (sp1 != std::string_view::npos) out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        if (sp2 != std::string_view::npos) out.version = line.substr(sp2 + 1);
      } else {
        out.version = line.substr(0, sp1);
        if (sp1 != std::string_view::npos) out.status = line.substr(sp1 + 1, sp2 - sp1 - 1);
      }
      continue;
    }
    if (line.empty()) break;  // end of head
    if (is_ows(line.front()) && count == 0) {
      // RFC 9112 5.2: servers reject or ignore such a line; a proxy that
      // folds it into the start line reads a different message.
      findings.add("http1.whitespace_before_first_header",
                   "line starting with whitespace right after the start line",
                   FindingSeverity::Fatal);
      continue;
    }
    if (is_ows(line.front())) {
      if (!seen.fold) {
        seen.fold = true;
        findings.add("http1.obs_fold", "header value continued on a folded line",
                     FindingSeverity::Anomaly);
      }
      {
        // The folded value runs from the first line's value to this line's end.
        HeaderLine& prev = lines[count - 1];
        const char* begin = prev.value.empty() ? line.data() : prev.value.data();
        const std::string_view extended(begin, static_cast<size_t>(line.data() + line.size() - begin));
        prev.value = trim_ows(extended);
      }
      continue;
    }
    if (colon == std::string_view::npos) {
      if (!seen.no_colon) {
        seen.no_colon = true;
        findings.add("http1.header_without_colon", "header line has no colon",
                     FindingSeverity::Fatal);
      }
      continue;
    }
    const std::string_view name = line.substr(0, colon);
    if (!name.empty() && is_ows(name.back()) && !seen.space_colon) {
      seen.space_colon = true;
      findings.add("http1.space_before_colon", "whitespace between header name and colon",
                   FindingSeverity::Fatal);
    }
    HeaderLine h{trim_ows(name), trim_ows(line.substr(colon + 1))};
    if (dir == Direction::Request && is_host(h.name)) {
      if (++host_count == 1) out.host = h.value;
    }
    lines[count++] = h;
  }
  out.headers = {lines, count};
  if (!start_line_seen) return false;

  if (count > limits.max_headers) {
    findings.add("http1.too_many_headers", "more header lines than max_headers",
                 FindingSeverity::Anomaly);
  }
  if (dir == Direction::Request) {
    if (host_count > 1) {
      findings.add("http1.duplicate_host", "more than one Host header", FindingSeverity::Fatal);
    }
    if (host_count == 0 && out.version == "HTTP/1.1") {
      findings.add("http1.missing_host", "HTTP/1.1 request without Host", FindingSeverity::Anomaly);
    }
    const std::string_view authority = absolute_form_authority(out.target);
    if (!authority.empty() && host_count > 0 && !equals_ignore_case(authority, out.host)) {
      findings.add("http1.host_mismatch", "absolute-form target authority differs from Host",
                   FindingSeverity::Anomaly);
    }
  }
  return true;
}

}  // namespace weir::parse
