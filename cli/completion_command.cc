// weirctl completion bash: prints the shell completion script.

#include <ostream>

#include "cli/bash_completion.h"
#include "cli/cli_commands.h"

namespace weir::cli {

void add_completion_command(CLI::App& app, Invocation& invocation) {
  auto* completion = app.add_subcommand("completion", "print a shell completion script");
  completion->require_subcommand(1);
  set_examples(*completion, {"source <(weirctl completion bash)",
                             "weirctl completion bash > /etc/bash_completion.d/weirctl"});
  auto* bash = completion->add_subcommand("bash", "completion script for bash");
  set_examples(*bash, {"source <(weirctl completion bash)"});
  bash->callback([&invocation] {
    invocation.action = [](CommandEnv& env) {
      env.out << bash_completion_script(env.root, "weirctl");
      return ExitCode::Ok;
    };
  });
}

}  // namespace weir::cli
