#pragma once
// The policy `weirctl inspect` runs: rules from --rules (a folder or one
// file), else from the rules.dir of --config, else from the rules.dir of
// the built-in default configuration — resolved exactly as weir-dataplane
// resolves it (config::resolve_rules_dir) — with --paranoia / --mode
// applied on top, compiled into a PolicySnapshot.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/weir_config.h"
#include "detect/policy_snapshot.h"
#include "parsers/graphql/graphql_policy.h"
#include "parsers/xml/xml_policy.h"

namespace weir::cli {

struct InspectPolicyOptions {
  std::string rules;        ///< folder or file; empty: from the config
  std::string config_file;  ///< empty: the built-in default configuration
  std::optional<uint8_t> paranoia;       ///< 1..4
  std::optional<detect::PolicyMode> mode;
};

struct InspectPolicy {
  std::shared_ptr<const detect::PolicySnapshot> snapshot;
  std::string rules_source;  ///< the folder or file loaded
  size_t rule_count = 0;     ///< rules loaded (all paranoia levels)
  /// Parser policies of the config's `parsers:` section (--config, else the
  /// built-in default), as weir-dataplane gives them to its workers.
  parse::GraphqlPolicy graphql;
  parse::XmlPolicy xml;
  /// All of it (with the gRPC descriptor sets and the `apis:` table), for
  /// OfflineInspector.
  std::shared_ptr<const config::ParsersConfig> parsers;
};

/// The parser setup of `config_file` ("" = the built-in default). Throws
/// CliError(Usage) on a config error (a bad protoset file included).
std::shared_ptr<const config::ParsersConfig> load_parser_config(const std::string& config_file);

/// The rules folder the dataplane would use for `config_file` ("" = the
/// built-in default). Throws CliError(Usage) on a config error or no rules.dir.
std::string default_rules_dir(const std::string& config_file);

/// Loads and compiles. Rule and config errors throw CliError(Usage) with the
/// loader's message ("FILE:LINE: key 'K': expected ...").
InspectPolicy load_inspect_policy(const InspectPolicyOptions& opts);

}  // namespace weir::cli
