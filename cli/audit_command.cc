// weirctl audit: who changed what and when (config, blocks, mode).

#include <memory>
#include <ostream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

constexpr size_t kDetailColumns = 50;

struct AuditOptions {
  int limit = 20;
  bool diffs = false;
};

ExitCode run_audit(CommandEnv& env, const AuditOptions& opts) {
  if (opts.limit < 1 || opts.limit > 1000) {
    throw CliError(ExitCode::Usage, "--limit must be between 1 and 1000");
  }
  const auto answer =
      env.client.get_ok(with_query("/v1/audit", {{"limit", std::to_string(opts.limit)}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto entries = answer.value("entries", nlohmann::json::array());
  Table table({"ID", "TIME (UTC)", "USER", "ACTION", "TARGET", "DETAIL"});
  table.set_align(0, Align::Right);
  for (const auto& entry : entries) {
    table.add_row({field_text(entry, "id"), field_time(entry, "at"), field_text(entry, "user"),
                   field_text(entry, "action"), field_text(entry, "target"),
                   truncate_display(sanitize_cell(field_text(entry, "detail")), kDetailColumns)});
  }
  env.out << table.render();
  if (opts.diffs) {
    for (const auto& entry : entries) {
      const std::string diff = entry.value("diff", std::string());
      if (diff.empty()) continue;
      env.out << "\n# audit " << field_text(entry, "id") << ": " << field_text(entry, "action")
              << " by " << field_text(entry, "user") << " at " << field_time(entry, "at") << "\n"
              << diff;
      if (diff.back() != '\n') env.out << '\n';
    }
  }
  return ExitCode::Ok;
}

}  // namespace

void add_audit_command(CLI::App& app, Invocation& invocation) {
  auto opts = std::make_shared<AuditOptions>();
  auto* cmd = app.add_subcommand("audit", "audit log: config changes, blocks, mode changes");
  cmd->add_option("-n,--limit", opts->limit, "newest N entries (1-1000)")->capture_default_str();
  cmd->add_flag("--diffs", opts->diffs, "also print the diff of each config change");
  set_examples(*cmd, {"weirctl audit", "weirctl audit --limit 5 --diffs",
                      "weirctl audit --json | jq '.entries[] | select(.action == \"block\")'"});
  cmd->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_audit(env, *opts); };
  });
}

}  // namespace weir::cli
