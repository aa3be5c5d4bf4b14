// weirctl status: the daemon, its dataplane link, the live config and the store.

#include <ostream>

#include "cli/cli_commands.h"
#include "cli/ttl_duration.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

ExitCode run_status(CommandEnv& env) {
  const auto status = env.client.get_ok("/v1/status");
  if (env.globals.json) {
    print_json(env.out, status);
    return ExitCode::Ok;
  }
  const auto& config = status.value("config", nlohmann::json::object());
  const auto& dp = status.value("dataplane", nlohmann::json::object());
  const auto& store = status.value("store", nlohmann::json::object());
  std::vector<std::pair<std::string, std::string>> items;
  items.emplace_back("weir-control", field_text(status, "version"));
  std::string uptime = "-";
  if (status.contains("uptime_s") && status["uptime_s"].is_number_unsigned()) {
    uptime = format_duration(status["uptime_s"].get<uint64_t>());
  }
  items.emplace_back("started", field_time(status, "started_at") + " (up " + uptime + ")");
  items.emplace_back("mode", field_text(status, "mode"));
  std::string config_text =
      "generation " + field_text(config, "generation") + " from " + field_text(config, "source");
  if (config.contains("applied_at") && config["applied_at"].is_string()) {
    config_text += ", applied " + field_time(config, "applied_at");
  }
  items.emplace_back("config", config_text);
  const bool connected = dp.value("connected", false);
  std::string link = connected ? "connected" : "not connected";
  if (dp.contains("instance_id")) link += " (" + field_text(dp, "instance_id") + ")";
  items.emplace_back("dataplane", link);
  if (dp.contains("connected_at")) {
    items.emplace_back(connected ? "  since" : "  last connected", field_time(dp, "connected_at"));
  }
  if (dp.contains("boot_id")) items.emplace_back("  boot id", field_text(dp, "boot_id"));
  if (dp.contains("protocol_version")) {
    items.emplace_back("  protocol", field_text(dp, "protocol_version"));
  }
  if (dp.contains("counters_at")) items.emplace_back("  counters at", field_time(dp, "counters_at"));
  if (dp.contains("events_received")) {
    items.emplace_back("  events received", field_text(dp, "events_received"));
  }
  if (dp.contains("reconnects")) items.emplace_back("  reconnects", field_text(dp, "reconnects"));
  if (dp.contains("api_calls") && dp["api_calls"].is_object()) {
    const auto& a = dp["api_calls"];
    items.emplace_back("  api calls", field_text(a, "ingested") + " ingested, " + field_text(a, "dropped") +
                                          " dropped, " + field_text(a, "decode_errors") + " undecodable");
  }
  if (dp.contains("rules") && dp["rules"].is_object()) {
    const auto& rules = dp["rules"];
    std::string text = "generation " + field_text(rules, "generation") + ", " + field_text(rules, "count") +
                       " rules, " + field_text(rules, "reloads") + " reloads";
    if (rules.value("reloads", 0) > 0) text += ", last took " + field_text(rules, "last_reload_ms") + " ms";
    items.emplace_back("  rules", text);
  }
  items.emplace_back("store", field_text(store, "alerts") + " alerts, " +
                                  field_text(store, "blocks") + " blocks, " +
                                  field_text(store, "audit") + " audit entries");
  env.out << render_key_values(items);
  return ExitCode::Ok;
}

}  // namespace

void add_status_command(CLI::App& app, Invocation& invocation) {
  auto* cmd = app.add_subcommand("status", "daemon, dataplane link, live config and store summary");
  set_examples(*cmd, {"weirctl status", "weirctl status --json | jq .dataplane.connected"});
  cmd->callback([&invocation] { invocation.action = run_status; });
}

}  // namespace weir::cli
