// weirctl export status: the alert exporters and their delivery counters.

#include <ostream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

ExitCode run_export_status(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/export");
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table table({"EXPORTER", "TYPE", "TARGET", "SENT", "FAILED", "RETRIED", "SPOOLED", "DROPPED", "FILTERED",
               "SPOOL", "LAST ERROR"});
  for (size_t c = 3; c <= 9; ++c) table.set_align(c, Align::Right);
  for (const auto& e : answer.value("exporters", nlohmann::json::array())) {
    table.add_row({field_text(e, "name"), field_text(e, "type"), field_text(e, "target"), field_text(e, "sent"),
                   field_text(e, "failed"), field_text(e, "retried"), field_text(e, "spooled"),
                   field_text(e, "dropped"), field_text(e, "filtered"), field_text(e, "spool_records"),
                   truncate_display(sanitize_cell(e.value("last_error", std::string())), 60)});
  }
  if (table.row_count() == 0) {
    env.out << "no exporters configured (config section export)\n";
  } else {
    env.out << table.render();
  }
  const std::string error = answer.value("error", std::string());
  if (!error.empty()) env.err << "weirctl: exporters not (all) running: " << sanitize_cell(error) << "\n";
  return ExitCode::Ok;
}

}  // namespace

void add_export_command(CLI::App& app, Invocation& invocation) {
  auto* group = app.add_subcommand("export", "alert exporters (syslog, webhooks, JSON lines)");
  group->require_subcommand(1);
  set_examples(*group, {"weirctl export status"});
  auto* status = group->add_subcommand("status", "delivery counters and spool of every exporter");
  set_examples(*status, {"weirctl export status", "weirctl export status --json | jq '.exporters[].spool_records'"});
  status->callback([&invocation] { invocation.action = run_export_status; });
}

}  // namespace weir::cli
