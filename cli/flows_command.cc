// weirctl flows: the top flows of the dataplane, optionally those of one
// address or range.

#include <memory>
#include <ostream>
#include <variant>

#include "cli/block_target.h"
#include "cli/cli_commands.h"
#include "cli/ttl_duration.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"

namespace weir::cli {

namespace {

struct FlowsOptions {
  std::string addr;
  int limit = 20;
  std::string sort = "bytes";
};

std::string endpoint(const nlohmann::json& flow, const char* addr_key, const char* port_key) {
  const std::string addr = field_text(flow, addr_key);
  const std::string port = field_text(flow, port_key);
  // IPv6 addresses get brackets so the port is not read as a group.
  if (addr.find(':') != std::string::npos) return "[" + addr + "]:" + port;
  return addr + ":" + port;
}

std::string ms_text(const nlohmann::json& flow, const char* key) {
  if (!flow.contains(key) || !flow[key].is_number_unsigned()) return field_text(flow, key);
  const uint64_t ms = flow[key].get<uint64_t>();
  if (ms < 1000) return std::to_string(ms) + "ms";
  return format_duration(ms / 1000);
}

ExitCode run_flows(CommandEnv& env, const FlowsOptions& opts) {
  if (opts.limit < 1 || opts.limit > 1000) {
    throw CliError(ExitCode::Usage, "--limit must be between 1 and 1000");
  }
  std::string addr;
  if (!opts.addr.empty()) {
    // An address or a range, validated here so a typo is exit 2, not an API error.
    const bool is_range = opts.addr.find('/') != std::string::npos;
    auto parsed = parse_block_target(is_range ? BlockKind::Cidr : BlockKind::Ip, opts.addr);
    if (auto* error = std::get_if<std::string>(&parsed)) throw CliError(ExitCode::Usage, *error);
    addr = std::get<BlockTarget>(parsed).canonical;
  }
  const auto answer = env.client.get_ok(with_query(
      "/v1/flows", {{"limit", std::to_string(opts.limit)}, {"addr", addr}, {"sort", opts.sort}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table table({"WORKER", "PROTO", "CLIENT", "SERVER", "PACKETS", "BYTES", "AGE", "IDLE", "STATE"});
  for (size_t c : {0, 4, 5, 6, 7}) table.set_align(c, Align::Right);
  const auto flows = answer.value("flows", nlohmann::json::array());
  for (const auto& flow : flows) {
    table.add_row({field_text(flow, "worker"), field_text(flow, "proto"),
                   endpoint(flow, "client", "client_port"), endpoint(flow, "server", "server_port"),
                   field_text(flow, "packets"), field_text(flow, "bytes"), ms_text(flow, "age_ms"),
                   ms_text(flow, "idle_ms"), field_text(flow, "state")});
  }
  env.out << table.render();
  env.out << flows.size() << " shown of " << field_text(answer, "total_flows") << " live flows"
          << (answer.value("truncated", false) ? " (more match; raise --limit)" : "") << "\n";
  return ExitCode::Ok;
}

}  // namespace

void add_flows_command(CLI::App& app, Invocation& invocation) {
  auto opts = std::make_shared<FlowsOptions>();
  auto* cmd = app.add_subcommand("flows", "top flows of the dataplane, by bytes or packets");
  cmd->add_option("--addr", opts->addr, "only flows whose client or server is ADDR (address or CIDR)")
      ->type_name("ADDR");
  cmd->add_option("-n,--limit", opts->limit, "how many flows (1-1000)")->capture_default_str();
  cmd->add_option("--sort", opts->sort, "order by bytes or packets")
      ->check(CLI::IsMember({"bytes", "packets"}))
      ->capture_default_str();
  set_examples(*cmd, {"weirctl flows", "weirctl flows --addr 198.18.0.10 --limit 5",
                      "weirctl flows --addr 2001:2::/48 --sort packets"});
  cmd->callback([&invocation, opts] {
    invocation.action = [opts](CommandEnv& env) { return run_flows(env, *opts); };
  });
}

}  // namespace weir::cli
