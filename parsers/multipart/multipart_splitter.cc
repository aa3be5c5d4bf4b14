// One pass over the body: find a delimiter line, read the part's headers,
// find the next delimiter, emit the part. A delimiter is "--boundary" at the
// start of a line followed by optional blanks and a line end ("--" after it
// closes the body). Lenient where servers are lenient (bare LF lines, a
// missing final boundary) so we see the parts they see, and each leniency
// is a finding so a policy can refuse it.
#include "parsers/multipart/multipart_splitter.h"

#include <cstring>

#include "parsers/binary_content.h"
#include "parsers/multipart/mime_params.h"

namespace weir::parse {
namespace {

constexpr uint32_t kMaxPartHeaders = 16;
constexpr uint32_t kMaxNames = 4;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool only_whitespace(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space (not last).
bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  for (char c : b) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    std::strchr("'()+_,-./:=? ", c) != nullptr;
    if (!ok || c == '\0') return false;
  }
  return true;
}

bool is_json_type(std::string_view media) {
  if (mime_name_equals(media, "application/json") || mime_name_equals(media, "text/json")) return true;
  return media.size() > 17 && mime_name_equals(media.substr(0, 12), "application/") &&
         mime_name_equals(media.substr(media.size() - 5), "+json");
}

bool is_multipart_type(std::string_view media) {
  return media.size() > 10 && mime_name_equals(media.substr(0, 10), "multipart/");
}

struct Delimiter {
  size_t pos = 0;       // first '-' of "--boundary"
  size_t line_end = 0;  // just past the delimiter line
  bool close = false;   // "--boundary--"
  bool bare_lf = false;
};

struct PartHeader {
  std::string_view name;
  std::string_view value;  // a folded value spans its continuation lines
};

class Splitter {
 public:
  Splitter(ParserWorkspace& ws, FieldList& fields, FindingList& findings, bool truncated)
      : ws_(ws), arena_(ws.arena()), fields_(fields), findings_(findings), truncated_(truncated) {}

  bool boundary_of(std::string_view content_type, std::string_view& boundary, bool& quoted);
  void split(std::string_view body, std::string_view boundary, bool quoted, uint32_t depth,
             std::string_view prefix, bool form_data);

 private:
  void report(std::string_view name, std::string_view detail,
              FindingSeverity sev = FindingSeverity::Anomaly);
  void add(Zone zone, std::string_view name, std::string_view value);
  std::string_view join(std::string_view a, std::string_view b);
  bool find_delimiter(std::string_view body, std::string_view dash, size_t from, Delimiter& d);
  uint32_t read_headers(std::string_view body, size_t from, PartHeader* out, size_t& content_start);
  void part(const PartHeader* headers, uint32_t count, std::string_view content, uint32_t depth,
            std::string_view prefix, bool form_data);
  void emit_content(std::string_view name, std::string_view content, std::string_view type,
                    std::string_view media, uint32_t depth, Zone content_zone);

  ParserWorkspace& ws_;
  Arena& arena_;
  FieldList& fields_;
  FindingList& findings_;
  bool truncated_;
};

void Splitter::report(std::string_view name, std::string_view detail, FindingSeverity sev) {
  for (uint32_t i = 0; i < findings_.size(); ++i) {
    if (findings_[i].name == name) return;
  }
  findings_.add(name, detail, sev);
}

void Splitter::add(Zone zone, std::string_view name, std::string_view value) {
  if (!fields_.add(zone, name, value)) {
    report("parse.field_cap", "more fields than max_fields");
  }
}

std::string_view Splitter::join(std::string_view a, std::string_view b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const bool bracket = b.front() == '[';
  const size_t n = a.size() + (bracket ? 0 : 1) + b.size();
  auto* p = static_cast<char*>(arena_.allocate(n, 1));
  if (p == nullptr) return a;  // arena full: the outer name still says where it came from
  std::memcpy(p, a.data(), a.size());
  size_t o = a.size();
  if (!bracket) p[o++] = '.';
  std::memcpy(p + o, b.data(), b.size());
  return {p, n};
}

bool Splitter::boundary_of(std::string_view content_type, std::string_view& boundary,
                           bool& quoted) {
  MimeParamReader reader(content_type);
  MimeParam p;
  uint32_t seen = 0;
  while (reader.next(p)) {
    if (!mime_name_equals(p.name, "boundary") || p.extended) continue;
    const std::string_view v = p.quoted ? unescape_quoted(p.value, arena_) : p.value;
    if (p.unterminated || p.text_after_quote || (!p.quoted && v.find('"') != std::string_view::npos)) {
      report("multipart.boundary_quote_mismatch", "boundary quoting read differently by parsers");
    }
    if (seen == 0) {
      boundary = v;
      quoted = p.quoted;
    } else if (v == boundary) {
      report("multipart.duplicate_boundary", "boundary parameter given twice");
    } else {
      report("multipart.conflicting_boundary", "two different boundary parameters");
    }
    ++seen;
  }
  if (seen == 0) {
    report("multipart.no_boundary", "multipart Content-Type without boundary");
    return false;
  }
  if (!valid_boundary(boundary)) {
    report("multipart.invalid_boundary", "boundary breaks RFC 2046 (length or characters)");
  }
  return !boundary.empty();
}

bool Splitter::find_delimiter(std::string_view body, std::string_view dash, size_t from,
                              Delimiter& d) {
  const size_t n = body.size();
  size_t i = from;
  while ((i = body.find(dash, i)) != std::string_view::npos) {
    if (i != 0 && body[i - 1] != '\n') {
      ++i;
      continue;
    }
    size_t j = i + dash.size();
    d = Delimiter{};
    d.pos = i;
    if (j + 2 <= n && body[j] == '-' && body[j + 1] == '-') {
      d.close = true;
      j += 2;
    }
    size_t k = j;
    while (k < n && is_blank(body[k])) ++k;
    if (k == n) {
      d.line_end = n;
      return true;
    }
    if (body[k] == '\r' && k + 1 < n && body[k + 1] == '\n') {
      d.line_end = k + 2;
      return true;
    }
    if (body[k] == '\n') {
      d.line_end = k + 1;
      d.bare_lf = true;
      return true;
    }
    if (d.close) {
      // "--boundary--text": a close delimiter to most parsers; the text is epilogue.
      d.line_end = j;
      return true;
    }
    // "--boundaryX": not a delimiter (RFC 2046), a prefix match to some parsers.
    report("multipart.boundary_prefix", "line starting with the boundary followed by other text");
    i = j;
  }
  return false;
}

// Reads part headers from `from` up to the empty line; returns how many,
// with content_start just past the empty line (npos: no empty line).
uint32_t Splitter::read_headers(std::string_view body, size_t from, PartHeader* out,
                                size_t& content_start) {
  uint32_t count = 0;
  size_t pos = from;
  content_start = std::string_view::npos;
  while (pos < body.size()) {
    const size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return count;
    size_t line_end = nl;
    if (line_end > pos && body[line_end - 1] == '\r') {
      --line_end;
    } else {
      report("multipart.lf_line", "part header line ended by a bare LF");
    }
    const std::string_view line = body.substr(pos, line_end - pos);
    pos = nl + 1;
    if (line.empty()) {
      content_start = pos;
      return count;
    }
    if (is_blank(line.front())) {
      report("multipart.header_folding", "folded part header line");
      if (count > 0) {
        PartHeader& h = out[count - 1];
        h.value = std::string_view(h.value.data(), static_cast<size_t>(line.data() + line.size() - h.value.data()));
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      report("multipart.malformed_header", "part header line without a colon");
      continue;
    }
    if (count == kMaxPartHeaders) {
      report("multipart.too_many_headers", "more part headers than the splitter reads");
      continue;
    }
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && is_blank(value.front())) value.remove_prefix(1);
    out[count++] = PartHeader{name, value};
  }
  return count;
}

void Splitter::part(const PartHeader* headers, uint32_t count, std::string_view content,
                    uint32_t depth, std::string_view prefix, bool form_data) {
  std::string_view names[kMaxNames];
  uint32_t name_count = 0;
  std::string_view filenames[kMaxNames];
  uint32_t filename_count = 0;
  std::string_view type;
  uint32_t dispositions = 0;
  // A value past the list is not dropped: the Content-Disposition it came
  // from is emitted whole (after the names are known).
  std::string_view overflow[kMaxNames];
  uint32_t overflow_count = 0;
  auto push = [&](std::string_view* list, uint32_t& n, std::string_view v, std::string_view header) {
    for (uint32_t i = 0; i < n; ++i) {
      if (list[i] == v) return;
    }
    if (n < kMaxNames) {
      list[n++] = v;
      return;
    }
    report("multipart.too_many_names", "more distinct name or filename parameters than the splitter keeps");
    for (uint32_t i = 0; i < overflow_count; ++i) {
      if (overflow[i].data() == header.data()) return;
    }
    if (overflow_count < kMaxNames) overflow[overflow_count++] = header;
  };
  for (uint32_t h = 0; h < count; ++h) {
    const PartHeader& hdr = headers[h];
    if (mime_name_equals(hdr.name, "content-type")) {
      type = hdr.value;
      continue;
    }
    if (mime_name_equals(hdr.name, "content-transfer-encoding")) {
      const std::string_view cte = MimeParamReader(hdr.value).value();
      if (mime_name_equals(cte, "base64") || mime_name_equals(cte, "quoted-printable")) {
        report("multipart.transfer_encoding", "encoded part inspected as sent");
      } else if (!mime_name_equals(cte, "7bit") && !mime_name_equals(cte, "8bit") &&
                 !mime_name_equals(cte, "binary")) {
        report("multipart.unknown_transfer_encoding", "unknown Content-Transfer-Encoding");
      }
      continue;
    }
    if (!mime_name_equals(hdr.name, "content-disposition")) continue;
    if (++dispositions == 2) {
      report("multipart.duplicate_disposition", "part with two Content-Disposition headers");
    }
    MimeParamReader reader(hdr.value);
    MimeParam p;
    uint32_t name_params = 0;
    uint32_t filename_params = 0;
    while (reader.next(p)) {
      if (p.unterminated || p.text_after_quote) {
        report("multipart.malformed_disposition", "Content-Disposition quoting read differently");
      }
      const bool is_name = mime_name_equals(p.name, "name");
      const bool is_filename = mime_name_equals(p.name, "filename");
      if (!is_name && !is_filename) continue;
      std::string_view v;
      if (p.extended) {
        if (!decode_ext_value(p.value, arena_, v)) v = p.value;
      } else {
        v = p.quoted ? unescape_quoted(p.value, arena_) : p.value;
      }
      if (is_name) {
        if (!p.extended && ++name_params == 2) {
          report("multipart.duplicate_parameter", "name parameter given twice");
        }
        push(names, name_count, v, hdr.value);
      } else {
        // Servers keep the first or the last of two filenames (filename*
        // beside filename is RFC 6266's fallback, not a duplicate).
        if (!p.extended && ++filename_params == 2) {
          report("multipart.duplicate_parameter", "filename parameter given twice");
        }
        push(filenames, filename_count, v, hdr.value);
        // Browsers send a filename's backslashes raw (HTML's form encoding
        // escapes only '"' and CR LF) and most servers keep them, while RFC
        // 9110 reads them as quoted-pairs: "..\..\boot.ini" is "....boot.ini"
        // to one reader and a traversal to the other. Inspect both.
        if (!p.extended && p.quoted && v.size() != p.value.size()) push(filenames, filename_count, p.value, hdr.value);
      }
    }
  }
  if (name_count == 0 && form_data && depth == 0) {
    report("multipart.part_without_name", "form-data part without a name");
  }
  const std::string_view first = join(prefix, name_count > 0 ? names[0] : std::string_view{});
  const uint32_t fields_before = fields_.size(), findings_before = findings_.size();
  // An uploaded file (a part with a filename) whose bytes are binary is
  // file content, not a form value: only body_file rules read it.
  const std::string_view media = MimeParamReader(type).value();
  const Zone content_zone = filename_count > 0 && !is_text_media_type(media) && looks_binary(content)
                                ? Zone::BodyFile
                                : Zone::BodyMultipart;
  emit_content(first, content, type, media, depth, content_zone);
  for (uint32_t i = 1; i < name_count; ++i) add(content_zone, join(prefix, names[i]), content);
  for (uint32_t i = 0; i < filename_count; ++i) {
    add(Zone::BodyMultipart, join(first, "filename"), filenames[i]);
  }
  for (uint32_t i = 0; i < overflow_count; ++i) {
    add(Zone::BodyMultipart, join(first, "content-disposition"), overflow[i]);
  }
  // A part that gave neither a field nor a finding (no name outside
  // form-data, unknown headers only, an empty JSON object) is still said:
  // nothing the client sent disappears without a trace.
  if (fields_.size() == fields_before && findings_.size() == findings_before && count > 0) {
    report("multipart.part_without_fields", "part whose headers and content gave nothing to inspect",
           FindingSeverity::Notice);
  }
}

void Splitter::emit_content(std::string_view name, std::string_view content, std::string_view type_header,
                            std::string_view media, uint32_t depth, Zone content_zone) {
  if (is_multipart_type(media)) {
    std::string_view boundary;
    bool quoted = false;
    if (depth + 1 >= ws_.limits().max_multipart_depth) {
      report("multipart.too_deep", "nested multipart past max_multipart_depth",
             FindingSeverity::Notice);
    } else if (boundary_of(type_header, boundary, quoted)) {
      split(content, boundary, quoted, depth + 1, name, false);
      return;
    }
  }
  if (is_json_type(media) && !content.empty()) {
    const uint32_t room = fields_.capacity() - fields_.size();
    FieldList leaves(arena_, room);
    ws_.json().flatten(content, Zone::BodyMultipart, arena_, leaves, findings_);
    for (const Field& f : leaves.view()) add(f.zone, join(name, f.name), f.value);
    if (leaves.overflowed()) report("parse.field_cap", "more fields than max_fields");
    return;
  }
  add(content_zone, name, content);
}

void Splitter::split(std::string_view body, std::string_view boundary, bool quoted,
                     uint32_t depth, std::string_view prefix, bool form_data) {
  auto* dash_mem = static_cast<char*>(arena_.allocate(boundary.size() + 4, 1));
  if (dash_mem == nullptr) {
    add(Zone::BodyRaw, {}, body);
    return;
  }
  std::memcpy(dash_mem, "--\"", 3);
  std::memcpy(dash_mem + 3, boundary.data(), boundary.size());
  dash_mem[boundary.size() + 3] = '"';
  if (quoted) {
    // Some parsers keep the quotes as part of the boundary.
    Delimiter q;
    const std::string_view with_quotes(dash_mem, boundary.size() + 4);
    if (find_delimiter(body, with_quotes, 0, q)) {
      report("multipart.boundary_quote_mismatch", "body delimited by the quoted boundary");
    }
  }
  dash_mem[2] = '-';
  const std::string_view dash(dash_mem + 1, boundary.size() + 2);
  const size_t n = body.size();

  Delimiter d;
  if (!find_delimiter(body, dash, 0, d)) {
    report("multipart.data_before_first", "no boundary delimiter in the body");
    if (!truncated_) report("multipart.missing_final_boundary", "body ends without --boundary--");
    add(Zone::BodyRaw, {}, body);
    return;
  }
  if (!only_whitespace(body.substr(0, d.pos))) {
    report("multipart.data_before_first", "data before the first boundary");
    add(Zone::BodyRaw, {}, body.substr(0, d.pos));
  }
  bool closed = false;
  PartHeader headers[kMaxPartHeaders];
  for (;;) {
    if (d.bare_lf) report("multipart.lf_line", "boundary line ended by a bare LF");
    if (d.close) {
      closed = true;
      const std::string_view epilogue = body.substr(d.line_end);
      if (!only_whitespace(epilogue)) {
        report("multipart.data_after_final", "data after the final boundary");
        add(Zone::BodyRaw, {}, epilogue);
      }
      break;
    }
    if (d.line_end >= n) break;
    size_t content_start = 0;
    const uint32_t count = read_headers(body, d.line_end, headers, content_start);
    if (content_start == std::string_view::npos) {
      // Headers never end: the server sees no part; we still inspect the bytes.
      add(Zone::BodyRaw, {}, body.substr(d.line_end));
      break;
    }
    Delimiter next;
    const bool has_next = find_delimiter(body, dash, content_start, next);
    size_t content_end = has_next ? next.pos : n;
    if (has_next && content_end > 0) {
      // The line break before a delimiter belongs to it (RFC 2046).
      --content_end;
      if (content_end > 0 && body[content_end - 1] == '\r') {
        --content_end;
      } else {
        report("multipart.lf_line", "boundary preceded by a bare LF");
      }
    }
    if (content_end < content_start) content_end = content_start;
    part(headers, count, body.substr(content_start, content_end - content_start), depth, prefix,
         form_data);
    if (!has_next) break;
    d = next;
  }
  if (!closed && !truncated_) {
    report("multipart.missing_final_boundary", "body ends without --boundary--");
  }
}

}  // namespace

void split_multipart(std::string_view body, std::string_view content_type, bool truncated,
                     ParserWorkspace& ws, FieldList& fields, FindingList& findings) {
  Splitter splitter(ws, fields, findings, truncated);
  std::string_view boundary;
  bool quoted = false;
  const bool form_data = mime_name_equals(MimeParamReader(content_type).value(), "multipart/form-data");
  if (!splitter.boundary_of(content_type, boundary, quoted)) {
    fields.add(Zone::BodyRaw, {}, body);
    return;
  }
  splitter.split(body, boundary, quoted, 0, {}, form_data);
}

}  // namespace weir::parse
