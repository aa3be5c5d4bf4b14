#pragma once
// Registration of each weirctl command group on the app; one function per
// *_command.cc file.

#include <CLI/CLI.hpp>

#include "cli/weirctl_app.h"

namespace weir::cli {

void add_status_command(CLI::App& app, Invocation& invocation);
void add_stats_command(CLI::App& app, Invocation& invocation);
void add_ports_command(CLI::App& app, Invocation& invocation);
void add_flows_command(CLI::App& app, Invocation& invocation);
void add_alerts_commands(CLI::App& app, Invocation& invocation);
void add_block_commands(CLI::App& app, Invocation& invocation);
void add_mode_command(CLI::App& app, Invocation& invocation);
void add_rules_commands(CLI::App& app, Invocation& invocation);  ///< rules reload|except
/// rules except: called by add_rules_commands on the `rules` group.
void add_rules_except_command(CLI::App& rules, Invocation& invocation);
void add_config_commands(CLI::App& app, Invocation& invocation);
void add_audit_command(CLI::App& app, Invocation& invocation);
void add_completion_command(CLI::App& app, Invocation& invocation);
void add_inventory_commands(CLI::App& app, Invocation& invocation);       ///< inventory list|show|...
void add_business_flows_commands(CLI::App& app, Invocation& invocation);  ///< business-flows list|show|promote
void add_token_commands(CLI::App& app, Invocation& invocation);  ///< token create|list|revoke
void add_export_command(CLI::App& app, Invocation& invocation);  ///< export status
/// Offline: links the detect engine and parsers, needs no weir-control.
void add_inspect_command(CLI::App& app, Invocation& invocation);

}  // namespace weir::cli
