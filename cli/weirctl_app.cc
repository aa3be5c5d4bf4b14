#include "cli/weirctl_app.h"

#include <algorithm>
#include <iostream>

#include "cli/cli_commands.h"

namespace weir::cli {

void set_examples(CLI::App& command, const std::vector<std::string>& examples) {
  std::string footer = "\nExamples:\n";
  for (const auto& example : examples) footer += "  " + example + "\n";
  command.footer(footer);
}

std::unique_ptr<CLI::App> make_app(Invocation& invocation) {
  auto app = std::make_unique<CLI::App>(
      "weirctl: operate a Weir appliance through weir-control's admin API.\n"
      "Exit codes: 0 ok, 1 operation failed (API error), 2 usage or invalid input,\n"
      "3 cannot reach weir-control.",
      "weirctl");
  // Global options work after subcommands too ("weirctl alerts list --json").
  app->fallthrough();
  app->require_subcommand(1);
  app->set_version_flag("--version", std::string("weirctl ") + WEIRCTL_VERSION);
  app->add_option("--socket", invocation.globals.socket_path, "admin socket of weir-control")
      ->envname("WEIR_ADMIN_SOCKET")
      ->type_name("PATH")
      ->capture_default_str();
  app->add_option("--server", invocation.globals.server,
                  "remote weir-control, https://HOST:PORT (instead of --socket)")
      ->envname("WEIR_SERVER")
      ->type_name("URL");
  app->add_option("--token", invocation.globals.token, "bearer token for --server (weirctl token create)")
      ->envname("WEIR_TOKEN")
      ->type_name("TOKEN");
  app->add_option("--cacert", invocation.globals.cacert, "CA certificate that signed the --server certificate")
      ->envname("WEIR_CACERT")
      ->type_name("FILE");
  app->add_flag("--json", invocation.globals.json,
                "print the API's JSON instead of tables (one JSON document per line when "
                "following)");
  set_examples(*app, {"weirctl status", "weirctl alerts tail -f",
                      "weirctl block ip 198.18.0.7 --ttl 10m",
                      "weirctl --socket /tmp/weir/admin.sock stats --watch",
                      "weirctl --server https://198.18.0.2:8443 --token $T --cacert ca.crt status",
                      "source <(weirctl completion bash)"});

  add_status_command(*app, invocation);
  add_stats_command(*app, invocation);
  add_ports_command(*app, invocation);
  add_flows_command(*app, invocation);
  add_alerts_commands(*app, invocation);
  add_block_commands(*app, invocation);
  add_mode_command(*app, invocation);
  add_rules_commands(*app, invocation);
  add_config_commands(*app, invocation);
  add_audit_command(*app, invocation);
  add_inspect_command(*app, invocation);
  add_token_commands(*app, invocation);
  add_export_command(*app, invocation);
  add_inventory_commands(*app, invocation);
  add_business_flows_commands(*app, invocation);
  add_completion_command(*app, invocation);
  return app;
}

int run_weirctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Invocation invocation;
  std::unique_ptr<CLI::App> app;
  try {
    app = make_app(invocation);
    // CLI11 wants the arguments reversed, without the program name.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    if (!reversed.empty()) reversed.pop_back();
    app->parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int status = app ? app->exit(e, out, err) : 1;
    return to_int(exit_code_for_parse_status(status));
  }
  if (!invocation.action) {
    err << "weirctl: no command given (see weirctl --help)\n";
    return to_int(ExitCode::Usage);
  }
  try {
    const GlobalOptions& g = invocation.globals;
    if (g.server.empty() && (!g.token.empty() || !g.cacert.empty()))
      throw CliError(ExitCode::Usage, "--token and --cacert need --server https://HOST:PORT");
    if (!g.server.empty()) check_server_url(g.server);
    AdminClient client = g.server.empty() ? AdminClient(g.socket_path)
                                          : AdminClient(RemoteServer{g.server, g.token, g.cacert});
    CommandEnv env{client, invocation.globals, out, err, *app};
    const ExitCode code = invocation.action(env);
    out.flush();
    return to_int(code);
  } catch (const CliError& e) {
    out.flush();
    err << "weirctl: " << e.what() << "\n";
    return to_int(e.code());
  } catch (const std::exception& e) {
    out.flush();
    err << "weirctl: " << e.what() << "\n";
    return to_int(ExitCode::Failed);
  }
}

}  // namespace weir::cli
