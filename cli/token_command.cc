// weirctl token create|list|revoke: bearer tokens of the remote admin API.
// The token is printed once, at creation; weir-control keeps only a salted
// hash of it.

#include <memory>
#include <ostream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

struct TokenOptions {
  std::string name;
  std::string scope = "read";
};

ExitCode run_create(CommandEnv& env, const TokenOptions& opts) {
  if (opts.scope != "read" && opts.scope != "admin")
    throw CliError(ExitCode::Usage, "--scope must be read or admin");
  const auto answer = env.client.post_ok("/v1/tokens", {{"name", opts.name}, {"scope", opts.scope}});
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto& t = answer.value("token", nlohmann::json::object());
  env.out << field_text(t, "token") << "\n";
  env.err << "token '" << field_text(t, "name") << "' (scope " << field_text(t, "scope")
          << ") created; it is shown only now: store it safely\n";
  return ExitCode::Ok;
}

ExitCode run_list(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/tokens");
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table table({"NAME", "SCOPE", "CREATED (UTC)", "BY", "LAST USED", "REVOKED"});
  for (const auto& t : answer.value("tokens", nlohmann::json::array())) {
    table.add_row({field_text(t, "name"), field_text(t, "scope"), field_time(t, "created_at"),
                   field_text(t, "created_by"), field_time(t, "last_used_at"), field_time(t, "revoked_at")});
  }
  env.out << table.render();
  return ExitCode::Ok;
}

ExitCode run_revoke(CommandEnv& env, const std::string& name) {
  const auto answer = env.client.del_ok("/v1/tokens/" + url_encode(name));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  env.out << "revoked token '" << name << "'\n";
  return ExitCode::Ok;
}

}  // namespace

void add_token_commands(CLI::App& app, Invocation& invocation) {
  auto* group = app.add_subcommand("token", "bearer tokens for the remote (https) admin API");
  group->require_subcommand(1);
  set_examples(*group, {"weirctl token create --name ci --scope read", "weirctl token list",
                        "weirctl token revoke ci"});

  auto opts = std::make_shared<TokenOptions>();
  auto* create = group->add_subcommand("create", "create a token and print it (once)");
  create->add_option("--name", opts->name, "unique name (shown in the audit log)")->required();
  create->add_option("--scope", opts->scope, "read (GET only) or admin (everything)")
      ->check(CLI::IsMember({"read", "admin"}))
      ->capture_default_str();
  set_examples(*create, {"weirctl token create --name grafana --scope read",
                         "export WEIR_TOKEN=$(weirctl token create --name ops --scope admin)"});
  create->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_create(env, *opts); };
  });

  auto* list = group->add_subcommand("list", "list tokens (never the secrets)");
  set_examples(*list, {"weirctl token list", "weirctl token list --json"});
  list->callback([&invocation] { invocation.action = run_list; });

  auto name = std::make_shared<std::string>();
  auto* revoke = group->add_subcommand("revoke", "revoke a token; it stops working at once");
  revoke->add_option("name", *name, "token name")->required();
  set_examples(*revoke, {"weirctl token revoke grafana"});
  revoke->callback([&invocation, name] {
    invocation.action = [name](CommandEnv& env) { return run_revoke(env, *name); };
  });
}

}  // namespace weir::cli
