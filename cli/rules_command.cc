// weirctl rules reload: the dataplane loads and compiles its rules folder
// again and switches the workers to it without a pause.

#include <chrono>
#include <ostream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"

namespace weir::cli {

namespace {

ExitCode run_reload(CommandEnv& env) {
  // weir-control waits up to 120 s for the dataplane's compile.
  env.client.set_read_timeout(std::chrono::seconds(130));
  const auto answer = env.client.post_ok("/v1/rules/reload", nlohmann::json::object());
  if (env.globals.json) {
    print_json(env.out, answer);
  } else {
    env.out << "rules reloaded: " << field_text(answer, "message") << "\n";
  }
  return ExitCode::Ok;
}

}  // namespace

void add_rules_commands(CLI::App& app, Invocation& invocation) {
  auto* rules = app.add_subcommand("rules", "detection rules of the running dataplane");
  rules->require_subcommand(1);
  set_examples(*rules, {"weirctl rules reload", "weirctl rules except --from-alert 42 --dry-run --corpus benign.jsonl"});
  auto* reload = rules->add_subcommand(
      "reload", "load and compile the rules folder again; workers switch between bursts, nothing is dropped");
  set_examples(*reload, {"weirctl rules reload", "weirctl --json rules reload"});
  reload->callback([&invocation] { invocation.action = run_reload; });
  add_rules_except_command(*rules, invocation);
}

}  // namespace weir::cli
