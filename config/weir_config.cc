// parse_config and friends: YAML text -> validated Config; see weir_config.h.
// The per-section schema is in config_sections.cc.

#include "config/weir_config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/config_sections.h"
#include "config/yaml_reader.h"

namespace weir::config {

ConfigError::ConfigError(std::string file, int line, std::string key, std::string what)
    : std::runtime_error(std::move(what)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)) {}

std::string format_error(const ConfigError& e) {
  std::string out = e.file();
  if (e.line() > 0) out += ":" + std::to_string(e.line());
  out += ": ";
  if (!e.key().empty()) out += e.key() + ": ";
  out += e.what();
  return out;
}

Config parse_config(const std::string& yaml_text, const std::string& file, const std::string& base_dir) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yaml_text);
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's text without its own "yaml-cpp: error at line" prefix.
    throw ConfigError(file, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg);
  }
  if (documents.size() > 1) {
    throw ConfigError(file, node_line(documents[1], 0), "",
                      "expected a single YAML document, got " + std::to_string(documents.size()));
  }
  const YAML::Node root = documents.empty() ? YAML::Node(YAML::NodeType::Null) : documents[0];
  const YamlReader reader(root, &file, "", node_line(root, 1));
  reader.expect_map({"dataplane", "pairs", "flow", "stream", "defrag", "rules", "scope", "exceptions", "watchdog",
                     "telemetry", "control", "export", "admin", "metrics", "discovery", "parsers", "apis"});

  Config config;
  config.source = file;
  if (auto c = reader.child("dataplane")) read_dataplane(*c, config.dataplane);
  read_pairs(reader.required("pairs"), config.pairs);
  if (auto c = reader.child("flow")) read_flow(*c, config.flow);
  if (auto c = reader.child("stream")) read_stream(*c, config.stream);
  if (auto c = reader.child("defrag")) read_defrag(*c, config.defrag);
  if (auto c = reader.child("rules")) read_rules(*c, config.rules);
  if (auto c = reader.child("scope")) read_scope(*c, config.scope);
  if (auto c = reader.child("exceptions")) read_exceptions(*c, config.exceptions);
  if (auto c = reader.child("watchdog")) read_watchdog(*c, config.watchdog);
  if (auto c = reader.child("telemetry")) read_telemetry(*c, config.telemetry);
  if (auto c = reader.child("control")) read_control(*c, config.control);
  if (auto c = reader.child("export")) read_export(*c, config.exports);
  if (auto c = reader.child("admin")) read_remote_admin(*c, config.admin);
  if (auto c = reader.child("metrics")) read_metrics(*c, config.metrics);
  if (auto c = reader.child("discovery")) read_discovery(*c, config.discovery);
  if (auto c = reader.child("parsers"))
    read_parsers(*c, base_dir.empty() ? config_base_dir(file) : base_dir, config.parsers);
  // After `parsers:`: an API's policy starts from the global one.
  if (auto c = reader.child("apis")) read_apis(*c, config.parsers);
  return config;
}

std::string config_base_dir(const std::string& source) {
  if (source.empty() || source.front() == '<') return WEIR_SOURCE_CONFIGS_DIR;
  const size_t slash = source.rfind('/');
  return slash == std::string::npos ? "." : source.substr(0, slash);
}

std::string resolve_rules_dir(const Config& cfg) {
  const std::string& dir = cfg.rules.dir;
  if (dir.empty() || dir.front() == '/') return dir;
  return config_base_dir(cfg.source) + "/" + dir;
}

Config load_config_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw ConfigError(path, 0, "", std::string("cannot open: ") + std::strerror(errno));
  }
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      throw ConfigError(path, 0, "", std::string("cannot read: ") + std::strerror(saved));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return parse_config(text, path);
}

}  // namespace weir::config
