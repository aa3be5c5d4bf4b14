// weirctl inspect --config applies the config's parser policies (section
// `parsers:`) as weir-dataplane gives them to its workers: a GraphQL
// introspection query is a finding where the config refuses introspection,
// none where it allows it; an XML limit likewise.

#include <gtest/gtest.h>
#include <unistd.h>

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
    patterns: ["union\\s+select"]
policy:
  mode: block
  threshold: 5
)";

const char* kPairs = "pairs:\n  - name: lab\n    client_port: p0\n    server_port: p1\n";

std::string post(const std::string& path, const std::string& type, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: api.test\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kIntrospection =
    post("/graphql", "application/json", R"({"query":"{ __schema { types { name } } }"})");

class InspectParserPolicy : public InspectWorkdir {
 protected:
  InspectParserPolicy() : InspectWorkdir(kRules) {}

  // `weirctl inspect --config CONFIG --json REQUEST`: its stdout.
  std::string inspect(const std::string& config_text, const std::string& request) {
    const std::string config = write("weir.yaml", std::string(kPairs) + config_text);
    const std::string req = write("req.http", request);
    const RunResult r = inspect_cli({"--config", config, req, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }
};

TEST_F(InspectParserPolicy, IntrospectionRefusedByConfigIsAFinding) {
  EXPECT_NE(inspect("parsers:\n  graphql:\n    introspection: false\n", kIntrospection).find("graphql.introspection"),
            std::string::npos);
}

TEST_F(InspectParserPolicy, IntrospectionAllowedByConfigIsNone) {
  const std::string out = inspect("parsers:\n  graphql:\n    introspection: true\n", kIntrospection);
  EXPECT_EQ(out.find("graphql.introspection"), std::string::npos) << out;
}

TEST_F(InspectParserPolicy, GraphqlAndXmlLimitsComeFromTheConfig) {
  const std::string deep = post("/graphql", "application/json", R"({"query":"{ a { b { c { d } } } }"})");
  EXPECT_EQ(inspect("", deep).find("graphql.max_depth"), std::string::npos);
  EXPECT_NE(inspect("parsers:\n  graphql:\n    max_depth: 3\n", deep).find("graphql.max_depth"), std::string::npos);
  const std::string xml = post("/orders", "application/xml", "<a><b><c><d>1</d></c></b></a>");
  EXPECT_EQ(inspect("", xml).find("xml.max_depth"), std::string::npos);
  EXPECT_NE(inspect("parsers:\n  xml:\n    max_depth: 2\n", xml).find("xml.max_depth"), std::string::npos);
}

TEST(InspectPolicyParsers, PoliciesAreTheConfigsAndTheDefaultsWithout) {
  char tmpl[] = "/tmp/weir-parser-policy-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  std::ofstream(dir + "/rules.yaml") << kRules;
  std::ofstream(dir + "/weir.yaml") << kPairs << "parsers:\n  graphql:\n    max_aliases: 2\n  xml:\n    max_attributes: 3\n";
  const InspectPolicy configured = load_inspect_policy({.rules = dir + "/rules.yaml", .config_file = dir + "/weir.yaml"});
  EXPECT_EQ(configured.graphql.max_aliases, 2u);
  EXPECT_EQ(configured.xml.max_attributes, 3u);
  const InspectPolicy plain = load_inspect_policy({.rules = dir + "/rules.yaml"});
  EXPECT_EQ(plain.graphql.max_aliases, parse::GraphqlPolicy{}.max_aliases);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace weir::cli
