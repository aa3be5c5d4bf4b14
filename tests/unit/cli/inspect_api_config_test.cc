// weirctl inspect --config and the exception dry run read the config's whole
// parser setup as the workers do: gRPC descriptor sets
// (parsers.grpc.protosets) name protobuf fields by their declared names
// (HTTP/2 and gRPC-Web), and `apis:` chooses GraphQL/XML policies per API
// by Host and path — introspection allowed for one host, refused for
// another, in the same run.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../parsers/grpc/protobuf_wire.h"
#include "../parsers/http2/h2_frame_builder.h"
#include "cli/cli_exit_code.h"
#include "cli/exception_dry_run.h"
#include "cli/weirctl_app.h"
#include "tests/unit/cli/inspect_workdir.h"

namespace weir::cli {
namespace {

namespace fs = std::filesystem;
using namespace parse::testing;

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
const char* kWithProtoset = "parsers:\n  grpc:\n    protosets: [shop.protoset]\n";

// shop.v1.AddItemRequest{sku: "A-1", item: {name: <name>}}
std::string add_item(const std::string& name) {
  return pb_bytes(1, "A-1") + pb_bytes(2, pb_bytes(1, name) + pb_varint(2, 2));
}
const std::string kAttack = add_item("mug' union select password from users--");

// An h2c prior-knowledge connection with one gRPC call to Cart/AddItem.
std::string h2_grpc(const std::string& message) {
  HpackEncoder c;
  const std::string head = c.encode({{":method", "POST"}, {":scheme", "http"}, {":authority", "shop.test"},
                                     {":path", "/shop.v1.Cart/AddItem"}, {"content-type", "application/grpc"},
                                     {"te", "trailers"}});
  return preface() + settings() + headers_frame(1, head, false) + data(1, grpc_frame(message));
}

std::string grpc_web(const std::string& message) {
  const std::string body = grpc_frame(message);
  return "POST /shop.v1.Cart/AddItem HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/grpc-web+proto\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string graphql(const std::string& host, const std::string& path) {
  const std::string body = R"({"query":"{ __schema { types { name } } }"})";
  return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The same over HTTP/2: the API is chosen by :authority.
std::string h2_graphql(const std::string& authority) {
  const std::string body = R"({"query":"{ __schema { types { name } } }"})";
  HpackEncoder c;
  const std::string head = c.encode({{":method", "POST"}, {":scheme", "http"}, {":authority", authority},
                                     {":path", "/graphql"}, {"content-type", "application/json"},
                                     {"content-length", std::to_string(body.size())}});
  return preface() + settings() + headers_frame(1, head, false) + data(1, body);
}

class InspectApiConfig : public InspectWorkdir {
 protected:
  InspectApiConfig() : InspectWorkdir(kRules) {}
  void SetUp() override {
    InspectWorkdir::SetUp();
    std::ifstream in(WEIR_CLI_TEST_PROTOSET, std::ios::binary);
    write("shop.protoset", {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
  }

  std::string config(const std::string& text) { return write("weir.yaml", std::string(kPairs) + text); }

  // `weirctl inspect --config CONFIG --json REQUEST`: its findings.
  nlohmann::json inspect(const std::string& config_text, const std::string& request) {
    const std::string cfg = config(config_text);
    const std::string req = write("req.bin", request);
    const RunResult r = inspect_cli({"--config", cfg, req, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out)["findings"];
  }
  static std::string names_of(const nlohmann::json& findings, const std::string& rule) {
    std::string names;
    for (const auto& f : findings)
      if (f["rule"] == rule) names += (names.empty() ? "" : ",") + f["name"].get<std::string>();
    return names;
  }
  static bool has(const nlohmann::json& findings, const std::string& rule) {
    for (const auto& f : findings)
      if (f["rule"] == rule) return true;
    return false;
  }

};

TEST_F(InspectApiConfig, ProtosetNamesTheGrpcFieldOverHttp2AndGrpcWeb) {
  EXPECT_EQ(names_of(inspect(kWithProtoset, h2_grpc(kAttack)), "t-union"), "item.name");
  EXPECT_EQ(names_of(inspect("", h2_grpc(kAttack)), "t-union"), "2.1");  // schemaless: field numbers
  EXPECT_EQ(names_of(inspect(kWithProtoset, grpc_web(kAttack)), "t-union"), "item.name");
  EXPECT_EQ(names_of(inspect("", grpc_web(kAttack)), "t-union"), "2.1");
}

TEST_F(InspectApiConfig, BadProtosetIsAUsageErrorNamingTheFile) {
  write("shop.protoset", "\x0a\x05garbage");
  const std::string cfg = config(kWithProtoset);
  std::ostringstream out, err;
  const int code = run_weirctl({"weirctl", "inspect", "--rules", dir_ + "/rules.yaml", "--config", cfg,
                                write("req.bin", grpc_web(kAttack))},
                               out, err);
  EXPECT_EQ(code, static_cast<int>(ExitCode::Usage));
  EXPECT_NE(err.str().find(cfg + ":7: parsers.grpc.protosets[0]: " + dir_ + "/shop.protoset: "), std::string::npos)
      << err.str();
}

TEST_F(InspectApiConfig, IntrospectionAllowedForOneApiRefusedForAnother) {
  const std::string apis =
      "parsers:\n  graphql:\n    introspection: false\n"
      "apis:\n"
      "  - host: public.shop.test\n    path_prefix: /graphql\n    graphql:\n      introspection: true\n"
      "  - host: \"*.internal.test\"\n    graphql:\n      max_depth: 2\n";
  EXPECT_FALSE(has(inspect(apis, graphql("public.shop.test", "/graphql")), "graphql.introspection"));
  EXPECT_FALSE(has(inspect(apis, graphql("Public.Shop.Test:8080", "/graphql?op=schema")), "graphql.introspection"));
  // Same host, another path; another host; a host of the second API (its
  // own overrides keep the global refusal).
  EXPECT_TRUE(has(inspect(apis, graphql("public.shop.test", "/admin/graphql")), "graphql.introspection"));
  EXPECT_TRUE(has(inspect(apis, graphql("admin.shop.test", "/graphql")), "graphql.introspection"));
  const auto internal = inspect(apis, graphql("hr.internal.test", "/graphql"));
  EXPECT_TRUE(has(internal, "graphql.introspection"));
  EXPECT_TRUE(has(internal, "graphql.max_depth"));  // {__schema{types{name}}} is 3 deep
  EXPECT_FALSE(has(inspect(apis, graphql("admin.shop.test", "/graphql")), "graphql.max_depth"));
  EXPECT_FALSE(has(inspect(apis, h2_graphql("public.shop.test")), "graphql.introspection"));
  EXPECT_TRUE(has(inspect(apis, h2_graphql("admin.shop.test")), "graphql.introspection"));
}

TEST_F(InspectApiConfig, DryRunUsesTheConfigsParserSetup) {
  // Excepting t-union in the gRPC field "item.name" matches only when the
  // field has that name, i.e. only with the config's descriptor set.
  detect::RuleException e;
  e.id = "grpc-item-name";
  e.zones = detect::ZoneMask{1} << static_cast<unsigned>(parse::Zone::GrpcField);
  e.names = {"item.name"};
  e.rules = {"t-union"};
  std::vector<CorpusRequest> corpus(2);
  corpus[0].id = "h2";
  corpus[0].raw = h2_grpc(kAttack);
  corpus[1].id = "web";
  corpus[1].raw = grpc_web(kAttack);
  const std::string rules = dir_ + "/rules.yaml";
  const DryRunReport named = dry_run_exception({.rules = rules, .config_file = config(kWithProtoset)}, e, corpus);
  EXPECT_EQ(named.blocked_before, 2u);
  EXPECT_EQ(named.let_through, 2u);
  const DryRunReport numbered = dry_run_exception({.rules = rules, .config_file = config("")}, e, corpus);
  EXPECT_EQ(numbered.blocked_before, 2u);
  EXPECT_EQ(numbered.let_through, 0u);
  // Parser policies too: introspection blocks unless the config allows it.
  std::vector<CorpusRequest> gql(1);
  gql[0].id = "introspection";
  gql[0].raw = graphql("public.shop.test", "/graphql");
  EXPECT_EQ(dry_run_exception({.rules = rules, .config_file = config("")}, e, gql).blocked_before, 1u);
  EXPECT_EQ(dry_run_exception({.rules = rules,
                               .config_file = config("apis:\n  - host: public.shop.test\n    graphql:\n"
                                                     "      introspection: true\n")},
                              e, gql)
                .blocked_before,
            0u);
}

}  // namespace
}  // namespace weir::cli
