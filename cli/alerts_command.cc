// weirctl alerts list|show|tail: the alerts stored by weir-control; tail -f
// follows new ones through the API's long-poll.

#include <algorithm>
#include <memory>
#include <ostream>
#include <thread>

#include "cli/cli_commands.h"
#include "cli/ttl_duration.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"
#include "cli/api_time.h"

namespace weir::cli {

namespace {

const std::vector<std::string> kSeverities = {"info", "low", "medium", "high", "critical"};
constexpr size_t kTextColumns = 60;
constexpr int kLongPollMs = 30000;
constexpr std::chrono::seconds kReconnectDelay{1};

struct AlertsOptions {
  std::string since;
  int limit = 100;
  std::string severity;
  uint64_t id = 0;
  bool follow = false;
  int tail_lines = 10;
};

std::string flow_text(const nlohmann::json& alert) {
  if (!alert.contains("flow") || !alert["flow"].is_object()) return "-";
  const auto& flow = alert["flow"];
  auto endpoint = [&](const char* addr_key, const char* port_key) {
    const std::string addr = field_text(flow, addr_key);
    const std::string port = field_text(flow, port_key);
    return addr.find(':') != std::string::npos ? "[" + addr + "]:" + port : addr + ":" + port;
  };
  return field_text(flow, "proto") + " " + endpoint("client", "client_port") + " -> " +
         endpoint("server", "server_port");
}

// One alert as one line, for the tail stream.
std::string alert_line(const nlohmann::json& alert) {
  std::string line = field_time(alert, "ts") + "  #" + field_text(alert, "id") + "  " +
                     field_text(alert, "severity") + "  " + field_text(alert, "kind");
  const std::string cls = field_text(alert, "class");
  if (!cls.empty() && cls != "-") line += " " + cls;
  if (alert.contains("rule_id")) line += "  rule " + field_text(alert, "rule_id");
  line += "  " + flow_text(alert);
  const std::string text = field_text(alert, "text");
  if (!text.empty() && text != "-") line += "  " + text;
  return sanitize_cell(line);
}

// Cut-off for --since: a duration back from now ("10m") or a timestamp.
int64_t since_cutoff_ms(const std::string& since) {
  if (const auto seconds = parse_duration_seconds(since)) {
    return now_epoch_ms() - static_cast<int64_t>(*seconds) * 1000;
  }
  if (const auto ms = parse_rfc3339_ms(since)) return *ms;
  throw CliError(ExitCode::Usage, "invalid --since '" + since +
                                      "': expected a duration (90s, 10m, 2h, 1d) or a UTC "
                                      "time (2026-12-04T16:00:00Z)");
}

void check_limit(int limit, const char* option) {
  if (limit < 1 || limit > 1000) {
    throw CliError(ExitCode::Usage, std::string(option) + " must be between 1 and 1000");
  }
}

std::optional<int64_t> time_ms(const nlohmann::json& alert, const char* key) {
  if (!alert.contains(key) || !alert[key].is_string()) return std::nullopt;
  return parse_rfc3339_ms(alert[key].get<std::string>());
}

// Newest first. --since is about event time ("ts"), but ids follow arrival:
// a spooled event replayed after a reconnect has an old ts and a new id. So
// alerts are filtered by ts, and paging back stops at the first alert that
// *arrived* before the cut-off (events happen before they arrive, so every
// older id is older by ts too).
nlohmann::json fetch_alert_list(CommandEnv& env, const AlertsOptions& opts) {
  QueryParams query = {{"limit", std::to_string(opts.limit)}, {"min_severity", opts.severity}};
  if (opts.since.empty()) return env.client.get_ok(with_query("/v1/alerts", query));
  const int64_t cutoff = since_cutoff_ms(opts.since);
  constexpr size_t kPage = 1000;
  query["limit"] = std::to_string(kPage);
  nlohmann::json kept = nlohmann::json::array();
  uint64_t last_id = 0;
  for (;;) {
    const auto page = env.client.get_ok(with_query("/v1/alerts", query));
    const auto alerts = page.value("alerts", nlohmann::json::array());
    for (const auto& alert : alerts) {
      const auto received = time_ms(alert, "received_at");
      if (received && *received < cutoff) return {{"alerts", kept}, {"last_id", last_id}};
      const auto ts = time_ms(alert, "ts");
      if (ts && *ts < cutoff) continue;
      last_id = std::max(last_id, alert.value("id", uint64_t{0}));
      kept.push_back(alert);
      if (kept.size() >= static_cast<size_t>(opts.limit)) {
        return {{"alerts", kept}, {"last_id", last_id}};
      }
    }
    if (alerts.size() < kPage) break;
    query["before_id"] = std::to_string(alerts.back().value("id", uint64_t{0}));
  }
  return {{"alerts", kept}, {"last_id", last_id}};
}

ExitCode run_alerts_list(CommandEnv& env, const AlertsOptions& opts) {
  check_limit(opts.limit, "--limit");
  const auto answer = fetch_alert_list(env, opts);
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table table({"ID", "TIME (UTC)", "SEVERITY", "KIND", "CLASS", "RULE", "FLOW", "TEXT"});
  table.set_align(0, Align::Right);
  table.set_align(5, Align::Right);
  for (const auto& alert : answer.value("alerts", nlohmann::json::array())) {
    table.add_row({field_text(alert, "id"), field_time(alert, "ts"), field_text(alert, "severity"),
                   field_text(alert, "kind"), field_text(alert, "class"),
                   field_text(alert, "rule_id"), flow_text(alert),
                   truncate_display(sanitize_cell(field_text(alert, "text")), kTextColumns)});
  }
  env.out << table.render();
  return ExitCode::Ok;
}

ExitCode run_alerts_show(CommandEnv& env, const AlertsOptions& opts) {
  const auto answer = env.client.get_ok("/v1/alerts/" + std::to_string(opts.id));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto alert = answer.value("alert", nlohmann::json::object());
  std::vector<std::pair<std::string, std::string>> items;
  for (const char* key : {"id", "event_id", "kind", "severity", "class", "rule_id", "zone",
                          "worker"}) {
    if (alert.contains(key)) items.emplace_back(key, field_text(alert, key));
  }
  items.emplace_back("time", field_time(alert, "ts") + " UTC");
  items.emplace_back("received", field_time(alert, "received_at") + " UTC");
  items.emplace_back("flow", flow_text(alert));
  items.emplace_back("text", field_text(alert, "text"));
  // Fields a later dataplane adds still show up, after the known ones.
  for (const auto& [key, value] : alert.items()) {
    static const std::vector<std::string> kShown = {"id", "event_id", "kind", "severity", "class",
                                                    "rule_id", "zone", "worker", "ts",
                                                    "received_at", "flow", "text"};
    if (std::find(kShown.begin(), kShown.end(), key) == kShown.end()) {
      items.emplace_back(key, cell_text(value));
    }
  }
  env.out << render_key_values(items);
  return ExitCode::Ok;
}

void print_alert(CommandEnv& env, const nlohmann::json& alert) {
  if (env.globals.json) {
    print_json(env.out, alert, /*compact=*/true);
  } else {
    env.out << alert_line(alert) << '\n' << std::flush;
  }
}

ExitCode run_alerts_tail(CommandEnv& env, const AlertsOptions& opts) {
  if (opts.tail_lines < 0 || opts.tail_lines > 1000) {
    throw CliError(ExitCode::Usage, "--lines must be between 0 and 1000");
  }
  // With -n 0 nothing is printed, but the newest id still says where to start.
  const auto recent = env.client.get_ok(
      with_query("/v1/alerts", {{"limit", std::to_string(std::max(opts.tail_lines, 1))},
                                {"min_severity", opts.tail_lines > 0 ? opts.severity : ""}}));
  auto alerts = recent.value("alerts", nlohmann::json::array());
  std::reverse(alerts.begin(), alerts.end());  // newest first -> oldest first
  if (opts.tail_lines > 0) {
    for (const auto& alert : alerts) print_alert(env, alert);
  }
  if (!opts.follow) return ExitCode::Ok;
  uint64_t last_id = recent.value("last_id", uint64_t{0});
  // The server holds each request up to kLongPollMs; the read timeout must
  // be longer or every quiet period would look like a dead daemon.
  env.client.set_read_timeout(std::chrono::seconds(kLongPollMs / 1000 + 15));
  // A restart of weir-control (upgrade, crash, kill -9) must not end a
  // follow: ids are store ids, so after reconnecting we resume at last_id.
  bool waiting = false;
  for (;;) {
    ApiResponse response;
    try {
      response = env.client.get(
          with_query("/v1/alerts", {{"after_id", std::to_string(last_id)},
                                    {"wait_ms", std::to_string(kLongPollMs)},
                                    {"limit", "1000"},
                                    {"min_severity", opts.severity}}));
    } catch (const CliError& e) {
      if (e.code() != ExitCode::Unreachable) throw;
      if (!waiting) env.err << "weirctl: " << e.what() << "; retrying every second\n" << std::flush;
      waiting = true;
      std::this_thread::sleep_for(kReconnectDelay);
      continue;
    }
    if (waiting) env.err << "weirctl: reconnected to " << env.client.socket_path() << "\n" << std::flush;
    waiting = false;
    const auto answer = expect_ok(response);
    for (const auto& alert : answer.value("alerts", nlohmann::json::array())) {
      print_alert(env, alert);
    }
    last_id = std::max(last_id, answer.value("last_id", last_id));
  }
}

}  // namespace

void add_alerts_commands(CLI::App& app, Invocation& invocation) {
  auto opts = std::make_shared<AlertsOptions>();
  auto* alerts = app.add_subcommand("alerts", "alerts stored by weir-control");
  alerts->require_subcommand(1);
  set_examples(*alerts, {"weirctl alerts list --since 1h --severity high",
                         "weirctl alerts show 1043", "weirctl alerts tail -f"});

  auto* list = alerts->add_subcommand("list", "newest alerts first");
  list->add_option("--since", opts->since,
                   "only alerts newer than a duration ago (90s, 10m, 2h, 1d) or a UTC time")
      ->type_name("WHEN");
  list->add_option("-n,--limit", opts->limit, "at most N alerts (1-1000)")->capture_default_str();
  list->add_option("--severity", opts->severity, "minimum severity")
      ->check(CLI::IsMember(kSeverities));
  set_examples(*list, {"weirctl alerts list", "weirctl alerts list --since 10m --limit 20",
                       "weirctl alerts list --severity high --json | jq '.alerts[].id'"});
  list->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_alerts_list(env, *opts); };
  });

  auto* show = alerts->add_subcommand("show", "one alert with all its fields");
  show->add_option("ID", opts->id, "alert id (from alerts list)")->required();
  set_examples(*show, {"weirctl alerts show 1043", "weirctl alerts show 1043 --json"});
  show->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_alerts_show(env, *opts); };
  });

  auto* tail = alerts->add_subcommand("tail", "the last alerts, oldest first; -f follows new ones");
  tail->add_flag("-f,--follow", opts->follow, "keep printing new alerts as they are stored (Ctrl-C to stop)");
  tail->add_option("-n,--lines", opts->tail_lines, "how many recent alerts to print first (0-1000)")
      ->capture_default_str();
  tail->add_option("--severity", opts->severity, "minimum severity")
      ->check(CLI::IsMember(kSeverities));
  set_examples(*tail, {"weirctl alerts tail", "weirctl alerts tail -f",
                       "weirctl alerts tail -f --severity high --json | jq .text"});
  tail->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_alerts_tail(env, *opts); };
  });
}

}  // namespace weir::cli
