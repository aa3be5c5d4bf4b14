// weirctl inspect end to end in-process: a raw request file, a corpus with
// verdict lines and summary, the quality gate's exit code, overrides of
// paranoia and mode, and the errors (malformed corpus line, broken rules)
// with their exit code 2. Rules are a small file written here, so the
// test does not move with the default ruleset.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/inspect_policy.h"
#include "cli/offline_inspector.h"
#include "cli/weirctl_app.h"
#include "tests/unit/cli/inspect_workdir.h"

namespace weir::cli {
namespace {

namespace fs = std::filesystem;

const char* kRules = R"(rules:
  - id: "t-union"
    message: "UNION SELECT"
    class: sqli
    severity: critical
    zones: [any]
    transforms: [url_decode]
    flags: [caseless]
    patterns: ["union\\s+select"]
  - id: "t-zebra"
    message: "paranoia-2 word"
    class: other
    severity: critical
    paranoia: 2
    zones: [query_arg, body_json]
    patterns: ["zebra"]
  - id: "t-body"
    message: "word in a JSON body"
    class: other
    severity: warning
    zones: [body_json]
    names: [note]
    patterns: ["danger"]
policy:
  mode: block
  threshold: 5
  lexical:
    sqli: {enabled: false}
    xss: {enabled: false}
)";

class InspectCommand : public InspectWorkdir {
 protected:
  InspectCommand() : InspectWorkdir(kRules) {}
  RunResult run(std::vector<std::string> args) { return inspect_cli(std::move(args)); }
};

const char* kCorpus =
    R"({"id":"a1","method":"GET","uri":"/s?q=1%20UNION%20SELECT%20pw","headers":[["Host","h"]],"label":"attack","class":"sqli"})"
    "\n"
    R"({"id":"a2","method":"POST","uri":"/n","headers":[["Host","h"],["Content-Type","application/json"]],"body":"{\"note\":\"danger danger\"}","label":"attack","class":"other"})"
    "\n"
    R"({"id":"a3","method":"GET","uri":"/z?animal=zebra","headers":[["Host","h"]],"label":"attack","class":"other"})"
    "\n"
    R"({"id":"b1","method":"GET","uri":"/shop?item=union+station","headers":[["Host","h"]],"label":"benign","class":"shop"})"
    "\n"
    R"({"id":"b2","method":"GET","uri":"/s?q=union%20select%20me","headers":[["Host","h"]],"label":"benign","class":"search"})"
    "\n";

TEST_F(InspectCommand, RawRequestFile) {
  write("req.http", "GET /s?q=1%20UNION%20SELECT%20pw HTTP/1.1\r\nHost: h\r\n\r\n");
  auto r = run({path("req.http")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("reset (blocked)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("t-union"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("query_arg"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("UNION SELECT"), std::string::npos) << r.out;  // excerpt, decoded

  r = run({path("req.http"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["blocked"].get<bool>());
  EXPECT_EQ(j["score"], 5);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["rule"], "t-union");
  EXPECT_EQ(j["findings"][0]["zone"], "query_arg");
  EXPECT_EQ(j["findings"][0]["name"], "q");
  EXPECT_EQ(j["findings"][0]["score"], 5);
  EXPECT_EQ(j["policy"]["mode"], "block");

  write("clean.http", "GET /s?q=shoes HTTP/1.1\r\nHost: h\r\n\r\n");
  r = run({path("clean.http"), "--json"});
  EXPECT_FALSE(nlohmann::json::parse(r.out)["blocked"].get<bool>());
}

TEST_F(InspectCommand, BareLfIsAProtocolFindingUnlessConverted) {
  write("lf.http", "GET /s?q=1%20UNION%20SELECT%20pw HTTP/1.1\nHost: h\n\n");
  auto r = run({path("lf.http"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["blocked"].get<bool>());
  EXPECT_EQ(j["parse_status"], "parse_error");
  ASSERT_GE(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["zone"], "protocol");
  r = run({path("lf.http"), "--crlf", "--json"});
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["parse_status"], "blocked");
  EXPECT_EQ(j["findings"][0]["rule"], "t-union");
}

TEST_F(InspectCommand, CorpusVerdictLinesAndSummary) {
  write("c.jsonl", kCorpus);
  auto r = run({"--corpus", path("c.jsonl"), "--output", path("out.jsonl")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(path("out.jsonl"));
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["id"], "a1");
  EXPECT_TRUE(lines[0]["blocked"].get<bool>());
  EXPECT_EQ(lines[0]["findings"][0]["rule"], "t-union");
  // A body field: computed Content-Length let the parser reach the JSON.
  EXPECT_EQ(lines[1]["score"], 3);
  EXPECT_FALSE(lines[1]["blocked"].get<bool>());
  EXPECT_EQ(lines[1]["action"], "pass");
  EXPECT_EQ(lines[1]["findings"][0]["zone"], "body_json");
  EXPECT_EQ(lines[1]["findings"][0]["name"], "note");
  EXPECT_TRUE(lines[2]["findings"].empty());  // paranoia 2 rule is off at 1
  EXPECT_FALSE(lines[3]["blocked"].get<bool>());
  EXPECT_TRUE(lines[4]["blocked"].get<bool>());
  // TPR 1/3, FPR 1/2, and the lists.
  EXPECT_NE(r.out.find("0.3333 (1/3 attacks detected)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.5000 (1/2 benign requests detected)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("requests/s on one core"), std::string::npos);
  EXPECT_NE(r.out.find("b2"), std::string::npos) << "false positive listed";
  EXPECT_NE(r.out.find("t-union"), std::string::npos) << "with its rule";
}

TEST_F(InspectCommand, ParanoiaAndModeOverrides) {
  write("c.jsonl", kCorpus);
  auto r = run({"--corpus", path("c.jsonl"), "--paranoia", "2", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["true_positives"], 2);  // a3 now blocked
  r = run({"--corpus", path("c.jsonl"), "--mode", "monitor", "--output", "-"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Verdict lines on stdout, the summary on stderr; monitor never blocks
  // but detected requests are alerts and count for the rates.
  EXPECT_EQ(r.out.find("\"blocked\":true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"action\":\"alert\""), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("0.3333 (1/3"), std::string::npos) << r.err;
  EXPECT_EQ(run({"--corpus", path("c.jsonl"), "--paranoia", "5"}).code, 2);
  EXPECT_EQ(run({"--corpus", path("c.jsonl"), "--mode", "drop"}).code, 2);
}

TEST_F(InspectCommand, QualityGateSetsTheExitCode) {
  write("c.jsonl", kCorpus);
  auto r = run({"--corpus", path("c.jsonl"), "--min-tpr", "0.3", "--max-fpr", "0.5"});
  EXPECT_EQ(r.code, 0) << r.err;
  r = run({"--corpus", path("c.jsonl"), "--min-tpr", "0.97"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("weirctl: quality gate failed: TPR 0.3333 (1/3) is below --min-tpr 0.9700"),
            std::string::npos)
      << r.err;
  r = run({"--corpus", path("c.jsonl"), "--max-fpr", "0.003"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("FPR 0.5000 (1/2) is above --max-fpr 0.0030"), std::string::npos) << r.err;
}

TEST_F(InspectCommand, SeveralCorpusFilesAreOne) {
  const std::string text(kCorpus);
  const size_t split = text.find("{\"id\":\"b1\"");
  write("attacks.jsonl", text.substr(0, split));
  write("benign.jsonl", text.substr(split));
  auto r = run({"--corpus", path("attacks.jsonl"), "--corpus", path("benign.jsonl"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["attacks"], 3);
  EXPECT_EQ(j["benign"], 2);
}

TEST_F(InspectCommand, ErrorsAreUsageWithFileAndLine) {
  write("bad.jsonl", std::string(kCorpus) + "{\"id\":\"z\",\"method\":\"GET\",\"uri\":\"/\",\"headers\":5}\n");
  auto r = run({"--corpus", path("bad.jsonl")});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "weirctl: " + path("bad.jsonl") +
                       ":6: key 'headers': expected an array of [name, value] string pairs, got a number\n");
  EXPECT_EQ(r.out, "");

  write("rules.yaml", "rules:\n  - id: x\n    message: m\n    class: sqli\n    severity: high\n"
                      "    zones: [any]\n    patterns: [abc]\n");
  write("c.jsonl", kCorpus);
  r = run({"--corpus", path("c.jsonl")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path("rules.yaml") + ":5: key 'severity': expected"), std::string::npos) << r.err;

  r = run({"--corpus", path("missing.jsonl")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos);
  r = run({path("missing.http")});
  EXPECT_EQ(r.code, 2);
  r = run({});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("give REQUEST_FILE or --corpus FILE"), std::string::npos) << r.err;
  r = run({path("c.jsonl"), "--corpus", path("c.jsonl")});
  EXPECT_EQ(r.code, 2);
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

TEST_F(InspectCommand, BashCompletionKnowsIt) {
  std::ostringstream out, err;
  ASSERT_EQ(run_weirctl({"weirctl", "completion", "bash"}, out, err), 0);
  const std::string script = write("completion.bash", out.str());
  EXPECT_EQ(complete(script, "weirctl insp", 1), "inspect");
  EXPECT_EQ(complete(script, "weirctl inspect --cor", 2), "--corpus");
  EXPECT_EQ(complete(script, "weirctl inspect --max", 2), "--max-fpr");
}

TEST(InspectPolicy, DefaultRulesDirIsTheDataplanes) {
  // The embedded default config names rules.dir "rules", relative to the
  // source tree's configs/ folder.
  const std::string dir = default_rules_dir("");
  EXPECT_TRUE(dir.size() > 14 && dir.compare(dir.size() - 14, 14, "/configs/rules") == 0) << dir;
  EXPECT_TRUE(std::filesystem::is_directory(dir)) << dir;
}

}  // namespace
}  // namespace weir::cli
