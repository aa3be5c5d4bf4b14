// weirctl inventory list|show|sensitive|export openapi|diff|import|changes:
// the API inventory weir-control learned from traffic, and how it compares
// with the operator's OpenAPI specs. Spec files are read here and sent as
// text, so the daemon judges exactly the file the operator has in hand.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/cli_commands.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

struct InventoryOptions {
  std::string host;
  std::string tag;
  std::string status;
  std::string sensitive;
  std::string protocol;
  int limit = 1000;
  int64_t id = 0;
  std::string spec;
  std::string output;
  int64_t after_id = 0;
};

std::string read_file(const std::string& file) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(ExitCode::Usage, "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string joined(const nlohmann::json& array) {
  if (!array.is_array() || array.empty()) return "-";
  std::string out;
  for (const auto& v : array) out += (out.empty() ? "" : ",") + cell_text(v);
  return out;
}

std::string keys(const nlohmann::json& object) {
  if (!object.is_object() || object.empty()) return "-";
  std::string out;
  for (const auto& [k, v] : object.items()) out += (out.empty() ? "" : ",") + k;
  return out;
}

std::string route(const nlohmann::json& e) {
  std::string r = field_text(e, "path");
  if (e.contains("operation") && e["operation"].is_string() && !e["operation"].get<std::string>().empty())
    r += " #" + e["operation"].get<std::string>();
  return r;
}

ExitCode run_list(CommandEnv& env, const InventoryOptions& o) {
  if (o.limit < 1 || o.limit > 100000) throw CliError(ExitCode::Usage, "--limit must be between 1 and 100000");
  const auto answer = env.client.get_ok(with_query("/v1/inventory", {{"host", o.host},
                                                                     {"tag", o.tag},
                                                                     {"status", o.status},
                                                                     {"sensitive", o.sensitive},
                                                                     {"protocol", o.protocol},
                                                                     {"limit", std::to_string(o.limit)}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  if (o.status == "orphan") {
    Table t({"METHOD", "HOST", "PATH", "DEPRECATED"});
    for (const auto& x : answer.value("orphans", nlohmann::json::array()))
      t.add_row({field_text(x, "method"), field_text(x, "host"), field_text(x, "path"), field_text(x, "deprecated")});
    env.out << t.render() << t.row_count() << " orphan operations (in a spec, not called)\n";
    return ExitCode::Ok;
  }
  Table t({"ID", "METHOD", "HOST", "PATH", "PROTO", "CALLS", "SPEC", "AUTH", "SENSITIVE", "TAGS", "LAST SEEN"});
  t.set_align(0, Align::Right);
  t.set_align(5, Align::Right);
  for (const auto& e : answer.value("endpoints", nlohmann::json::array()))
    t.add_row({field_text(e, "id"), field_text(e, "method"), field_text(e, "host"), route(e), field_text(e, "protocol"),
               field_text(e, "calls"), field_text(e, "spec_status"), keys(e.value("auth", nlohmann::json::object())),
               joined(e.value("sensitive", nlohmann::json::array())), joined(e.value("tags", nlohmann::json::array())),
               field_time(e, "last_seen")});
  env.out << t.render() << t.row_count() << " endpoints\n";
  return ExitCode::Ok;
}

ExitCode run_show(CommandEnv& env, const InventoryOptions& o) {
  const auto answer = env.client.get_ok("/v1/inventory/endpoints/" + std::to_string(o.id));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto& e = answer.at("endpoint");
  const auto lat = e.value("latency_us", nlohmann::json::object());
  Table kv({"FIELD", "VALUE"});
  kv.add_row({"endpoint", field_text(e, "method") + " " + field_text(e, "host") + route(e)});
  kv.add_row({"protocol", field_text(e, "protocol")});
  kv.add_row({"spec", field_text(e, "spec_status")});
  kv.add_row({"calls", field_text(e, "calls")});
  kv.add_row({"first seen", field_time(e, "first_seen")});
  kv.add_row({"last seen", field_time(e, "last_seen")});
  kv.add_row({"status", cell_text(e.value("status", nlohmann::json::object()))});
  kv.add_row({"auth", cell_text(e.value("auth", nlohmann::json::object()))});
  kv.add_row({"latency us", "p50 " + field_text(lat, "p50") + "  p90 " + field_text(lat, "p90") + "  p99 " +
                                field_text(lat, "p99")});
  kv.add_row({"sensitive", joined(e.value("sensitive", nlohmann::json::array()))});
  kv.add_row({"tags", joined(e.value("tags", nlohmann::json::array()))});
  kv.add_row({"ports", joined(e.value("ports", nlohmann::json::array()))});
  env.out << kv.render() << "\n";
  Table p({"IN", "ZONE", "NAME", "TYPE", "FORMAT", "REQUIRED", "SEEN", "SENSITIVE"});
  for (const auto& x : e.value("params", nlohmann::json::array()))
    p.add_row({field_text(x, "in"), field_text(x, "zone"), field_text(x, "name"), field_text(x, "type"),
               x.value("format", "").empty() ? "-" : field_text(x, "format"), field_text(x, "required"),
               field_text(x, "seen"), joined(x.value("sensitive", nlohmann::json::array()))});
  env.out << p.render();
  return ExitCode::Ok;
}

ExitCode run_sensitive(CommandEnv& env, const InventoryOptions& o) {
  const auto answer =
      env.client.get_ok(with_query("/v1/inventory/sensitive", {{"host", o.host}, {"class", o.sensitive}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table t({"CLASS", "CATEGORY", "IN", "ENDPOINT", "CALLS", "PARAMETERS"});
  for (const auto& f : answer.value("findings", nlohmann::json::array())) {
    const auto& e = f.at("endpoint");
    t.add_row({field_text(f, "class"), field_text(f, "category"), field_text(f, "in"),
               field_text(e, "id") + " " + field_text(e, "method") + " " + field_text(e, "host") + route(e),
               field_text(f, "calls"), joined(f.value("params", nlohmann::json::array()))});
  }
  env.out << t.render() << t.row_count() << " findings\n";
  return ExitCode::Ok;
}

ExitCode run_export(CommandEnv& env, const InventoryOptions& o) {
  const auto doc = env.client.get_ok(with_query("/v1/inventory/openapi", {{"host", o.host}}));
  const std::string text = doc.dump(2) + "\n";
  if (o.output.empty() || o.output == "-") {
    env.out << text;
    return ExitCode::Ok;
  }
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  if (!out || !(out << text) || !out.flush())
    throw CliError(ExitCode::Usage, "cannot write " + o.output + ": " + std::strerror(errno));
  env.err << "wrote " << o.output << "\n";
  return ExitCode::Ok;
}

nlohmann::json spec_body(const InventoryOptions& o) {
  nlohmann::json body = {{"spec", read_file(o.spec)}};
  if (!o.host.empty()) body["host"] = o.host;
  return body;
}

ExitCode run_diff(CommandEnv& env, const InventoryOptions& o) {
  const auto answer = env.client.post_ok("/v1/inventory/diff", spec_body(o));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  auto section = [&](const char* title, const char* key) {
    const auto list = answer.value(key, nlohmann::json::array());
    env.out << title << " (" << list.size() << ")\n";
    for (const auto& x : list) {
      env.out << "  " << field_text(x, "method") << " " << field_text(x, "path");
      if (x.contains("reason")) env.out << "  [" << field_text(x, "reason") << "]";
      if (x.contains("calls")) env.out << "  calls " << field_text(x, "calls");
      env.out << "\n";
    }
  };
  env.out << "host " << field_text(answer, "host") << "\n";
  section("shadow: seen, not in the spec", "shadow");
  section("zombie: deprecated or removed, still called", "zombie");
  section("orphan: in the spec, not seen", "orphan");
  const auto drift = answer.value("drift", nlohmann::json::array());
  env.out << "drift (" << drift.size() << ")\n";
  for (const auto& d : drift) {
    const auto& e = d.at("endpoint");
    env.out << "  " << field_text(e, "method") << " " << field_text(e, "path") << "  " << field_text(d, "kind") << " "
            << field_text(d, "in") << " " << field_text(d, "name") << " (seen " << field_text(d, "seen_type")
            << (d.contains("spec_type") ? ", spec " + field_text(d, "spec_type") : std::string()) << ")\n";
  }
  env.out << answer.value("documented", nlohmann::json::array()).size() << " documented endpoints; "
          << (answer.value("changed", false) ? "differences found" : "no differences") << "\n";
  return ExitCode::Ok;
}

ExitCode run_import(CommandEnv& env, const InventoryOptions& o) {
  const auto answer = env.client.post_ok("/v1/inventory/specs", spec_body(o));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto& s = answer.at("spec");
  env.out << "imported spec " << field_text(s, "id") << " for " << field_text(s, "host") << ": "
          << field_text(s, "title") << " " << field_text(s, "version") << ", " << field_text(s, "operations")
          << " operations\n";
  return ExitCode::Ok;
}

ExitCode run_changes(CommandEnv& env, const InventoryOptions& o) {
  const auto answer = env.client.get_ok(with_query(
      "/v1/inventory/changes", {{"after_id", std::to_string(o.after_id)}, {"limit", std::to_string(std::min(o.limit, 1000))}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table t({"ID", "AT", "ENDPOINT", "KIND", "SEVERITY", "DETAIL"});
  for (const auto& c : answer.value("changes", nlohmann::json::array()))
    t.add_row({field_text(c, "id"), field_time(c, "at"), field_text(c, "endpoint_id"), field_text(c, "kind"),
               field_text(c, "severity"), field_text(c, "detail")});
  env.out << t.render();
  return ExitCode::Ok;
}

template <typename Fn>
void on_run(CLI::App* cmd, Invocation& invocation, std::shared_ptr<InventoryOptions> opts, Fn fn) {
  cmd->callback([&invocation, opts, fn] {
    invocation.action = [opts, fn](CommandEnv& env) { return fn(env, *opts); };
  });
}

}  // namespace

void add_inventory_commands(CLI::App& app, Invocation& invocation) {
  auto* inv = app.add_subcommand("inventory", "the API inventory learned from traffic, and specs");
  inv->require_subcommand(1);
  set_examples(*inv, {"weirctl inventory list --status shadow", "weirctl inventory show 12",
                      "weirctl inventory export openapi --host shop.example -o shop.json",
                      "weirctl inventory diff --spec openapi.yaml"});

  auto list_opts = std::make_shared<InventoryOptions>();
  auto* list = inv->add_subcommand("list", "endpoints (host + method + path template)");
  list->add_option("--host", list_opts->host, "only this host")->type_name("HOST");
  list->add_option("--tag", list_opts->tag, "only endpoints with this tag (auth, payment, account-change, ...)");
  list->add_option("--status", list_opts->status, "spec status: documented, shadow, zombie, orphan")
      ->check(CLI::IsMember({"documented", "shadow", "zombie", "orphan", "unknown"}));
  list->add_option("--sensitive", list_opts->sensitive, "only endpoints carrying this class (pan, email, jwt, ...)")
      ->type_name("CLASS");
  list->add_option("--protocol", list_opts->protocol, "rest, graphql, grpc, soap, websocket")
      ->check(CLI::IsMember({"rest", "graphql", "grpc", "soap", "websocket"}));
  list->add_option("-n,--limit", list_opts->limit, "at most this many endpoints")->capture_default_str();
  set_examples(*list, {"weirctl inventory list", "weirctl inventory list --host shop.example --tag payment",
                       "weirctl inventory list --status orphan", "weirctl inventory list --sensitive pan --json"});
  on_run(list, invocation, list_opts, run_list);

  auto show_opts = std::make_shared<InventoryOptions>();
  auto* show = inv->add_subcommand("show", "one endpoint: parameters, schemas, auth, sensitive data, latency");
  show->add_option("id", show_opts->id, "endpoint id (from inventory list)")->required()->check(CLI::PositiveNumber);
  set_examples(*show, {"weirctl inventory show 12", "weirctl inventory show 12 --json"});
  on_run(show, invocation, show_opts, run_show);

  auto sens_opts = std::make_shared<InventoryOptions>();
  auto* sens = inv->add_subcommand("sensitive", "where sensitive data flows: class, endpoint, request/response, parameters");
  sens->add_option("--class", sens_opts->sensitive, "only this class (pan, us_ssn, email, jwt, ...)")->type_name("CLASS");
  sens->add_option("--host", sens_opts->host, "only this host")->type_name("HOST");
  set_examples(*sens, {"weirctl inventory sensitive", "weirctl inventory sensitive --class pan"});
  on_run(sens, invocation, sens_opts, run_sensitive);

  auto export_opts = std::make_shared<InventoryOptions>();
  auto* exp = inv->add_subcommand("export", "export the learned inventory");
  exp->require_subcommand(1);
  set_examples(*exp, {"weirctl inventory export openapi --host shop.example -o shop.json"});
  auto* openapi = exp->add_subcommand("openapi", "as an OpenAPI 3.1 document (one host)");
  openapi->add_option("--host", export_opts->host, "host to export (needed when there are several)")->type_name("HOST");
  openapi->add_option("-o,--output", export_opts->output, "write to FILE instead of standard output")->type_name("FILE");
  set_examples(*openapi, {"weirctl inventory export openapi > api.json",
                          "weirctl inventory export openapi --host shop.example -o shop.json"});
  on_run(openapi, invocation, export_opts, run_export);

  auto diff_opts = std::make_shared<InventoryOptions>();
  auto* diff = inv->add_subcommand("diff", "compare the inventory with a spec: shadow, zombie, orphan, drift");
  diff->add_option("--spec", diff_opts->spec, "OpenAPI 3.0/3.1 file, YAML or JSON (- for stdin)")
      ->required()
      ->type_name("FILE");
  diff->add_option("--host", diff_opts->host, "host the spec describes (default: its servers[0].url)")->type_name("HOST");
  set_examples(*diff, {"weirctl inventory diff --spec openapi.yaml", "weirctl inventory diff --spec api.json --json"});
  on_run(diff, invocation, diff_opts, run_diff);

  auto import_opts = std::make_shared<InventoryOptions>();
  auto* imp = inv->add_subcommand("import", "import a spec as the host's newest version (classification uses it)");
  imp->add_option("--spec", import_opts->spec, "OpenAPI 3.0/3.1 file, YAML or JSON (- for stdin)")
      ->required()
      ->type_name("FILE");
  imp->add_option("--host", import_opts->host, "host the spec describes (default: its servers[0].url)")->type_name("HOST");
  set_examples(*imp, {"weirctl inventory import --spec openapi-v2.yaml --host shop.example"});
  on_run(imp, invocation, import_opts, run_import);

  auto changes_opts = std::make_shared<InventoryOptions>();
  changes_opts->limit = 100;
  auto* changes = inv->add_subcommand("changes", "change history: new endpoints, parameters, sensitive data, auth missing");
  changes->add_option("--after", changes_opts->after_id, "only changes with id > N")->type_name("N");
  changes->add_option("-n,--limit", changes_opts->limit, "at most this many (1-1000)")->capture_default_str();
  set_examples(*changes, {"weirctl inventory changes", "weirctl inventory changes --after 120 --json"});
  on_run(changes, invocation, changes_opts, run_changes);
}

}  // namespace weir::cli
