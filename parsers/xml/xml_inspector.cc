// expat runs with namespace processing (separator '\x01', a character XML
// forbids in names and URIs) so that SOAP is recognized by its namespace
// URI, not by whatever prefix the client chose. Text is gathered per element
// in a buffer sized at start-up; a child element, a full buffer or the end
// tag flushes it, so mixed content may give several fields with one name.
// The hash salt is set explicitly: expat would otherwise read /dev/urandom
// (a syscall) for every document.
//
// XML_DTD declares the parameter-entity and billion-laughs API in expat.h;
// Debian's libexpat is built with it (the link fails otherwise).
#define XML_DTD 1
#include "parsers/xml/xml_inspector.h"

#include <expat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>

#include "parsers/xml/expat_memory.h"
#include "parsers/xml/soap_action.h"

namespace weir::parse {
namespace {

constexpr char kNsSep = '\x01';
constexpr std::string_view kSoap11Ns = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view kSoap12Ns = "http://www.w3.org/2003/05/soap-envelope";
constexpr std::string_view kWsaNs = "http://www.w3.org/2005/08/addressing";
constexpr std::string_view kWsaNs2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
constexpr size_t kFeedBytes = 4096;

struct SplitName {
  std::string_view uri;
  std::string_view local;
};

SplitName split_name(const XML_Char* name) {
  const std::string_view n(name);
  const size_t sep = n.rfind(kNsSep);
  if (sep == std::string_view::npos) return {{}, n};
  return {n.substr(0, sep), n.substr(sep + 1)};
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

const char* xml_kind_name(XmlKind k) {
  switch (k) {
    case XmlKind::Plain: return "xml";
    case XmlKind::Soap11: return "soap11";
    case XmlKind::Soap12: return "soap12";
    case XmlKind::XmlRpc: return "xmlrpc";
  }
  return "unknown";
}

struct XmlInspector::Impl {
  explicit Impl(const ParseLimits& l)
      : limits(l),
        expat_arena(256 * 1024 + 4 * l.max_body_inspect),
        text_capacity(2 * l.max_body_inspect + 64),
        text(new char[text_capacity]),
        salt(std::random_device{}() | 1u) {}

  ParseLimits limits;
  Arena expat_arena;
  size_t text_capacity;
  std::unique_ptr<char[]> text;
  unsigned long salt;

  // State of one inspect() call.
  XML_Parser parser = nullptr;
  const XmlPolicy* policy = nullptr;
  Arena* arena = nullptr;
  FieldList* fields = nullptr;
  FindingList* findings = nullptr;
  XmlResult* result = nullptr;
  size_t text_len = 0;
  char path[kMaxPath];
  size_t path_len = 0;
  uint32_t seg_start[kMaxDepth + 1];
  bool has_child[kMaxDepth + 1];
  uint32_t depth = 0;
  uint32_t rpc_param_index = 0;
  bool in_soap_body = false;
  bool in_soap_header = false;
  bool in_wsa_action = false;
  bool stopped = false;  // a cap stopped expat (its ABORTED error is ours)
  XmlStatus status = XmlStatus::Ok;

  void add_finding(std::string_view name, std::string_view detail, FindingSeverity sev) {
    for (const ParserFinding& f : findings->view()) {
      if (f.name == name) return;
    }
    findings->add(name, detail, sev);
  }

  void stop(XmlStatus st, std::string_view finding, std::string_view detail) {
    if (stopped) return;
    add_finding(finding, detail, FindingSeverity::Anomaly);
    status = st;
    stopped = true;
    // After the parse (flushing the last text) there is no parser to stop.
    if (parser != nullptr) XML_StopParser(parser, XML_FALSE);
  }

  void emit(std::string_view name, std::string_view value) {
    if (stopped) return;
    // One slot stays free for the raw body.
    if (fields->size() + 1 >= fields->capacity()) {
      stop(XmlStatus::Capped, "xml.field_cap", "more elements and attributes than max_fields");
      return;
    }
    fields->add(Zone::BodyXml, arena->copy(name), arena->copy(value));
  }

  std::string_view current_path() const { return {path, path_len}; }

  void flush_text(bool force) {
    const std::string_view t(text.get(), text_len);
    if (force || !is_blank(t)) emit(current_path(), t);
    text_len = 0;
  }

  void append_text(std::string_view s) {
    while (!s.empty()) {
      if (text_len == text_capacity) flush_text(true);
      const size_t n = std::min(s.size(), text_capacity - text_len);
      std::memcpy(text.get() + text_len, s.data(), n);
      text_len += n;
      s.remove_prefix(n);
    }
  }

  bool push_segment(std::string_view local, bool indexed, uint32_t index) {
    char idx[16] = {};
    int idx_len = 0;
    if (indexed) idx_len = std::snprintf(idx, sizeof(idx), "[%u]", index);
    const size_t need = 1 + local.size() + static_cast<size_t>(idx_len > 0 ? idx_len : 0);
    if (path_len + need > kMaxPath) return false;
    seg_start[depth] = static_cast<uint32_t>(path_len);
    path[path_len++] = '/';
    std::memcpy(path + path_len, local.data(), local.size());
    path_len += local.size();
    if (idx_len > 0) {
      std::memcpy(path + path_len, idx, static_cast<size_t>(idx_len));
      path_len += static_cast<size_t>(idx_len);
    }
    return true;
  }

  void classify_root(const SplitName& n) {
    result->root = arena->copy(n.local);
    if (n.local == "Envelope" && n.uri == kSoap11Ns) result->kind = XmlKind::Soap11;
    else if (n.local == "Envelope" && n.uri == kSoap12Ns) result->kind = XmlKind::Soap12;
    else if (n.local == "methodCall" && n.uri.empty()) result->kind = XmlKind::XmlRpc;
  }

  bool is_soap() const { return result->kind == XmlKind::Soap11 || result->kind == XmlKind::Soap12; }

  void on_start(const XML_Char* name, const XML_Char** atts) {
    if (stopped) return;
    if (depth > 0) {
      flush_text(false);
      has_child[depth] = true;
    }
    if (depth + 1 > policy->max_depth || depth + 1 > kMaxDepth) {
      stop(XmlStatus::Capped, "xml.max_depth", "element nesting deeper than max_depth");
      return;
    }
    const SplitName n = split_name(name);
    ++depth;
    has_child[depth] = false;
    if (depth == 1) classify_root(n);
    const bool rpc_param = result->kind == XmlKind::XmlRpc && depth == 3 && n.local == "param" &&
                           current_path() == "/methodCall/params";
    if (!push_segment(n.local, rpc_param, rpc_param_index)) {
      --depth;
      stop(XmlStatus::Capped, "xml.path_cap", "element path longer than the path buffer");
      return;
    }
    if (rpc_param) ++rpc_param_index;
    if (is_soap()) {
      const std::string_view env_ns = result->kind == XmlKind::Soap11 ? kSoap11Ns : kSoap12Ns;
      if (depth == 2) {
        in_soap_body = n.local == "Body" && n.uri == env_ns;
        in_soap_header = n.local == "Header" && n.uri == env_ns;
      }
      in_wsa_action = depth == 3 && in_soap_header && n.local == "Action" &&
                      (n.uri == kWsaNs || n.uri == kWsaNs2004);
      if (depth == 3 && in_soap_body && result->operation.empty()) {
        result->operation = arena->copy(n.local);
        result->operation_ns = arena->copy(n.uri);
      }
    }
    uint32_t count = 0;
    for (const XML_Char** a = atts; a[0] != nullptr; a += 2) ++count;
    if (count > policy->max_attributes) {
      stop(XmlStatus::Capped, "xml.max_attributes", "more attributes than max_attributes");
      return;
    }
    for (const XML_Char** a = atts; a[0] != nullptr; a += 2) {
      const SplitName an = split_name(a[0]);
      const size_t mark = path_len;
      if (path_len + 2 + an.local.size() <= kMaxPath) {
        path[path_len++] = '/';
        path[path_len++] = '@';
        std::memcpy(path + path_len, an.local.data(), an.local.size());
        path_len += an.local.size();
        emit(current_path(), a[1]);
      }
      path_len = mark;
    }
  }

  void on_end() {
    if (stopped || depth == 0) return;
    const std::string_view t(text.get(), text_len);
    if (result->kind == XmlKind::XmlRpc && depth == 2 && current_path() == "/methodCall/methodName") {
      result->operation = arena->copy(t);
    }
    if (in_wsa_action && depth == 3) {
      in_wsa_action = false;
      if (result->wsa_action.empty()) result->wsa_action = arena->copy(soap_action_from_header(t));
    }
    // A leaf is a parameter even when empty; a parent only when it has text.
    flush_text(!has_child[depth]);
    const bool member_name = result->kind == XmlKind::XmlRpc && depth >= 2 &&
                             std::string_view(path + seg_start[depth],
                                              path_len - seg_start[depth]) == "/name" &&
                             std::string_view(path + seg_start[depth - 1],
                                              seg_start[depth] - seg_start[depth - 1]) == "/member";
    path_len = seg_start[depth];
    --depth;
    if (member_name && !is_blank(t)) name_struct_member(t);
  }

  // XML-RPC <member><name>k</name><value>..</value></member>: the member's
  // path segment becomes its name, so the value reads ".../struct/k/value/..."
  // (what the server's dict key is) instead of ".../struct/member/value/...".
  void name_struct_member(std::string_view member_name) {
    const size_t start = seg_start[depth];
    if (start + 1 + member_name.size() > kMaxPath) return;
    path[start] = '/';
    std::memcpy(path + start + 1, member_name.data(), member_name.size());
    path_len = start + 1 + member_name.size();
  }

  void on_default(std::string_view s) {
    // Without expansion, entity references in content come here as "&name;":
    // they stay in the text as written. Other markup (comments, PIs, the
    // DTD) is not part of any element's value.
    if (stopped || depth == 0) return;
    if (s.size() >= 3 && s.front() == '&' && s.back() == ';') append_text(s);
  }

  void on_doctype(const XML_Char* name, const XML_Char* sysid, const XML_Char* pubid) {
    result->doctype = true;
    add_finding("xml.doctype", arena->copy(name != nullptr ? name : ""), FindingSeverity::Anomaly);
    if (sysid != nullptr || pubid != nullptr) {
      add_finding("xml.external_entity", arena->copy(sysid != nullptr ? sysid : pubid),
                  FindingSeverity::Anomaly);
    }
  }

  void on_entity(const XML_Char* name, const XML_Char* sysid, const XML_Char* pubid) {
    add_finding("xml.entity_declaration", arena->copy(name), FindingSeverity::Anomaly);
    if (sysid != nullptr || pubid != nullptr) {
      add_finding("xml.external_entity", arena->copy(sysid != nullptr ? sysid : pubid),
                  FindingSeverity::Anomaly);
    }
  }

  // expat trampolines.
  static void start_cb(void* ud, const XML_Char* name, const XML_Char** atts) {
    static_cast<Impl*>(ud)->on_start(name, atts);
  }
  static void end_cb(void* ud, const XML_Char*) { static_cast<Impl*>(ud)->on_end(); }
  static void text_cb(void* ud, const XML_Char* s, int len) {
    Impl* m = static_cast<Impl*>(ud);
    if (!m->stopped && m->depth > 0) m->append_text({s, static_cast<size_t>(len)});
  }
  static void default_cb(void* ud, const XML_Char* s, int len) {
    static_cast<Impl*>(ud)->on_default({s, static_cast<size_t>(len)});
  }
  static void comment_cb(void*, const XML_Char*) {}
  static void pi_cb(void*, const XML_Char*, const XML_Char*) {}
  static void doctype_cb(void* ud, const XML_Char* name, const XML_Char* sysid,
                         const XML_Char* pubid, int) {
    static_cast<Impl*>(ud)->on_doctype(name, sysid, pubid);
  }
  static void entity_cb(void* ud, const XML_Char* name, int, const XML_Char*, int,
                        const XML_Char*, const XML_Char* sysid, const XML_Char* pubid,
                        const XML_Char*) {
    static_cast<Impl*>(ud)->on_entity(name, sysid, pubid);
  }

  bool create_parser() {
    const XML_Char sep[2] = {kNsSep, 0};
    parser = XML_ParserCreate_MM(nullptr, &expat_arena_suite(), sep);
    if (parser == nullptr) return false;
    XML_SetHashSalt(parser, salt);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(parser, policy->max_amplification);
    XML_SetBillionLaughsAttackProtectionActivationThreshold(parser,
                                                            policy->amplification_threshold);
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &start_cb, &end_cb);
    XML_SetCharacterDataHandler(parser, &text_cb);
    XML_SetDefaultHandler(parser, &default_cb);  // not ...Expand: no entity expansion
    XML_SetCommentHandler(parser, &comment_cb);
    XML_SetProcessingInstructionHandler(parser, &pi_cb);
    XML_SetStartDoctypeDeclHandler(parser, &doctype_cb);
    XML_SetEntityDeclHandler(parser, &entity_cb);
    return true;
  }

  void report_expat_error() {
    const XML_Error code = XML_GetErrorCode(parser);
    if (code == XML_ERROR_NO_MEMORY) {
      add_finding("xml.memory_cap", "document needs more parser memory than reserved",
                  FindingSeverity::Anomaly);
      status = XmlStatus::Capped;
    } else if (code == XML_ERROR_AMPLIFICATION_LIMIT_BREACH) {
      add_finding("xml.entity_amplification", "entity expansion beyond max_amplification",
                  FindingSeverity::Anomaly);
      status = XmlStatus::Capped;
    } else {
      add_finding("xml.malformed", XML_ErrorString(code), FindingSeverity::Anomaly);
      status = XmlStatus::Malformed;
    }
  }
};

XmlInspector::XmlInspector(const ParseLimits& limits) : impl_(new Impl(limits)) {}
XmlInspector::~XmlInspector() = default;

size_t XmlInspector::expat_bytes_used() const { return impl_->expat_arena.used(); }

XmlStatus XmlInspector::inspect(std::string_view body, const XmlRequestInfo& info,
                                const XmlPolicy& policy, Arena& arena, FieldList& fields,
                                FindingList& findings, XmlResult& result) {
  Impl& m = *impl_;
  result = XmlResult{};
  m.policy = &policy;
  m.arena = &arena;
  m.fields = &fields;
  m.findings = &findings;
  m.result = &result;
  m.text_len = 0;
  m.path_len = 0;
  m.depth = 0;
  m.rpc_param_index = 0;
  m.in_soap_body = false;
  m.in_soap_header = false;
  m.in_wsa_action = false;
  m.stopped = false;
  m.status = XmlStatus::Ok;
  m.expat_arena.reset();
  ExpatArenaScope scope(m.expat_arena);
  if (!m.create_parser()) {
    m.add_finding("xml.memory_cap", "no memory for the XML parser", FindingSeverity::Anomaly);
    m.status = XmlStatus::Capped;
  } else {
    size_t off = 0;
    do {
      const size_t n = std::min(kFeedBytes, body.size() - off);
      const bool last = off + n == body.size();
      if (XML_Parse(m.parser, body.data() + off, static_cast<int>(n), last) !=
          XML_STATUS_OK) {
        if (!m.stopped) m.report_expat_error();
        break;
      }
      off += n;
    } while (off < body.size());
    XML_ParserFree(m.parser);
    m.parser = nullptr;
  }
  if (m.status != XmlStatus::Ok) {
    // Text gathered before the error is still a field; then the whole body.
    m.stopped = false;
    if (m.depth > 0) m.flush_text(false);
    if (fields.size() >= fields.capacity() && fields.size() > 0) fields.truncate(fields.size() - 1);
    fields.add(Zone::BodyRaw, {}, body);
  }
  if (result.kind == XmlKind::Soap11 || result.kind == XmlKind::Soap12) {
    const std::string_view header = soap_action_from_header(info.soap_action);
    const std::string_view param = soap_action_from_content_type(info.content_type);
    result.soap_action = arena.copy(result.kind == XmlKind::Soap11 && !header.empty() ? header
                                    : !param.empty()                                  ? param
                                                                                      : header);
    // The transport's action, else the WS-Addressing one, must name the
    // operation; when both are present they must agree with each other.
    const std::string_view action = !result.soap_action.empty() ? result.soap_action
                                                                : result.wsa_action;
    const bool actions_differ = !result.soap_action.empty() && !result.wsa_action.empty() &&
                                result.soap_action != result.wsa_action;
    if (actions_differ) {
      m.add_finding("soap.action_mismatch", "transport action differs from the WS-Addressing Action",
                    FindingSeverity::Anomaly);
    }
    if (!result.operation.empty() && !soap_action_matches(action, result.operation)) {
      char buf[160];
      const int n = std::snprintf(buf, sizeof(buf), "action %.*s, body %.*s",
                                  static_cast<int>(std::min<size_t>(action.size(), 64)),
                                  action.data(),
                                  static_cast<int>(std::min<size_t>(result.operation.size(), 64)),
                                  result.operation.data());
      m.add_finding("soap.action_mismatch", arena.copy({buf, std::min(static_cast<size_t>(n > 0 ? n : 0), sizeof(buf) - 1)}),
                    FindingSeverity::Anomaly);
    }
  }
  result.status = m.status;
  return m.status;
}

}  // namespace weir::parse
