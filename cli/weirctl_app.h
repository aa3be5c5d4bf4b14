#pragma once
// The weirctl command tree: global options, the CLI11 app with every command
// group registered, and the run loop that maps every outcome to an exit code.
// Parsing only records what to do (Invocation::action); main runs it, so
// tests can parse command lines without a weir-control.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/admin_client.h"
#include "cli/cli_exit_code.h"

namespace weir::cli {

struct GlobalOptions {
  std::string socket_path = kDefaultAdminSocket;
  bool json = false;
  // Remote weir-control (admin API over https): all three from flags or
  // WEIR_SERVER / WEIR_TOKEN / WEIR_CACERT.
  std::string server;
  std::string token;
  std::string cacert;
};

/// What a command needs at run time.
struct CommandEnv {
  AdminClient& client;
  const GlobalOptions& globals;
  std::ostream& out;
  std::ostream& err;  ///< notes that must not mix with data on out
  const CLI::App& root;  ///< the whole tree (completion walks it)
};

using CommandAction = std::function<ExitCode(CommandEnv&)>;

struct Invocation {
  GlobalOptions globals;
  CommandAction action;  ///< set by the parsed subcommand's callback
};

/// Builds the full command tree; callbacks write into invocation, which
/// must outlive the app.
std::unique_ptr<CLI::App> make_app(Invocation& invocation);

/// Parses args (args[0] is the program name) and runs the command.
/// Never throws: errors are printed to err as "weirctl: <message>".
int run_weirctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// Sets the help footer of a command: a line of "Examples:" and the examples
/// given, each indented. Every command has one (a unit test walks the tree).
void set_examples(CLI::App& command, const std::vector<std::string>& examples);

}  // namespace weir::cli
