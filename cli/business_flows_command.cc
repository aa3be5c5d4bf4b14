// weirctl business-flows list|show|promote|declare: sequences of endpoints
// that sessions follow (mined from traffic with support and confidence),
// named and promoted by the operator. ("weirctl flows" is the dataplane's
// connection table.)

#include <memory>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

struct FlowOptions {
  std::string id;
  std::string name;
  std::vector<std::string> steps;
  int64_t min_support = 3;
  int min_confidence = 30;
};

std::string steps_text(const nlohmann::json& flow) {
  std::string out;
  for (const auto& s : flow.value("steps", nlohmann::json::array())) out += (out.empty() ? "" : " -> ") + cell_text(s);
  return out;
}

std::string confidence_text(const nlohmann::json& flow) {
  if (!flow.contains("confidence") || !flow["confidence"].is_number()) return "-";
  return std::to_string(static_cast<int>(flow["confidence"].get<double>() * 100 + 0.5)) + "%";
}

ExitCode run_list(CommandEnv& env, const FlowOptions& o) {
  if (o.min_confidence < 0 || o.min_confidence > 100) throw CliError(ExitCode::Usage, "--min-confidence is 0..100");
  if (o.min_support < 1) throw CliError(ExitCode::Usage, "--min-support must be at least 1");
  const auto answer = env.client.get_ok(with_query(
      "/v1/business-flows",
      {{"min_support", std::to_string(o.min_support)}, {"min_confidence_pct", std::to_string(o.min_confidence)}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table t({"ID", "NAME", "SOURCE", "SUPPORT", "CONFIDENCE", "STEPS"});
  t.set_align(3, Align::Right);
  t.set_align(4, Align::Right);
  for (const auto& f : answer.value("flows", nlohmann::json::array()))
    t.add_row({field_text(f, "id"), field_text(f, "name"), field_text(f, "source"), field_text(f, "support"),
               confidence_text(f), steps_text(f)});
  env.out << t.render() << t.row_count() << " flows\n";
  return ExitCode::Ok;
}

ExitCode run_show(CommandEnv& env, const FlowOptions& o) {
  const auto answer = env.client.get_ok("/v1/business-flows/" + url_encode(o.id));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto& f = answer.at("flow");
  env.out << "flow " << field_text(f, "id") << " (" << field_text(f, "source") << ")"
          << (f["name"].is_string() ? " name " + field_text(f, "name") : std::string()) << "\n"
          << "support " << field_text(f, "support") << ", confidence " << confidence_text(f) << "\n";
  int n = 1;
  for (const auto& s : f.value("steps", nlohmann::json::array())) env.out << "  " << n++ << ". " << cell_text(s) << "\n";
  return ExitCode::Ok;
}

ExitCode run_promote(CommandEnv& env, const FlowOptions& o) {
  nlohmann::json body = {{"name", o.name}};
  if (o.steps.empty()) body["id"] = o.id;
  else body["steps"] = o.steps;
  const auto answer = env.client.post_ok("/v1/business-flows/promote", body);
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto& f = answer.at("flow");
  env.out << field_text(f, "source") << " flow " << field_text(f, "name") << " (" << field_text(f, "id")
          << "): " << steps_text(f) << "\n";
  return ExitCode::Ok;
}

}  // namespace

void add_business_flows_commands(CLI::App& app, Invocation& invocation) {
  auto* bf = app.add_subcommand("business-flows", "business flows: endpoint sequences mined from sessions, named ones");
  bf->alias("bflows");
  bf->require_subcommand(1);
  set_examples(*bf, {"weirctl business-flows list", "weirctl business-flows promote 3f2a9c01b2d4 --name checkout"});

  auto list_opts = std::make_shared<FlowOptions>();
  auto* list = bf->add_subcommand("list", "named flows and flows mined from traffic");
  list->add_option("--min-support", list_opts->min_support, "sessions that must follow each step")->capture_default_str();
  list->add_option("--min-confidence", list_opts->min_confidence, "percent of a step's sessions that go on")
      ->capture_default_str();
  set_examples(*list, {"weirctl business-flows list", "weirctl business-flows list --min-support 10 --json"});
  list->callback([&invocation, list_opts] {
    invocation.action = [list_opts](CommandEnv& env) { return run_list(env, *list_opts); };
  });

  auto show_opts = std::make_shared<FlowOptions>();
  auto* show = bf->add_subcommand("show", "one flow by id or name");
  show->add_option("flow", show_opts->id, "flow id or name")->required();
  set_examples(*show, {"weirctl business-flows show checkout"});
  show->callback([&invocation, show_opts] {
    invocation.action = [show_opts](CommandEnv& env) { return run_show(env, *show_opts); };
  });

  auto promote_opts = std::make_shared<FlowOptions>();
  auto* promote = bf->add_subcommand("promote", "name a mined flow (or declare one with --step ...)");
  promote->add_option("id", promote_opts->id, "id of a mined flow (business-flows list)");
  promote->add_option("--name", promote_opts->name, "the flow's name")->required();
  promote->add_option("--step", promote_opts->steps, "declare: endpoint key \"HOST METHOD /path\", in order (repeat)")
      ->type_name("ENDPOINT");
  set_examples(*promote, {"weirctl business-flows promote 3f2a9c01b2d4 --name checkout",
                          "weirctl business-flows promote --name reset --step \"shop POST /password/forgot\" "
                          "--step \"shop POST /password/reset\""});
  promote->callback([&invocation, promote_opts] {
    invocation.action = [promote_opts](CommandEnv& env) {
      if (promote_opts->id.empty() == promote_opts->steps.empty())
        throw CliError(ExitCode::Usage, "give a mined flow id or --step (at least two), not both");
      if (!promote_opts->steps.empty() && promote_opts->steps.size() < 2)
        throw CliError(ExitCode::Usage, "a declared flow needs at least two --step");
      return run_promote(env, *promote_opts);
    };
  });
}

}  // namespace weir::cli
