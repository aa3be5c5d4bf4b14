// weirctl stats: the dataplane's counters, once or redrawn top-like with
// per-second rates (--watch) until Ctrl-C.

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <ostream>
#include <thread>

#include "cli/cli_commands.h"
#include "cli/counter_rates.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

struct StatsOptions {
  double watch_seconds = 1.0;
  const CLI::Option* watch = nullptr;
  bool per_worker = false;
  std::string filter;
};

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) { g_interrupted = 1; }

bool wanted(const std::string& name, const std::string& filter) {
  return filter.empty() || name.find(filter) != std::string::npos;
}

std::string snapshot_header(const nlohmann::json& stats) {
  std::string header = "counters at " + field_time(stats, "at");
  if (stats.contains("age_ms")) header += " (age " + field_text(stats, "age_ms") + " ms)";
  if (!stats.value("connected", true)) header += ", dataplane NOT connected (last snapshot)";
  return header + "\n";
}

std::string render_counters(const nlohmann::json& stats, const StatsOptions& opts) {
  const CounterSnapshot totals = snapshot_from_json(stats);
  std::vector<std::string> headers = {"COUNTER", "TOTAL"};
  std::vector<CounterSnapshot> workers;
  if (opts.per_worker && stats.contains("workers") && stats["workers"].is_array()) {
    for (const auto& w : stats["workers"]) {
      nlohmann::json one = {{"at", stats["at"]}, {"counters", w.value("counters", nlohmann::json::object())}};
      workers.push_back(snapshot_from_json(one, "counters"));
      headers.push_back("W" + field_text(w, "worker"));
    }
  }
  Table table(headers);
  for (size_t c = 1; c < headers.size(); ++c) table.set_align(c, Align::Right);
  for (const auto& [name, value] : totals.counters) {
    if (!wanted(name, opts.filter)) continue;
    std::vector<std::string> row = {name, std::to_string(value)};
    for (const auto& w : workers) {
      const auto it = w.counters.find(name);
      row.push_back(it == w.counters.end() ? "-" : std::to_string(it->second));
    }
    table.add_row(std::move(row));
  }
  return table.render();
}

ExitCode run_stats_once(CommandEnv& env, const StatsOptions& opts) {
  const auto stats = env.client.get_ok("/v1/stats");
  if (env.globals.json) {
    print_json(env.out, stats);
    return ExitCode::Ok;
  }
  env.out << snapshot_header(stats) << render_counters(stats, opts);
  return ExitCode::Ok;
}

ExitCode run_stats_watch(CommandEnv& env, const StatsOptions& opts) {
  if (!(opts.watch_seconds >= 0.1 && opts.watch_seconds <= 3600)) {
    throw CliError(ExitCode::Usage, "--watch interval must be between 0.1 and 3600 seconds");
  }
  const bool tty = ::isatty(STDOUT_FILENO) == 1 && !env.globals.json;
  g_interrupted = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  CounterRateTracker tracker;
  const auto interval = std::chrono::milliseconds(static_cast<int64_t>(opts.watch_seconds * 1000));
  while (!g_interrupted) {
    ApiResponse response;
    try {
      response = env.client.get("/v1/stats");
    } catch (const CliError& e) {
      // Keep watching through a weir-control restart; the screen says why
      // it is not moving.
      if (e.code() != ExitCode::Unreachable) throw;
      response.status = 0;
      response.body = e.what();
    }
    if (env.globals.json) {
      const std::string error = response.status == 0 ? response.body : api_error_message(response);
      print_json(env.out, response.ok() ? response.json : nlohmann::json{{"error", error}}, true);
    } else {
      std::string screen = tty ? "\033[H\033[2J" : "";
      screen += "weirctl stats, every " + format_rate(opts.watch_seconds) + "s, Ctrl-C to quit\n";
      if (!response.ok()) {
        screen += "waiting: " +
                  (response.status == 0 ? response.body : api_error_message(response)) + "\n";
      } else {
        screen += snapshot_header(response.json);
        Table table({"COUNTER", "VALUE", "RATE/S"});
        table.set_align(1, Align::Right);
        table.set_align(2, Align::Right);
        for (const auto& row : tracker.update(snapshot_from_json(response.json))) {
          if (!wanted(row.name, opts.filter)) continue;
          table.add_row({row.name, std::to_string(row.value),
                         row.rate_per_s ? format_rate(*row.rate_per_s) : "-"});
        }
        screen += table.render();
      }
      if (!tty) screen += "\n";
      env.out << screen << std::flush;
    }
    const auto until = std::chrono::steady_clock::now() + interval;
    while (!g_interrupted && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return ExitCode::Ok;
}

}  // namespace

void add_stats_command(CLI::App& app, Invocation& invocation) {
  auto opts = std::make_shared<StatsOptions>();
  auto* cmd = app.add_subcommand("stats", "dataplane counters (totals; per worker with --workers)");
  opts->watch = cmd->add_option("-w,--watch", opts->watch_seconds,
                                "redraw every SECONDS (default 1) with rates per second, "
                                "until Ctrl-C")
                    ->expected(0, 1)
                    ->default_str("1")
                    ->type_name("SECONDS");
  cmd->add_flag("--workers", opts->per_worker, "one column per worker (one-shot view)");
  cmd->add_option("--filter", opts->filter, "only counters whose name contains TEXT")
      ->type_name("TEXT");
  set_examples(*cmd, {"weirctl stats", "weirctl stats --workers --filter drop",
                      "weirctl stats --watch", "weirctl stats --watch 5 --filter port.",
                      "weirctl stats --json | jq '.totals[\"rx_packets\"]'"});
  cmd->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) {
      return opts->watch->count() > 0 ? run_stats_watch(env, *opts) : run_stats_once(env, *opts);
    };
  });
}

}  // namespace weir::cli
