// The command tree and the exit-code contract, without a weir-control.

#include "cli/weirctl_app.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "cli/bash_completion.h"
#include "cli/cli_exit_code.h"

namespace weir::cli {
namespace {

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

RunResult run(std::vector<std::string> args) {
  args.insert(args.begin(), "weirctl");
  std::ostringstream out, err;
  const int code = run_weirctl(args, out, err);
  return {code, out.str(), err.str()};
}

const std::string kMissingSocket = "/nonexistent/weir-test/admin.sock";

TEST(ExitCodes, ApiStatusMapping) {
  EXPECT_EQ(exit_code_for_api_status(200, ""), ExitCode::Ok);
  EXPECT_EQ(exit_code_for_api_status(201, ""), ExitCode::Ok);
  EXPECT_EQ(exit_code_for_api_status(400, "invalid_value"), ExitCode::Usage);
  EXPECT_EQ(exit_code_for_api_status(400, "unknown_field"), ExitCode::Failed);
  EXPECT_EQ(exit_code_for_api_status(404, "not_found"), ExitCode::Failed);
  EXPECT_EQ(exit_code_for_api_status(422, "invalid_config"), ExitCode::Failed);
  EXPECT_EQ(exit_code_for_api_status(503, "dataplane_unavailable"), ExitCode::Failed);
  EXPECT_EQ(exit_code_for_parse_status(0), ExitCode::Ok);
  EXPECT_EQ(exit_code_for_parse_status(106), ExitCode::Usage);
}

TEST(ExitCodes, MissingSocketIsThreeWithOneClearLine) {
  const auto r = run({"--socket", kMissingSocket, "status"});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err, "weirctl: cannot connect to " + kMissingSocket +
                       ": No such file or directory (is weir-control running?)\n");
  EXPECT_EQ(r.out, "");
}

TEST(ExitCodes, SocketFromEnvironment) {
  ::setenv("WEIR_ADMIN_SOCKET", "/nonexistent/weir-env/admin.sock", 1);
  const auto r = run({"mode"});
  ::unsetenv("WEIR_ADMIN_SOCKET");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("/nonexistent/weir-env/admin.sock"), std::string::npos) << r.err;
}

TEST(ExitCodes, InvalidInputIsTwoBeforeAnyConnection) {
  EXPECT_EQ(run({"--socket", kMissingSocket, "block", "cidr", "198.18.0.1/15"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "block", "ip", "198.18.0.300"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "block", "ip", "198.18.0.7", "--ttl", "10y"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "unblock", "cidr", "2001:2::1/48"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "flows", "--addr", "nowhere"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "alerts", "list", "--since", "soon"}).code, 2);
  EXPECT_EQ(run({"--socket", kMissingSocket, "config", "apply", "/nonexistent/weir.yaml"}).code, 2);
  const auto r = run({"--socket", kMissingSocket, "block", "cidr", "198.18.0.1/15"});
  EXPECT_EQ(r.err, "weirctl: invalid CIDR '198.18.0.1/15': host bits are set (did you mean "
                   "198.18.0.0/15?)\n");
}

TEST(ExitCodes, UsageErrorsAreTwo) {
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"frobnicate"}).code, 2);
  EXPECT_EQ(run({"status", "--no-such-option"}).code, 2);
  EXPECT_EQ(run({"alerts"}).code, 2);
  EXPECT_EQ(run({"alerts", "show"}).code, 2);
  EXPECT_EQ(run({"alerts", "show", "abc"}).code, 2);
  EXPECT_EQ(run({"alerts", "list", "--severity", "urgent"}).code, 2);
  EXPECT_EQ(run({"flows", "--sort", "age"}).code, 2);
}

TEST(Help, ZeroWithExamples) {
  const auto r = run({"block", "ip", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("weirctl block ip 198.18.0.7"), std::string::npos);
}

TEST(Help, VersionIsZero) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("weirctl ", 0), 0u) << r.out;
}

void walk(const CLI::App& app, const std::string& path,
          const std::function<void(const CLI::App&, const std::string&)>& visit) {
  visit(app, path);
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    walk(*sub, path + " " + sub->get_name(), visit);
  }
}

TEST(Help, EveryCommandHasItsOwnExamples) {
  Invocation invocation;
  auto app = make_app(invocation);
  int commands = 0;
  walk(*app, "weirctl", [&](const CLI::App& cmd, const std::string& path) {
    ++commands;
    const std::string footer = cmd.get_footer();
    EXPECT_NE(footer.find("Examples:"), std::string::npos) << path;
    // Each command's examples use that command, not an inherited footer.
    EXPECT_NE(footer.find(path), std::string::npos) << path << "\n" << footer;
  });
  EXPECT_GE(commands, 25);
}

TEST(GlobalOptions, AcceptedAfterSubcommand) {
  Invocation invocation;
  auto app = make_app(invocation);
  app->parse(std::vector<std::string>{"--json", "list", "alerts"});  // reversed argv
  EXPECT_TRUE(invocation.globals.json);
  EXPECT_TRUE(static_cast<bool>(invocation.action));
}

std::string complete(const std::string& script_path, const std::string& words, int cword) {
  const std::string command = "bash -c 'source " + script_path + "; COMP_WORDS=(" + words +
                              "); COMP_CWORD=" + std::to_string(cword) +
                              "; _weirctl; echo \"${COMPREPLY[*]}\"'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  ::pclose(pipe);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(Completion, NodesCoverTheTree) {
  Invocation invocation;
  auto app = make_app(invocation);
  const auto nodes = completion_nodes(*app);
  std::vector<std::string> paths;
  for (const auto& n : nodes) paths.push_back(n.path);
  for (const char* expected : {"", "/alerts/tail", "/block/cidr", "/config/apply", "/mode/monitor",
                               "/completion/bash", "/stats"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << expected;
  }
  for (const auto& n : nodes) {
    if (n.path == "/config/validate") {
      EXPECT_TRUE(n.completes_files);
    }
    if (n.path == "/block/ip") {
      EXPECT_FALSE(n.completes_files);
    }
  }
}

TEST(Completion, BashScriptCompletesCommandsAndOptions) {
  const auto r = run({"completion", "bash"});
  ASSERT_EQ(r.code, 0);
  char path[] = "/tmp/weirctl_completion_XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << r.out;
  EXPECT_EQ(complete(path, "weirctl al", 1), "alerts");
  EXPECT_EQ(complete(path, "weirctl alerts ''", 2), "list show tail --help -h --socket --server --token --cacert --json");
  EXPECT_EQ(complete(path, "weirctl --socket /tmp/x.sock st", 3), "status stats");
  EXPECT_EQ(complete(path, "weirctl block ip 198.18.0.7 --t", 4), "--ttl --token");
  EXPECT_EQ(complete(path, "weirctl block ip 198.18.0.7 --tt", 4), "--ttl");
  EXPECT_EQ(complete(path, "weirctl mode ''", 2), "monitor block --help -h --socket --server --token --cacert --json");
  EXPECT_EQ(complete(path, "weirctl block ip 198.18.0.7 --ttl ''", 5), "");
  ::unlink(path);
}

}  // namespace
}  // namespace weir::cli

namespace weir::cli {
namespace {

// Remote options: plain http and token-without-server are usage errors
// (exit 2) before anything is sent.
TEST(RemoteOptions, PlainHttpAndStrayTokenAreRefused) {
  std::ostringstream out, err;
  EXPECT_EQ(run_weirctl({"weirctl", "--server", "http://127.0.0.1:8443", "status"}, out, err), 2);
  EXPECT_NE(err.str().find("plain http is refused"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_weirctl({"weirctl", "--token", "weir_x", "status"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("need --server"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(run_weirctl({"weirctl", "--server", "https://127.0.0.1:8443/v1", "status"}, out3, err3), 2);
}

TEST(RemoteOptions, UnreachableServerIsExitThree) {
  std::ostringstream out, err;
  // Port 1 on loopback: nothing listens there.
  EXPECT_EQ(run_weirctl({"weirctl", "--server", "https://127.0.0.1:1", "--token", "t", "status"}, out, err), 3);
  EXPECT_NE(err.str().find("cannot talk to https://127.0.0.1:1"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace weir::cli
