// weirctl config validate|diff|apply FILE and config show: the live
// configuration weir-control owns. Files are read here and sent as text, so
// the daemon validates exactly what the operator has in hand.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"

namespace weir::cli {

namespace {

struct ConfigOptions {
  std::string file;
  std::string comment;
};

// "-" is standard input. A missing or unreadable file is the operator's
// input being wrong (usage), not a failed operation.
std::string read_config_text(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(ExitCode::Usage, "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw CliError(ExitCode::Usage, "cannot read " + file + ": " + std::strerror(errno));
  return text.str();
}

nlohmann::json config_body(const ConfigOptions& opts) {
  return {{"yaml", read_config_text(opts.file)}, {"source", opts.file == "-" ? "<stdin>" : opts.file}};
}

ExitCode run_validate(CommandEnv& env, const ConfigOptions& opts) {
  const auto answer = env.client.post_ok("/v1/config/validate", config_body(opts));
  if (env.globals.json) {
    print_json(env.out, answer);
  } else {
    env.out << opts.file << ": valid\n";
  }
  return ExitCode::Ok;
}

ExitCode run_diff(CommandEnv& env, const ConfigOptions& opts) {
  const auto answer = env.client.post_ok("/v1/config/diff", config_body(opts));
  if (env.globals.json) {
    print_json(env.out, answer);
  } else if (answer.value("changed", false)) {
    env.out << answer.value("diff", std::string());
  } else {
    env.out << "no changes: " << opts.file << " is the live config\n";
  }
  return ExitCode::Ok;
}

ExitCode run_apply(CommandEnv& env, const ConfigOptions& opts) {
  nlohmann::json body = config_body(opts);
  if (!opts.comment.empty()) body["comment"] = opts.comment;
  const auto answer = env.client.post_ok("/v1/config/apply", body);
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  if (!answer.value("applied", false)) {
    env.out << "no changes: generation " << field_text(answer, "generation") << " stays live\n";
    return ExitCode::Ok;
  }
  env.out << answer.value("diff", std::string());
  env.out << "applied: generation " << field_text(answer, "generation")
          << (answer.value("pushed", false) ? ", pushed to the dataplane"
                                            : ", dataplane not connected (it gets it on connect)")
          << "\n";
  return ExitCode::Ok;
}

ExitCode run_show(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/config");
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  // The YAML itself goes to stdout so "config show > weir.yaml" round-trips;
  // where it came from goes to stderr.
  env.err << "# generation " << field_text(answer, "generation") << " from "
          << field_text(answer, "source");
  if (answer.contains("applied_at") && answer["applied_at"].is_string()) {
    env.err << ", applied " << field_time(answer, "applied_at") << " UTC";
  }
  env.err << "\n";
  env.out << answer.value("yaml", std::string());
  return ExitCode::Ok;
}

void add_file_command(CLI::App& config, Invocation& invocation, const char* name,
                      const char* help, ExitCode (*run)(CommandEnv&, const ConfigOptions&),
                      std::vector<std::string> examples, bool with_comment) {
  auto opts = std::make_shared<ConfigOptions>();
  auto* cmd = config.add_subcommand(name, help);
  cmd->add_option("FILE", opts->file, "YAML config file, - for standard input")
      ->required()
      ->type_name("FILE");
  if (with_comment) {
    cmd->add_option("-m,--comment", opts->comment, "why, stored in the audit log")
        ->type_name("TEXT");
  }
  set_examples(*cmd, std::move(examples));
  cmd->callback([&invocation, opts, run] {
    invocation.action = [opts, run](CommandEnv& env) { return run(env, *opts); };
  });
}

}  // namespace

void add_config_commands(CLI::App& app, Invocation& invocation) {
  auto* config = app.add_subcommand("config", "validate, compare, apply and show the live config");
  config->require_subcommand(1);
  set_examples(*config, {"weirctl config validate weir.yaml", "weirctl config diff weir.yaml",
                         "weirctl config apply weir.yaml -m 'raise flow cap'",
                         "weirctl config show > live.yaml"});
  add_file_command(*config, invocation, "validate", "check a config file without applying it",
                   run_validate, {"weirctl config validate /etc/weir/weir.yaml"}, false);
  add_file_command(*config, invocation, "diff", "unified diff from the live config to FILE",
                   run_diff, {"weirctl config diff weir.yaml", "weirctl config diff - < weir.yaml"},
                   false);
  add_file_command(*config, invocation, "apply",
                   "validate FILE and make it the live config; refused if invalid", run_apply,
                   {"weirctl config apply weir.yaml", "weirctl config apply weir.yaml -m 'new scope'"},
                   true);
  auto* show = config->add_subcommand("show", "print the live config (YAML)");
  set_examples(*show, {"weirctl config show", "weirctl config show --json | jq .generation"});
  show->callback([&invocation] { invocation.action = run_show; });
}

}  // namespace weir::cli
