// XSS structure checks over html_lexer.h; see xss_detector.h.

#include "detect/lexical/xss_detector.h"

#include "detect/lexical/html_lexer.h"
#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

constexpr size_t kMaxTags = 64;  // bounds work on pathological "<a<a<a..." values

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool contains_icase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (ascii_iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

bool is_letters(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return !s.empty();
}

bool is_event_handler_name(std::string_view n) {
  return n.size() >= 5 && ascii_istarts_with(n, "on") && is_letters(n);
}

// Event names seen in the wild; used where a stray "on..." word is likely
// prose (a value that breaks out of an attribute).
bool is_known_event(std::string_view n) {
  static constexpr std::string_view kEvents[] = {
      "onload", "onerror", "onclick", "ondblclick", "onmouseover", "onmouseout", "onmousedown",
      "onmouseup", "onmousemove", "onmouseenter", "onmouseleave", "onfocus", "onblur",
      "onfocusin", "onfocusout", "onchange", "oninput", "onsubmit", "onreset", "onkeydown",
      "onkeyup", "onkeypress", "onselect", "onscroll", "onresize", "onunload",
      "onbeforeunload", "onanimationstart", "onanimationend", "onanimationiteration",
      "ontransitionend", "ontoggle", "onpointerover", "onpointerdown", "onpointerenter",
      "onbegin", "onend", "onstart", "onfinish", "onplay", "onpause", "oncopy", "oncut",
      "onpaste", "ondrag", "ondrop", "ondragstart", "onwheel", "onhashchange", "onmessage",
      "onpageshow", "onpopstate", "onsearch", "oncontextmenu", "onauxclick", "onbeforeprint",
      "onafterprint", "onloadstart", "oncanplay", "onshow", "onrepeat", "onreadystatechange",
      "onpointerup", "onpointermove", "ontouchstart", "ontouchend", "onwebkitanimationstart",
  };
  for (std::string_view e : kEvents)
    if (ascii_iequals(n, e)) return true;
  return false;
}

// Browsers ignore ASCII whitespace and control bytes inside and before a
// URL scheme ("jav&#x09;ascript:" once entities are decoded).
bool dangerous_url(std::string_view raw) {
  // Browsers decode character references in attribute values first:
  // "&#x6A;avascript:" is "javascript:". Transforms never expand, so the
  // decoded prefix fits.
  char decoded[96];
  std::string_view v(decoded, html_entity_decode(raw.substr(0, sizeof(decoded)), decoded));
  char buf[24];
  size_t n = 0;
  for (size_t i = 0; i < v.size() && n < sizeof(buf); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c <= 0x20) continue;
    buf[n++] = lower(static_cast<char>(c));
  }
  std::string_view s(buf, n);
  return s.starts_with("javascript:") || s.starts_with("vbscript:") ||
         s.starts_with("livescript:") || s.starts_with("data:text/html") ||
         s.starts_with("data:image/svg") || s.starts_with("data:application/xhtml") ||
         s.starts_with("data:text/xml") || s.starts_with("data:application/x-");
}

bool is_url_attribute(std::string_view n) {
  static constexpr std::string_view kUrlAttrs[] = {
      "href", "src", "action", "formaction", "data", "xlink:href", "background", "poster",
      "lowsrc", "dynsrc", "codebase", "code", "to", "values", "from", "by", "content", "ping",
      "cite", "longdesc", "manifest", "icon", "archive", "classid", "srcset", "itemtype",
  };
  for (std::string_view a : kUrlAttrs)
    if (ascii_iequals(n, a)) return true;
  return false;
}

bool is_script_tag(std::string_view n) {
  static constexpr std::string_view kTags[] = {
      "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
  };
  for (std::string_view t : kTags)
    if (ascii_iequals(n, t)) return true;
  return false;
}

bool dangerous_style(std::string_view v) {
  return contains_icase(v, "expression(") || contains_icase(v, "javascript:") ||
         contains_icase(v, "behavior:") || contains_icase(v, "-moz-binding") ||
         contains_icase(v, "url(javascript");
}

// Returns a reason when one attribute makes the tag run script.
// A handler that does something calls, assigns or names a scheme; "{handle}"
// in a JSX snippet does not. '&' covers "alert&#40;1&#41;".
// "[", quotes and "." cover property access ("window['al'+'ert'](1)",
// "top.location") whose unquoted value a '+' decoded to space cut short.
bool handler_has_code(std::string_view v) {
  return v.find_first_of("(`=:&['\".") != std::string_view::npos;
}

const char* check_attribute(const HtmlAttribute& a, bool known_events_only) {
  if (!a.has_value) return nullptr;
  if ((known_events_only ? is_known_event(a.name) : is_event_handler_name(a.name)) &&
      handler_has_code(a.value))
    return "event handler attribute";
  if (is_url_attribute(a.name) && dangerous_url(a.value)) return "script URL in attribute";
  if (ascii_iequals(a.name, "style") && dangerous_style(a.value)) return "script in style";
  // SVG <set>/<animate> writing a handler: attributeName=onmouseover to=...
  if (ascii_iequals(a.name, "attributename") && is_event_handler_name(a.value))
    return "animated event handler";
  if (ascii_iequals(a.name, "srcdoc") && a.value.find('<') != std::string_view::npos)
    return "markup in srcdoc";
  return nullptr;
}

const char* scan_tags(std::string_view v, int depth = 0) {
  HtmlLexer lx(v);
  std::string_view name;
  bool closing = false;
  for (size_t tags = 0; tags < kMaxTags && lx.next_tag(name, closing); ++tags) {
    if (closing) continue;
    bool script_tag = is_script_tag(name);
    bool any_value = false;
    HtmlAttribute a;
    while (lx.next_attribute(a)) {
      any_value = any_value || a.has_value;
      if (const char* r = check_attribute(a, false)) return r;
      // Markup inside an attribute value runs when a parser differential
      // ends the attribute early ("<noscript><p title="</noscript><img
      // onerror=...>">"): read it as markup too, one level deep.
      if (depth == 0 && a.value.find('<') != std::string_view::npos) {
        if (const char* r = scan_tags(a.value, 1)) return r;
      }
      if (ascii_iequals(name, "meta") && ascii_iequals(a.name, "http-equiv") &&
          ascii_iequals(a.value, "refresh"))
        return "meta refresh";
      if (ascii_iequals(name, "link") && ascii_iequals(a.name, "rel") &&
          ascii_iequals(a.value, "import"))
        return "html import";
    }
    // "<script>", "<iframe src=...": but not "<iframe is a word" in prose.
    if (script_tag && (lx.tag_closed() || any_value)) return "script-capable tag";
  }
  return nullptr;
}

// `" onmouseover="alert(1)` reflected inside value="...".
const char* attribute_breakout(std::string_view v) {
  for (char q : {'"', '\''}) {
    size_t p = v.find(q);
    if (p == std::string_view::npos) continue;
    HtmlLexer lx(v);
    lx.start_attributes_at(p + 1);
    HtmlAttribute a;
    for (size_t k = 0; k < kMaxTags && lx.next_attribute(a); ++k)
      if (const char* r = check_attribute(a, true)) return r;
  }
  return nullptr;
}

bool is_js_sink(std::string_view id) {
  static constexpr std::string_view kSinks[] = {
      "alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "function", "fetch",
      "import", "document", "window", "location", "top", "self", "parent", "frames",
      "globalthis", "constructor", "atob", "string", "open", "print", "navigator",
  };
  for (std::string_view s : kSinks)
    if (ascii_iequals(id, s)) return true;
  return false;
}

// `';alert(1)//` or `"-alert(1)-"` reflected inside a JS string literal.
const char* js_string_breakout(std::string_view v) {
  for (char q : {'\'', '"', '`'}) {
    size_t p = v.find(q);
    if (p == std::string_view::npos) continue;
    size_t i = p + 1;
    auto skip = [&](std::string_view set) {
      while (i < v.size() && set.find(v[i]) != std::string_view::npos) ++i;
    };
    skip(" \t)]}");
    size_t ops = i;
    skip(";+-*,|&^%/ \t\n");
    if (i == ops) continue;  // the quote must be followed by an operator
    size_t id_start = i;
    while (i < v.size() && ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z'))) ++i;
    std::string_view id = v.substr(id_start, i - id_start);
    if (!is_js_sink(id) || i >= v.size()) continue;
    char next = v[i];
    if (next == '(' || next == '.' || next == '[' || next == '`' || next == '=')
      return "JS string break + call";
  }
  return nullptr;
}

// The whole value used as a URL: redirect=javascript:alert(1)
bool value_is_script_url(std::string_view v) {
  if (!dangerous_url(v)) return false;
  size_t colon = v.find(':');
  if (colon == std::string_view::npos) return false;
  size_t first = 0;
  while (first < v.size() && static_cast<unsigned char>(v[first]) <= 0x20) ++first;
  if (ascii_istarts_with(v.substr(first), "data:")) return true;
  return v.find_first_of("(`=", colon + 1) != std::string_view::npos;
}

// "<script>" anywhere, also glued into another tag name to survive a
// filter that strips it once ("<scr<script>ipt>").
bool has_script_open(std::string_view v) {
  for (size_t p = v.find('<'); p != std::string_view::npos; p = v.find('<', p + 1)) {
    std::string_view rest = v.substr(p + 1);
    if (rest.size() > 6 && ascii_istarts_with(rest, "script")) {
      char c = rest[6];
      if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
        return true;
    }
  }
  return false;
}

// A Markdown link whose target is a script URL: "[docs](javascript:...)".
bool markdown_script_link(std::string_view v) {
  for (size_t p = v.find("]("); p != std::string_view::npos; p = v.find("](", p + 2)) {
    std::string_view target = v.substr(p + 2);
    if (dangerous_url(target) && target.find_first_of("(`=", target.find(':')) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

XssVerdict analyze_xss(std::string_view value) {
  if (value.find('<') != std::string_view::npos) {
    if (const char* r = scan_tags(value)) return {true, r};
    if (has_script_open(value)) return {true, "script tag"};
  }
  if (value.find("](") != std::string_view::npos && markdown_script_link(value))
    return {true, "markdown script link"};
  if (value_is_script_url(value)) return {true, "script URL value"};
  if (value.find_first_of("\"'`") != std::string_view::npos) {
    if (const char* r = attribute_breakout(value)) return {true, r};
    if (const char* r = js_string_breakout(value)) return {true, r};
  }
  return {};
}

}  // namespace weir::detect
