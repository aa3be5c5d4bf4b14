// Rules and policy for weirctl inspect: see inspect_policy.h.

#include "cli/inspect_policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/cli_exit_code.h"
#include "config/weir_config.h"
#include "detect/signature/rule_loader.h"

namespace weir::cli {
namespace {

config::Config load_cli_config(const std::string& config_file) {
  try {
    return config_file.empty()
               ? config::parse_config(config::embedded_default_config(), "<embedded weir.yaml>")
               : config::load_config_file(config_file);
  } catch (const config::ConfigError& e) {
    throw CliError(ExitCode::Usage, config::format_error(e));
  }
}

std::string rules_dir_of(const config::Config& cfg) {
  std::string dir = config::resolve_rules_dir(cfg);
  if (dir.empty()) {
    throw CliError(ExitCode::Usage, cfg.source + ": rules.dir is not set; give --rules DIR");
  }
  return dir;
}

}  // namespace

std::string default_rules_dir(const std::string& config_file) { return rules_dir_of(load_cli_config(config_file)); }

std::shared_ptr<const config::ParsersConfig> load_parser_config(const std::string& config_file) {
  return std::make_shared<const config::ParsersConfig>(load_cli_config(config_file).parsers);
}

InspectPolicy load_inspect_policy(const InspectPolicyOptions& opts) {
  InspectPolicy out;
  const config::Config cfg = load_cli_config(opts.config_file);
  out.rules_source = opts.rules.empty() ? rules_dir_of(cfg) : opts.rules;
  out.graphql = cfg.parsers.graphql;
  out.xml = cfg.parsers.xml;
  out.parsers = std::make_shared<const config::ParsersConfig>(cfg.parsers);
  struct stat st {};
  if (::stat(out.rules_source.c_str(), &st) != 0) {
    throw CliError(ExitCode::Usage, "cannot read rules " + out.rules_source + ": " + std::strerror(errno));
  }
  try {
    detect::RuleSet rules;
    if (S_ISDIR(st.st_mode)) {
      if (::access(out.rules_source.c_str(), R_OK | X_OK) != 0) {
        throw CliError(ExitCode::Usage,
                       "cannot read folder " + out.rules_source + ": " + std::strerror(errno));
      }
      rules = detect::load_rules_dir(out.rules_source);
    } else {
      detect::load_rules_file(out.rules_source, rules);
    }
    if (opts.paranoia) rules.policy.paranoia = *opts.paranoia;
    if (opts.mode) rules.policy.mode = *opts.mode;
    out.rule_count = rules.rules.size();
    out.snapshot = detect::PolicySnapshot::compile(rules);
  } catch (const detect::RuleError& e) {
    throw CliError(ExitCode::Usage, e.what());
  }
  return out;
}

}  // namespace weir::cli
