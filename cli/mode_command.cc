// weirctl mode [monitor|block]: show or set whether verdicts are enforced.

#include <ostream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"

namespace weir::cli {

namespace {

ExitCode run_show_mode(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/mode");
  if (env.globals.json) {
    print_json(env.out, answer);
  } else {
    env.out << field_text(answer, "mode") << "\n";
  }
  return ExitCode::Ok;
}

ExitCode run_set_mode(CommandEnv& env, const std::string& mode) {
  const auto answer = env.client.put_ok("/v1/mode", {{"mode", mode}});
  if (env.globals.json) {
    print_json(env.out, answer);
  } else {
    env.out << "mode " << field_text(answer, "mode") << " (was " << field_text(answer, "previous")
            << ")\n";
  }
  return ExitCode::Ok;
}

}  // namespace

void add_mode_command(CLI::App& app, Invocation& invocation) {
  auto* mode = app.add_subcommand("mode", "show the mode, or set it: monitor (alert only) or block");
  set_examples(*mode, {"weirctl mode", "weirctl mode block", "weirctl mode monitor"});
  // A parent's callback runs after its subcommand's: only show when no
  // subcommand was given, or it would overwrite the chosen action.
  mode->callback([&invocation, mode] {
    if (mode->get_subcommands().empty()) invocation.action = run_show_mode;
  });
  for (const char* name : {"monitor", "block"}) {
    const std::string value = name;
    auto* cmd = mode->add_subcommand(
        name, value == "monitor" ? "alert only; verdicts are logged, traffic is not touched"
                                 : "enforce verdicts: drop, reset and block");
    set_examples(*cmd, {"weirctl mode " + value});
    cmd->callback([&invocation, value] {
      invocation.action = [value](CommandEnv& env) { return run_set_mode(env, value); };
    });
  }
}

}  // namespace weir::cli
