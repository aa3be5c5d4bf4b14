// LiveConfig (see live_config.h). Persisted as live.yaml plus live.meta
// ("generation applied_ns source"), each written to a temp file and renamed
// so a crash leaves either the old or the new pair of files.
#include "control/live_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "control/unified_diff.h"

namespace weir::ctl {

namespace {
bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + tmp);
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                  fsync(fileno(f)) == 0;
  std::fclose(f);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path);
}
}  // namespace

LiveConfig::LiveConfig(std::string state_dir, const std::string& config_path)
    : state_dir_(std::move(state_dir)),
      base_dir_(config::config_base_dir(config_path.empty() ? "<embedded>" : config_path)) {
  const std::string live = state_dir_ + "/live.yaml";
  std::string text;
  if (read_file(live, text)) {
    view_.yaml = text;
    view_.source = live;
    view_.generation = 1;
    std::string meta;
    if (read_file(state_dir_ + "/live.meta", meta)) {
      std::istringstream ms(meta);
      uint64_t gen = 0;
      int64_t at = 0;
      std::string source;
      if (ms >> gen >> at) {
        std::getline(ms >> std::ws, source);
        view_.generation = gen == 0 ? 1 : gen;
        view_.applied_ns = at;
        if (!source.empty()) view_.source = source;
      }
    }
    parsed_ = config::parse_config(view_.yaml, live, base_dir_);
    return;
  }
  if (!config_path.empty()) {
    if (!read_file(config_path, text))
      throw config::ConfigError(config_path, 0, "", "cannot read the file");
    view_.yaml = text;
    view_.source = config_path;
  } else {
    view_.yaml = config::embedded_default_config();
    view_.source = "<embedded>";
  }
  parsed_ = config::parse_config(view_.yaml, view_.source, base_dir_);
  view_.generation = 1;
}

ConfigView LiveConfig::current() const {
  std::lock_guard lock(mu_);
  return view_;
}

config::Config LiveConfig::parsed() const {
  std::lock_guard lock(mu_);
  return parsed_;
}

ConfigCheck LiveConfig::check(const std::string& yaml, const std::string& source) const {
  ConfigCheck c;
  try {
    config::parse_config(yaml, source, base_dir_);
    c.ok = true;
  } catch (const config::ConfigError& e) {
    c.message = config::format_error(e);
    c.file = e.file();
    c.line = e.line();
    c.key = e.key();
  }
  return c;
}

std::string LiveConfig::label(const ConfigView& v) {
  return "live (generation " + std::to_string(v.generation) + ", " + v.source + ")";
}

std::optional<std::string> LiveConfig::diff(const std::string& yaml, const std::string& source,
                                            ConfigCheck& c) const {
  c = check(yaml, source);
  if (!c.ok) return std::nullopt;
  const ConfigView v = current();
  return unified_diff(v.yaml, yaml, label(v), source);
}

ConfigApplyResult LiveConfig::apply(const std::string& yaml, const std::string& source, int64_t now_ns) {
  ConfigApplyResult r;
  config::Config parsed;
  try {
    parsed = config::parse_config(yaml, source, base_dir_);
    r.check.ok = true;
  } catch (const config::ConfigError& e) {
    r.check.message = config::format_error(e);
    r.check.file = e.file();
    r.check.line = e.line();
    r.check.key = e.key();
  }
  std::lock_guard lock(mu_);
  r.generation = view_.generation;
  if (!r.check.ok) return r;
  r.diff = unified_diff(view_.yaml, yaml, label(view_), source);
  r.changed = !r.diff.empty();
  if (!r.changed) return r;
  ConfigView next{yaml, source, view_.generation + 1, now_ns};
  persist(next);  // throws before anything changes
  view_ = std::move(next);
  parsed_ = std::move(parsed);
  r.applied = true;
  r.generation = view_.generation;
  return r;
}

void LiveConfig::persist(const ConfigView& v) const {
  mkdir(state_dir_.c_str(), 0700);
  // Meta first: a crash between the two renames leaves the old text with
  // the new generation, which the next apply simply supersedes.
  write_atomically(state_dir_ + "/live.meta",
                   std::to_string(v.generation) + " " + std::to_string(v.applied_ns) + " " + v.source + "\n");
  write_atomically(state_dir_ + "/live.yaml", v.yaml);
}

}  // namespace weir::ctl
