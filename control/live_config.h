#pragma once
// The live configuration owned by weir-control: its YAML text, the parsed
// form, a generation number that grows by one per applied change, and the
// copy under --state-dir that the next start loads. validate/diff/apply
// never change anything on a bad config: the old one keeps running.
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "config/weir_config.h"

namespace weir::ctl {

struct ConfigView {
  std::string yaml;
  std::string source;
  uint64_t generation = 0;
  int64_t applied_ns = 0;
};

/// Outcome of validating text: ok, or the exact config error.
struct ConfigCheck {
  bool ok = false;
  std::string message;  ///< weir::config::format_error() text
  std::string file;
  int line = 0;
  std::string key;
};

struct ConfigApplyResult {
  ConfigCheck check;
  bool applied = false;  ///< a new generation is live
  bool changed = false;
  uint64_t generation = 0;
  std::string diff;
};

class LiveConfig {
 public:
  /// Startup: `<state_dir>/live.yaml` if present (the last applied config),
  /// else `config_path` if not empty, else the embedded default. Throws
  /// config::ConfigError if that text is invalid.
  LiveConfig(std::string state_dir, const std::string& config_path);

  ConfigView current() const;
  config::Config parsed() const;

  ConfigCheck check(const std::string& yaml, const std::string& source) const;
  /// Unified diff live -> proposed ("" when equal); nullopt + `check` filled
  /// when the proposed text is invalid.
  std::optional<std::string> diff(const std::string& yaml, const std::string& source,
                                  ConfigCheck& check) const;
  /// Validates, then makes `yaml` live and persists it. Throws
  /// std::runtime_error if it cannot be persisted (nothing changes then).
  ConfigApplyResult apply(const std::string& yaml, const std::string& source, int64_t now_ns);

  static std::string label(const ConfigView& v);

 private:
  void persist(const ConfigView& v) const;

  std::string state_dir_;
  /// Relative paths in any config text (parsers.grpc.protosets) resolve
  /// against the folder of the config weir-control started with — as the
  /// dataplane resolves what it is pushed — never against a `source` that
  /// weirctl named on its own side or the state folder of live.yaml.
  std::string base_dir_;
  mutable std::mutex mu_;
  ConfigView view_;
  config::Config parsed_;
};

}  // namespace weir::ctl
