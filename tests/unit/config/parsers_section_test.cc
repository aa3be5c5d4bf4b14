// The `parsers:` section: GraphQL and XML policies over the parsers'
// defaults, every key validated, errors FILE:LINE: KEY: WHAT.
#include <gtest/gtest.h>

#include "config/weir_config.h"

namespace weir::config {
namespace {

const std::string kPairs =
    "pairs:\n"
    "  - name: lab\n"
    "    client_port: p0\n"
    "    server_port: p1\n";

std::string error_of(const std::string& extra) {
  try {
    parse_config(kPairs + extra, "w.yaml");
  } catch (const ConfigError& e) {
    return format_error(e);
  }
  return "";
}

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

}  // namespace
}  // namespace weir::config
