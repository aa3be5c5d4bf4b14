// JSON Lines corpus reader: see corpus_reader.h.

#include "cli/corpus_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace weir::cli {

namespace {

using nlohmann::json;

struct LineContext {
  const std::string& file;
  size_t line;

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    throw CorpusError(file, line, (key.empty() ? "" : "key '" + key + "': ") + "expected " + expected);
  }
};

const char* json_type(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a value";
  }
}

// A string key; absent -> nullptr. Present with another type -> error.
const std::string* string_key(const json& obj, const char* key, const LineContext& at) {
  auto it = obj.find(key);
  if (it == obj.end()) return nullptr;
  if (!it->is_string()) at.fail(key, std::string("a string, got ") + json_type(*it));
  return it->get_ptr<const std::string*>();
}

std::string base64_key(const json& obj, const char* key, const LineContext& at) {
  const std::string* text = string_key(obj, key, at);
  std::string out;
  size_t offset = 0;
  if (!decode_base64(*text, out, offset)) {
    at.fail(key, "base64 (RFC 4648, standard alphabet): bad input at offset " + std::to_string(offset));
  }
  return out;
}

void read_headers(const json& obj, const LineContext& at, RequestParts& parts) {
  auto it = obj.find("headers");
  if (it == obj.end()) return;
  const char* expected = "an array of [name, value] string pairs";
  if (!it->is_array()) at.fail("headers", std::string(expected) + ", got " + json_type(*it));
  size_t index = 0;
  for (const auto& h : *it) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string()) {
      at.fail("headers", std::string(expected) + " (entry " + std::to_string(index) + " is not)");
    }
    if (h[0].get_ref<const std::string&>().empty()) {
      at.fail("headers", "a non-empty header name (entry " + std::to_string(index) + ")");
    }
    parts.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    ++index;
  }
}

// WebSocket records: the request is the Upgrade, these keys are what the
// client sends after the server's 101. ws_frames_b64 (frames as on the
// wire) overrides ws_messages (text messages, framed here as a browser
// would: one masked FIN frame each).
void read_websocket(const json& obj, const LineContext& at, CorpusRequest& req) {
  const bool frames = obj.contains("ws_frames_b64");
  const auto messages = obj.find("ws_messages");
  const bool has_messages = messages != obj.end();
  if (const std::string* ext = string_key(obj, "ws_extensions", at)) {
    if (!frames && !has_messages) at.fail("ws_extensions", "ws_messages or ws_frames_b64 next to it");
    req.ws_extensions = *ext;
  }
  if (!frames && !has_messages) return;
  req.websocket = true;
  if (frames) {
    req.ws_frames = base64_key(obj, "ws_frames_b64", at);
    if (req.ws_frames.empty()) at.fail("ws_frames_b64", "at least one frame");
    return;
  }
  if (!messages->is_array() || messages->empty()) {
    at.fail("ws_messages", std::string("a non-empty array of strings, got ") + json_type(*messages));
  }
  uint8_t index = 0;
  for (const auto& m : *messages) {
    if (!m.is_string()) at.fail("ws_messages", std::string("strings only, got ") + json_type(m));
    // A fixed mask per message keeps the bytes a pure function of the line.
    const uint8_t mask[4] = {0x37, 0xfa, 0x21, static_cast<uint8_t>(0x3d + index++)};
    append_ws_frame(req.ws_frames, m.get_ref<const std::string&>(), 1, mask);
  }
}

std::string strip_json_prefix(const char* what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 3: ..."
  std::string_view m(what);
  if (!m.empty() && m.front() == '[') {
    size_t close = m.find("] ");
    if (close != std::string_view::npos) m.remove_prefix(close + 2);
  }
  return std::string(m);
}

}  // namespace

CorpusRequest parse_corpus_line(std::string_view line, const std::string& file, size_t line_no) {
  const LineContext at{file, line_no};
  json obj;
  try {
    obj = json::parse(line.begin(), line.end());
  } catch (const json::parse_error& e) {
    at.fail("", "a JSON object (" + strip_json_prefix(e.what()) + ")");
  }
  if (!obj.is_object()) at.fail("", std::string("a JSON object, got ") + json_type(obj));

  CorpusRequest req;
  req.line = line_no;
  const std::string* id = string_key(obj, "id", at);
  if (id == nullptr || id->empty()) at.fail("id", "a non-empty string (every request needs one)");
  req.id = *id;

  if (const std::string* label = string_key(obj, "label", at)) {
    if (*label == "attack") {
      req.label = CorpusLabel::Attack;
    } else if (*label == "benign") {
      req.label = CorpusLabel::Benign;
    } else {
      at.fail("label", "\"attack\" or \"benign\", got \"" + *label + "\"");
    }
  }
  if (const std::string* cls = string_key(obj, "class", at)) req.attack_class = *cls;
  read_websocket(obj, at, req);

  // raw_b64 is the whole request as on the wire: it overrides every other
  // key, which are then not even required.
  if (obj.contains("raw_b64")) {
    req.raw = base64_key(obj, "raw_b64", at);
    if (req.raw.empty()) at.fail("raw_b64", "a non-empty request");
    return req;
  }

  RequestParts parts;
  const std::string* method = string_key(obj, "method", at);
  if (method == nullptr || method->empty()) at.fail("method", "a non-empty string (or raw_b64)");
  parts.method = *method;
  if (obj.contains("uri_b64")) {
    parts.uri = base64_key(obj, "uri_b64", at);
  } else if (const std::string* uri = string_key(obj, "uri", at)) {
    parts.uri = *uri;
  }
  if (parts.uri.empty()) at.fail("uri", "a non-empty string (or uri_b64, or raw_b64)");
  if (const std::string* version = string_key(obj, "version", at)) {
    if (version->empty()) at.fail("version", "an HTTP version such as \"1.1\"");
    parts.version = *version;
  }
  read_headers(obj, at, parts);
  if (obj.contains("body_b64")) {
    parts.body = base64_key(obj, "body_b64", at);
  } else if (const std::string* body = string_key(obj, "body", at)) {
    parts.body = *body;
  }
  req.raw = serialize_request(parts);
  return req;
}

std::vector<CorpusRequest> read_corpus_text(std::string_view text, const std::string& file) {
  std::vector<CorpusRequest> out;
  std::unordered_map<std::string, size_t> id_lines;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    CorpusRequest req = parse_corpus_line(line, file, line_no);
    auto [it, inserted] = id_lines.emplace(req.id, line_no);
    if (!inserted) {
      throw CorpusError(file, line_no, "key 'id': expected a unique id, \"" + req.id +
                                           "\" is already used on line " + std::to_string(it->second));
    }
    out.push_back(std::move(req));
  }
  return out;
}

std::vector<CorpusRequest> read_corpus_file(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return read_corpus_text(text, "<stdin>");
  }
  // A folder opens as a stream that reads nothing: say so, not "0 requests".
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw CorpusError(path, 0, "cannot read: Is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CorpusError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw CorpusError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  text = buffer.str();
  return read_corpus_text(text, path);
}

}  // namespace weir::cli
