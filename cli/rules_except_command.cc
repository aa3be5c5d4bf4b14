// weirctl rules except --from-alert ID: propose the narrowest exception
// that lets the alert's request through, dry-run it over a corpus with the
// offline inspector, and with --apply have weir-control write it to the
// rules folder's exceptions.yaml and reload the dataplane's rules.

#include <chrono>
#include <iterator>
#include <memory>
#include <ostream>

#include "cli/alert_exception.h"
#include "cli/cli_commands.h"
#include "cli/corpus_reader.h"
#include "cli/exception_dry_run.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

// Multi-line output with each line escaped like a table cell (alert text,
// paths and field names come from traffic).
std::string sanitize_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += sanitize_cell(std::string_view(text).substr(start, nl - start)) + "\n";
    start = nl + 1;
  }
  return out;
}

struct ExceptOptions {
  int64_t alert_id = 0;
  std::vector<std::string> scope;
  std::string id;
  bool dry_run = false;
  std::vector<std::string> corpus;
  InspectPolicyOptions policy;
  int paranoia = 0;
  bool apply = false;
  bool force = false;
};

ExitCode run_except(CommandEnv& env, const ExceptOptions& opts) {
  // Everything the operator typed is checked before weir-control is asked.
  const ExceptionScope scope = parse_exception_scope(opts.scope);
  if (opts.dry_run && opts.corpus.empty()) throw CliError(ExitCode::Usage, "rules except: --dry-run needs --corpus FILE");
  if (!opts.id.empty() && opts.id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") != std::string::npos)
    throw CliError(ExitCode::Usage, "invalid --id '" + opts.id + "': letters, digits and . _ : - only");
  std::vector<CorpusRequest> corpus;
  try {
    for (const auto& file : opts.corpus) {
      auto part = read_corpus_file(file);
      corpus.insert(corpus.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
  } catch (const CorpusError& e) {
    throw CliError(ExitCode::Usage, e.what());
  }

  const auto answer = env.client.get_ok("/v1/alerts/" + std::to_string(opts.alert_id));
  if (!answer.contains("alert") || !answer["alert"].is_object())
    throw CliError(ExitCode::Failed, "weir-control answered without an alert object");
  const AlertFacts facts = parse_alert_facts(answer["alert"]);
  const ExceptionProposal proposal = propose_exception(facts, scope, opts.id);

  nlohmann::json out = {{"alert", answer["alert"]}, {"exception", exception_json(proposal.exception)},
                        {"notes", proposal.notes}};
  if (!env.globals.json) {
    env.out << "alert " << facts.alert_id << ": " << sanitize_cell(facts.text) << "\n"
            << "proposed exception (" << (opts.apply ? "to apply" : "not applied") << "):\n"
            << "exceptions:\n" << sanitize_lines(exception_yaml(proposal.exception));
    for (const auto& n : proposal.notes) env.out << "note: " << sanitize_cell(n) << "\n";
    if (!facts.blocked) env.out << "note: the alert only reported its request (monitor mode or an alert rule)\n";
  }

  ExitCode rc = ExitCode::Ok;
  if (opts.dry_run) {
    InspectPolicyOptions p = opts.policy;
    if (opts.paranoia != 0) p.paranoia = static_cast<uint8_t>(opts.paranoia);
    const DryRunReport report = dry_run_exception(p, proposal.exception, corpus);
    out["dry_run"] = dry_run_json(report);
    if (!env.globals.json) env.out << sanitize_lines(render_dry_run(report));
    if (report.let_through_attack > 0 && opts.apply && !opts.force) {
      if (env.globals.json) print_json(env.out, out);
      throw CliError(ExitCode::Failed, "not applied: the exception would unblock " +
                                           std::to_string(report.let_through_attack) +
                                           " attack(s) of the corpus (narrow --scope, or --force)");
    }
  }

  if (opts.apply) {
    // weir-control waits up to 120 s for the dataplane's compile.
    env.client.set_read_timeout(std::chrono::seconds(130));
    const auto applied = env.client.post_ok("/v1/rules/exceptions", {{"exception", exception_json(proposal.exception)}});
    out["applied"] = applied;
    if (!env.globals.json)
      env.out << "exception " << proposal.exception.id << " written to " << field_text(applied, "file")
              << "; rules reloaded: " << field_text(applied, "message") << "\n";
  }
  if (env.globals.json) print_json(env.out, out);
  return rc;
}

}  // namespace

void add_rules_except_command(CLI::App& rules, Invocation& invocation) {
  auto opts = std::make_shared<ExceptOptions>();
  auto* cmd = rules.add_subcommand(
      "except",
      "propose the narrowest false-positive exception for an alert (rule ids, endpoint, zone, field),\n"
      "dry-run it over a corpus, and with --apply write it to the rules folder and reload");
  set_examples(*cmd, {"weirctl rules except --from-alert 42",
                      "weirctl rules except --from-alert 42 --dry-run --corpus benign.jsonl --corpus attacks.jsonl",
                      "weirctl rules except --from-alert 42 --scope rule,zone,name --dry-run --corpus c.jsonl --apply"});
  cmd->add_option("--from-alert", opts->alert_id, "alert id (as `weirctl alerts list` shows it)")
      ->required()
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  cmd->add_option("--scope", opts->scope,
                  "what the exception is narrowed to: endpoint, zone, name, rule (comma separated; default all;\n"
                  "without rule it silences the alert's attack class)")
      ->type_name("LIST");
  cmd->add_option("--id", opts->id, "exception id (default alert-ID)");
  cmd->add_flag("--dry-run", opts->dry_run, "run the corpus with and without the exception and report the difference");
  cmd->add_option("--corpus", opts->corpus, "JSON Lines corpus for --dry-run; repeat for several files")
      ->type_name("FILE");
  cmd->add_option("--rules", opts->policy.rules, "rules folder or file for --dry-run (default: rules.dir of the configuration)")
      ->type_name("PATH");
  cmd->add_option("--config", opts->policy.config_file, "take rules.dir for --dry-run from this configuration file")
      ->type_name("FILE");
  cmd->add_option("--paranoia", opts->paranoia, "paranoia level for --dry-run instead of the ruleset's")
      ->check(CLI::Range(1, 4));
  cmd->add_flag("--apply", opts->apply, "write the exception to the rules folder (via weir-control) and reload the rules");
  cmd->add_flag("--force", opts->force, "apply even when the dry run shows attacks it would unblock");
  cmd->callback([&invocation, opts] { invocation.action = [opts](CommandEnv& env) { return run_except(env, *opts); }; });
}

}  // namespace weir::cli
