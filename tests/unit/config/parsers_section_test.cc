// The `parsers:` section: GraphQL and XML policies over the parsers'
// defaults, gRPC descriptor sets read from files next to the config, every
// key validated, errors FILE:LINE: KEY: WHAT; and the `apis:` section:
// per-API policies over the global ones, matched by host and path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/weir_config.h"
#include "tests/unit/config/section_test_config.h"

namespace weir::config {
namespace {

TEST(ParsersSection, AbsentKeysKeepTheParserDefaults) {
  const Config c = parse_config(kPairs, "w.yaml");
  const parse::GraphqlPolicy g;
  const parse::XmlPolicy x;
  EXPECT_EQ(c.parsers.graphql.max_depth, g.max_depth);
  EXPECT_EQ(c.parsers.graphql.allow_introspection, g.allow_introspection);
  EXPECT_EQ(c.parsers.xml.max_depth, x.max_depth);
  const Config partial = parse_config(kPairs + "parsers:\n  graphql:\n    max_aliases: 3\n", "w.yaml");
  EXPECT_EQ(partial.parsers.graphql.max_aliases, 3u);
  EXPECT_EQ(partial.parsers.graphql.max_fields, g.max_fields);
  EXPECT_EQ(partial.parsers.xml.max_attributes, x.max_attributes);
}

TEST(ParsersSection, EveryKey) {
  const Config c = parse_config(kPairs +
                                    "parsers:\n"
                                    "  graphql:\n"
                                    "    max_depth: 7\n"
                                    "    max_aliases: 5\n"
                                    "    max_batch: 2\n"
                                    "    max_fields: 300\n"
                                    "    max_directives: 4\n"
                                    "    introspection: true\n"
                                    "  xml:\n"
                                    "    max_depth: 20\n"
                                    "    max_attributes: 8\n"
                                    "    max_amplification: 4\n"
                                    "    amplification_threshold: 8192\n",
                                "w.yaml");
  const parse::GraphqlPolicy& g = c.parsers.graphql;
  EXPECT_EQ(g.max_depth, 7u);
  EXPECT_EQ(g.max_aliases, 5u);
  EXPECT_EQ(g.max_batch, 2u);
  EXPECT_EQ(g.max_fields, 300u);
  EXPECT_EQ(g.max_directives, 4u);
  EXPECT_TRUE(g.allow_introspection);
  const parse::XmlPolicy& x = c.parsers.xml;
  EXPECT_EQ(x.max_depth, 20u);
  EXPECT_EQ(x.max_attributes, 8u);
  EXPECT_EQ(x.max_amplification, 4.0f);
  EXPECT_EQ(x.amplification_threshold, 8192u);
}

TEST(ParsersSection, Errors) {
  EXPECT_EQ(error_of("parsers:\n  graphql:\n    max_depth: 0\n"),
            "w.yaml:7: parsers.graphql.max_depth: expected an integer in 1..128, got 0");
  EXPECT_EQ(error_of("parsers:\n  graphql:\n    introspection: yes\n"),
            "w.yaml:7: parsers.graphql.introspection: expected true or false, got 'yes'");
  EXPECT_NE(error_of("parsers:\n  graphql:\n    max_dept: 3\n").find("w.yaml:7: parsers.graphql.max_dept: "),
            std::string::npos);
  EXPECT_NE(error_of("parsers:\n  json:\n    max_depth: 3\n").find("w.yaml:6: parsers.json: "), std::string::npos);
  EXPECT_NE(error_of("parsers:\n  xml:\n    max_depth: 257\n").find("w.yaml:7: parsers.xml.max_depth: "),
            std::string::npos);
  EXPECT_NE(error_of("parsers:\n  xml:\n    amplification_threshold: 10\n")
                .find("w.yaml:7: parsers.xml.amplification_threshold: "),
            std::string::npos);
  EXPECT_NE(error_of("parsers:\n  xml:\n    max_amplification: 2.5\n").find("w.yaml:7: parsers.xml.max_amplification: "),
            std::string::npos);
}

// A folder with a config file and protoc's descriptor set of the test schema.
class Protosets : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/weir-protoset-cfg-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ifstream in(WEIR_CONFIG_TEST_PROTOSET, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    ASSERT_FALSE(bytes.empty());
    std::filesystem::create_directory(dir_ + "/schemas");
    std::ofstream(dir_ + "/schemas/shop.protoset", std::ios::binary) << bytes;
    std::ofstream(dir_ + "/bad.protoset", std::ios::binary) << "\x0a\x05garbage";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Config load(const std::string& extra) {
    std::ofstream(dir_ + "/weir.yaml") << kPairs << extra;
    return load_config_file(dir_ + "/weir.yaml");
  }
  std::string error_of_file(const std::string& extra) {
    try {
      load(extra);
    } catch (const ConfigError& e) {
      return format_error(e);
    }
    return "";
  }
  std::string dir_;
};

TEST_F(Protosets, RelativePathsResolveAgainstTheConfigFolderAndLoad) {
  const Config c = load("parsers:\n  grpc:\n    protosets: [schemas/shop.protoset]\n");
  ASSERT_EQ(c.parsers.protosets.size(), 1u);
  EXPECT_EQ(c.parsers.protosets[0], dir_ + "/schemas/shop.protoset");
  ASSERT_NE(c.parsers.protoset_names, nullptr);
  EXPECT_EQ(c.parsers.protoset_names->method_count(), 1u);
  EXPECT_NE(c.parsers.protoset_names->message_type("/shop.v1.Cart/AddItem", parse::Direction::Request), nullptr);
  // Absolute paths are taken as they are; the same file twice is one set.
  const Config twice = load("parsers:\n  grpc:\n    protosets:\n      - " + dir_ +
                            "/schemas/shop.protoset\n      - schemas/shop.protoset\n");
  EXPECT_EQ(twice.parsers.protoset_names->method_count(), 1u);
  // None configured: no table.
  EXPECT_EQ(load("").parsers.protoset_names, nullptr);
}

TEST_F(Protosets, UnreadableOrInvalidFilesAreErrorsAtTheirLine) {
  const std::string cfg = dir_ + "/weir.yaml";
  EXPECT_EQ(error_of_file("parsers:\n  grpc:\n    protosets:\n      - schemas/shop.protoset\n      - missing.protoset\n"),
            cfg + ":9: parsers.grpc.protosets[1]: cannot read " + dir_ + "/missing.protoset: No such file or directory");
  EXPECT_EQ(error_of_file("parsers:\n  grpc:\n    protosets: [bad.protoset]\n"),
            cfg + ":7: parsers.grpc.protosets[0]: " + dir_ + "/bad.protoset: not a serialized FileDescriptorSet");
  EXPECT_NE(error_of_file("parsers:\n  grpc:\n    protosets: schemas/shop.protoset\n")
                .find(":7: parsers.grpc.protosets: expected a list"),
            std::string::npos);
  EXPECT_NE(error_of_file("parsers:\n  grpc:\n    descriptor_sets: [a]\n").find(":7: parsers.grpc.descriptor_sets: "),
            std::string::npos);
}

TEST(ApisSection, EntriesStartFromTheGlobalPolicyAndOverride) {
  const Config c = parse_config(kPairs +
                                    "parsers:\n"
                                    "  graphql:\n"
                                    "    max_aliases: 7\n"
                                    "apis:\n"
                                    "  - host: Public.Example.com\n"
                                    "    path_prefix: /graphql\n"
                                    "    graphql:\n"
                                    "      introspection: true\n"
                                    "  - host: \"*.internal.test\"\n"
                                    "    xml:\n"
                                    "      max_depth: 5\n",
                                "w.yaml");
  const auto& apis = c.parsers.apis.entries;
  ASSERT_EQ(apis.size(), 2u);
  EXPECT_EQ(apis[0].host, "public.example.com");
  EXPECT_TRUE(apis[0].graphql.allow_introspection);
  EXPECT_EQ(apis[0].graphql.max_aliases, 7u);  // the global value
  EXPECT_EQ(apis[1].xml.max_depth, 5u);
  EXPECT_FALSE(apis[1].graphql.allow_introspection);
  const parse::ApiPolicyTable& t = c.parsers.apis;
  EXPECT_EQ(t.match("public.example.com", "/graphql?x=1"), &apis[0]);
  EXPECT_EQ(t.match("PUBLIC.example.COM:8080", "/graphql"), &apis[0]);
  EXPECT_EQ(t.match("public.example.com.", "/graphql"), &apis[0]);
  EXPECT_EQ(t.match("public.example.com", "/rest/graphql"), nullptr);
  EXPECT_EQ(t.match("other.example.com", "/graphql"), nullptr);
  EXPECT_EQ(t.match("a.b.internal.test", "/anything"), &apis[1]);
  EXPECT_EQ(t.match("internal.test", "/"), nullptr);  // *.suffix needs a label before it
  EXPECT_EQ(t.match("xinternal.test", "/"), nullptr);
  EXPECT_EQ(t.match("", "/"), nullptr);
}

TEST(ApisSection, Errors) {
  EXPECT_EQ(error_of("apis:\n  - path_prefix: /x\n"), "w.yaml:6: apis[0].host: missing required key");
  EXPECT_EQ(error_of("apis:\n  - host: api.test\n    path_prefix: graphql\n"),
            "w.yaml:7: apis[0].path_prefix: expected a path starting with '/'");
  EXPECT_EQ(error_of("apis:\n  - host: \"api test\"\n"),
            "w.yaml:6: apis[0].host: expected a host name or *.suffix, got 'api test'");
  EXPECT_NE(error_of("apis:\n  - host: api.test\n    graphql:\n      max_depth: 0\n")
                .find("w.yaml:8: apis[0].graphql.max_depth: "),
            std::string::npos);
  EXPECT_NE(error_of("apis:\n  - host: api.test\n    grpc: {}\n").find("w.yaml:7: apis[0].grpc: "),
            std::string::npos);
  EXPECT_NE(error_of("apis:\n  host: api.test\n").find("w.yaml:6: apis: expected a list"), std::string::npos);
}

}  // namespace
}  // namespace weir::config
