// POST /v1/rules/exceptions; see rule_exceptions_api.h.

#include "control/admin/rule_exceptions_api.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/weir_config.h"
#include "control/admin/api_json.h"

namespace weir::ctl {

namespace {

constexpr size_t kMaxString = 1024;
constexpr size_t kMaxList = 64;

const Json& member(const Json& obj, const char* key) {
  static const Json kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

void only_keys(const Json& obj, const std::string& where, std::initializer_list<const char*> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    std::string list;
    for (const char* a : allowed) {
      known = known || it.key() == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known)
      throw ApiError(400, "unknown_field", "unknown field '" + it.key() + "' in " + where + " (expected one of: " + list + ")",
                     where + "." + it.key());
  }
}

std::string checked_string(const Json& v, const std::string& field) {
  if (!v.is_string()) throw ApiError(400, "invalid_value", field + " must be a string", field);
  const std::string s = v.get<std::string>();
  if (s.empty() || s.size() > kMaxString)
    throw ApiError(400, "invalid_value", field + " must be 1.." + std::to_string(kMaxString) + " bytes", field);
  return s;
}

// JSON string syntax is YAML double-quoted syntax; dump() refuses invalid
// UTF-8 (type_error), which becomes a 400 here.
std::string quoted(const std::string& s, const std::string& field) {
  try {
    return Json(s).dump();
  } catch (const Json::exception&) {
    throw ApiError(400, "invalid_value", field + " is not valid UTF-8", field);
  }
}

std::string quoted_list(const Json& v, const std::string& field) {
  if (!v.is_array() || v.empty() || v.size() > kMaxList)
    throw ApiError(400, "invalid_value", field + " must be a list of 1.." + std::to_string(kMaxList) + " strings", field);
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quoted(checked_string(v[i], field), field);
  return out + "]";
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-')) return false;
  return true;
}

std::string read_file(const std::string& path, bool& exists) {
  std::error_code ec;
  exists = std::filesystem::exists(path, ec);
  if (!exists) return "";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ApiError(500, "internal", "cannot read " + path + ": " + std::strerror(errno));
  return text.str();
}

// Write-then-rename: the dataplane never reads half a file.
void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw ApiError(500, "internal", "cannot write " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw ApiError(500, "internal", "cannot write " + tmp + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw ApiError(500, "internal", "cannot write " + path + ": " + std::strerror(err));
  }
}

}  // namespace

std::string exception_item_yaml(const std::string& body, std::string& id_out) {
  JsonBody check(body, {"exception"});
  const Json doc = Json::parse(body);
  const Json& e = member(doc, "exception");
  if (!e.is_object()) throw ApiError(400, "invalid_value", "exception must be an object", "exception");
  only_keys(e, "exception", {"id", "comment", "endpoint", "zones", "names", "rules", "classes"});
  const std::string id = checked_string(member(e, "id"), "exception.id");
  if (!valid_id(id))
    throw ApiError(400, "invalid_value", "exception.id must be 1..64 letters, digits or . _ : -", "exception.id");
  std::string y = "  - id: " + quoted(id, "exception.id") + "\n";
  if (!member(e, "comment").is_null())
    y += "    comment: " + quoted(checked_string(member(e, "comment"), "exception.comment"), "exception.comment") + "\n";
  if (const Json& ep = member(e, "endpoint"); !ep.is_null()) {
    if (!ep.is_object() || ep.size() != 1 || !(ep.contains("prefix") || ep.contains("regex")))
      throw ApiError(400, "invalid_value", "exception.endpoint must be {\"prefix\": P} or {\"regex\": R}", "exception.endpoint");
    const char* kind = ep.contains("prefix") ? "prefix" : "regex";
    const std::string field = std::string("exception.endpoint.") + kind;
    y += "    endpoint: {" + std::string(kind) + ": " + quoted(checked_string(ep[kind], field), field) + "}\n";
  }
  for (const char* list : {"zones", "names", "rules", "classes"}) {
    const Json& v = member(e, list);
    if (!v.is_null()) y += "    " + std::string(list) + ": " + quoted_list(v, std::string("exception.") + list) + "\n";
  }
  if (member(e, "rules").is_null() && member(e, "classes").is_null())
    throw ApiError(400, "invalid_value", "exception needs rules or classes", "exception.rules");
  id_out = id;
  return y;
}

std::string append_exception(const std::string& current, const std::string& item, const std::string& id) {
  bool only_space = current.find_first_not_of(" \t\r\n") == std::string::npos;
  if (!only_space) {
    YAML::Node root;
    try {
      root = YAML::Load(current);
    } catch (const YAML::Exception& e) {
      throw ApiError(409, "conflict", std::string(kExceptionsFileName) + " is not valid YAML (" + e.what() + "); fix it first");
    }
    const bool ours = root.IsNull() || (root.IsMap() && root.size() == 1 && root["exceptions"] &&
                                        (root["exceptions"].IsNull() ||
                                         (root["exceptions"].IsSequence() &&
                                          root["exceptions"].Style() != YAML::EmitterStyle::Flow)));
    if (!ours)
      throw ApiError(409, "conflict", std::string(kExceptionsFileName) +
                                          " holds more than a block `exceptions:` list; add the exception by hand");
    if (root.IsMap() && root["exceptions"].IsSequence())
      for (const auto& e : root["exceptions"])
        if (e.IsMap() && e["id"] && e["id"].IsScalar() && e["id"].Scalar() == id)
          throw ApiError(409, "conflict", "an exception with id '" + id + "' already exists in " + kExceptionsFileName,
                         "exception.id");
    std::string out = current;
    if (out.back() != '\n') out += '\n';
    if (root.IsNull()) out += "exceptions:\n";
    return out + item;
  }
  return "# False-positive exceptions (detect/RULES.md, \"Exceptions\"), written by\n"
         "# `weirctl rules except --apply`; hand edits are kept.\n"
         "exceptions:\n" +
         item;
}

HttpResponse RuleExceptionsApi::add(const HttpRequest& req, const Caller& who) {
  QueryParams no_query(req, {});
  std::string id;
  const std::string item = exception_item_yaml(req.body, id);
  const std::string dir = config::resolve_rules_dir(cp_.config().parsed());
  if (dir.empty()) throw ApiError(409, "conflict", "the configuration has no rules.dir");
  const std::string file = dir + "/" + kExceptionsFileName;

  auto refuse = [&](const ApiError& e) {
    cp_.store().add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user,
                           .action = "rules_exception_refused", .target = id,
                           .detail = file + ": " + e.what(), .diff = item});
    return e;
  };

  std::lock_guard lock(mu_);
  bool existed = false;
  std::string before;
  std::string after;
  try {
    before = read_file(file, existed);
    after = append_exception(before, item, id);
    write_file(file, after);
  } catch (const ApiError& e) {
    throw refuse(e);
  }
  const ControlPlane::RulesReload r = cp_.reload_rules(who);
  if (r.status != QueryStatus::Ok || !r.ok) {
    // Put the folder back as it was: the running rules stay the truth.
    try {
      if (existed) write_file(file, before);
      else ::unlink(file.c_str());
    } catch (const ApiError& e) {
      throw refuse(ApiError(500, "internal", r.message + "; and restoring " + file + " failed: " + e.what()));
    }
    if (r.status != QueryStatus::Ok)
      throw refuse(ApiError(503, "dataplane_unavailable", r.message + "; " + file + " left unchanged"));
    throw refuse(ApiError(422, "rules_refused", r.message + "; " + file + " left unchanged"));
  }
  cp_.store().add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user,
                         .action = "rules_exception_add", .target = id, .detail = file + ": " + r.message,
                         .diff = item});
  return json_response(200, {{"id", id}, {"file", file}, {"reloaded", true}, {"message", r.message}});
}

}  // namespace weir::ctl
