// weirctl block|unblock ip|cidr and blocks: the address blocklist that
// weir-control owns and pushes to the dataplane.

#include <memory>
#include <ostream>
#include <variant>

#include "cli/block_target.h"
#include "cli/cli_commands.h"
#include "cli/ttl_duration.h"
#include "cli/json_cells.h"
#include "cli/text_table.h"
#include "cli/api_time.h"

namespace weir::cli {

namespace {

struct BlockOptions {
  std::string address;
  std::string ttl;
  std::string reason;
};

BlockTarget parse_or_usage(BlockKind kind, const std::string& text) {
  auto parsed = parse_block_target(kind, text);
  if (auto* error = std::get_if<std::string>(&parsed)) throw CliError(ExitCode::Usage, *error);
  return std::get<BlockTarget>(parsed);
}

std::string expires_text(const nlohmann::json& block) {
  if (!block.contains("expires_at") || !block["expires_at"].is_string()) return "never";
  const auto expires = parse_rfc3339_ms(block["expires_at"].get<std::string>());
  if (!expires) return field_text(block, "expires_at");
  const int64_t left_ms = *expires - now_epoch_ms();
  if (left_ms <= 0) return "expiring";
  return "in " + format_duration(static_cast<uint64_t>((left_ms + 999) / 1000));
}

ExitCode run_block(CommandEnv& env, BlockKind kind, const BlockOptions& opts) {
  const BlockTarget target = parse_or_usage(kind, opts.address);
  nlohmann::json body = {{"cidr", target.canonical}};
  if (!opts.ttl.empty()) {
    const auto seconds = parse_duration_seconds(opts.ttl);
    if (!seconds) {
      throw CliError(ExitCode::Usage, "invalid --ttl '" + opts.ttl +
                                          "': expected a duration such as 90s, 10m, 2h, 1d "
                                          "(at most 366d)");
    }
    body["ttl_s"] = *seconds;
  }
  if (!opts.reason.empty()) body["reason"] = opts.reason;
  const auto response = env.client.post("/v1/blocks", body);
  const auto answer = expect_ok(response);
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  const auto block = answer.value("block", nlohmann::json::object());
  env.out << (response.status == 201 ? "blocked " : "updated block ") << field_text(block, "cidr")
          << ", expires " << expires_text(block) << "\n";
  return ExitCode::Ok;
}

ExitCode run_unblock(CommandEnv& env, BlockKind kind, const BlockOptions& opts) {
  const BlockTarget target = parse_or_usage(kind, opts.address);
  const auto answer = env.client.del_ok(with_query("/v1/blocks", {{"cidr", target.canonical}}));
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  env.out << "unblocked " << field_text(answer.value("removed", nlohmann::json::object()), "cidr")
          << "\n";
  return ExitCode::Ok;
}

ExitCode run_blocks(CommandEnv& env) {
  const auto answer = env.client.get_ok("/v1/blocks");
  if (env.globals.json) {
    print_json(env.out, answer);
    return ExitCode::Ok;
  }
  Table table({"CIDR", "EXPIRES", "CREATED (UTC)", "BY", "REASON"});
  for (const auto& block : answer.value("blocks", nlohmann::json::array())) {
    table.add_row({field_text(block, "cidr"), expires_text(block), field_time(block, "created_at"),
                   field_text(block, "by"), field_text(block, "reason")});
  }
  env.out << table.render();
  return ExitCode::Ok;
}

void add_target_commands(CLI::App& parent, Invocation& invocation, bool blocking) {
  for (const BlockKind kind : {BlockKind::Ip, BlockKind::Cidr}) {
    auto opts = std::make_shared<BlockOptions>();
    const bool ip = kind == BlockKind::Ip;
    const std::string verb = blocking ? "block" : "unblock";
    auto* cmd = parent.add_subcommand(
        ip ? "ip" : "cidr",
        verb + (ip ? " one IPv4 or IPv6 address" : " an IPv4 or IPv6 range (no host bits set)"));
    cmd->add_option("ADDR", opts->address, ip ? "address" : "prefix, address/length")
        ->required()
        ->type_name(ip ? "ADDR" : "CIDR");
    if (blocking) {
      cmd->add_option("--ttl", opts->ttl, "remove the block after this long (90s, 10m, 2h, 1d); "
                                          "default: until unblocked")
          ->type_name("DURATION");
      cmd->add_option("--reason", opts->reason, "why, kept with the block and in the audit log")
          ->type_name("TEXT");
      set_examples(*cmd, ip ? std::vector<std::string>{"weirctl block ip 198.18.0.7",
                                                       "weirctl block ip 2001:2::7 --ttl 10m --reason scanner"}
                            : std::vector<std::string>{"weirctl block cidr 198.18.4.0/24 --ttl 2h",
                                                       "weirctl block cidr 2001:2:0:1::/64"});
    } else {
      set_examples(*cmd, ip ? std::vector<std::string>{"weirctl unblock ip 198.18.0.7",
                                                       "weirctl unblock ip 2001:2::7"}
                            : std::vector<std::string>{"weirctl unblock cidr 198.18.4.0/24",
                                                       "weirctl unblock cidr 2001:2:0:1::/64"});
    }
    cmd->callback([&invocation, opts, kind, blocking] {
      invocation.action = [opts, kind, blocking](CommandEnv& env) {
        return blocking ? run_block(env, kind, *opts) : run_unblock(env, kind, *opts);
      };
    });
  }
}

}  // namespace

void add_block_commands(CLI::App& app, Invocation& invocation) {
  auto* block = app.add_subcommand("block", "block an address or range in the dataplane");
  block->require_subcommand(1);
  set_examples(*block, {"weirctl block ip 198.18.0.7 --ttl 10m",
                        "weirctl block cidr 2001:2::/48 --reason 'lab test'"});
  add_target_commands(*block, invocation, true);

  auto* unblock = app.add_subcommand("unblock", "remove a block set with 'weirctl block'");
  unblock->require_subcommand(1);
  set_examples(*unblock, {"weirctl unblock ip 198.18.0.7", "weirctl unblock cidr 2001:2::/48"});
  add_target_commands(*unblock, invocation, false);

  auto* blocks = app.add_subcommand("blocks", "active blocks with their expiry");
  set_examples(*blocks, {"weirctl blocks", "weirctl blocks --json | jq -r '.blocks[].cidr'"});
  blocks->callback([&invocation] { invocation.action = run_blocks; });
}

}  // namespace weir::cli
