// weirctl ports: per-port counters joined with the configured port pairs.

#include <algorithm>
#include <ostream>
#include <set>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

// Metrics an operator looks for first; any other metric the dataplane
// reports follows in name order.
constexpr const char* kPreferredMetrics[] = {"link_up",    "rx_packets", "tx_packets",
                                             "rx_bytes",   "tx_bytes",   "rx_missed",
                                             "rx_errors",  "tx_errors"};

std::vector<std::string> metric_columns(const nlohmann::json& ports) {
  std::set<std::string> seen;
  for (const auto& port : ports) {
    if (port.contains("counters") && port["counters"].is_object()) {
      for (const auto& item : port["counters"].items()) seen.insert(item.key());
    }
  }
  std::vector<std::string> columns;
  for (const char* name : kPreferredMetrics) {
    if (seen.erase(name) > 0) columns.emplace_back(name);
  }
  columns.insert(columns.end(), seen.begin(), seen.end());
  return columns;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

ExitCode run_ports(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/ports");
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto ports = answer.value("ports", nlohmann::json::array());
  const auto metrics = metric_columns(ports);
  std::vector<std::string> headers = {"PORT", "PAIR", "SIDE"};
  for (const auto& m : metrics) headers.push_back(m == "link_up" ? "LINK" : upper(m));
  Table table(headers);
  for (size_t c = 3; c < headers.size(); ++c) table.set_align(c, Align::Right);
  for (const auto& port : ports) {
    std::vector<std::string> row = {field_text(port, "name"), field_text(port, "pair"),
                                     field_text(port, "side")};
    const auto counters = port.value("counters", nlohmann::json::object());
    for (const auto& m : metrics) {
      if (m == "link_up" && counters.contains(m)) {
        row.push_back(counters[m] == 1 ? "up" : "down");
      } else {
        row.push_back(field_text(counters, m));
      }
    }
    table.add_row(std::move(row));
  }
  if (answer.contains("at") && answer["at"].is_string()) {
    env.out << "counters at " << field_time(answer, "at")
            << (answer.value("connected", true) ? "" : ", dataplane NOT connected") << "\n";
  } else {
    env.out << "no counters from the dataplane yet\n";
  }
  env.out << table.render();
  return ExitCode::Ok;
}

}  // namespace

void add_ports_command(CLI::App& app, Invocation& invocation) {
  auto* cmd = app.add_subcommand("ports", "ports of the configured pairs with their counters");
  set_examples(*cmd, {"weirctl ports", "weirctl ports --json | jq '.ports[] | select(.counters.link_up == 0)'"});
  cmd->callback([&invocation] { invocation.action = run_ports; });
}

}  // namespace weir::cli
