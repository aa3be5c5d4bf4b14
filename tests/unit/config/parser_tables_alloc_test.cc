// The tables a config builds for the workers (parsers.grpc.protosets,
// apis:) are used on the packet path: naming a gRPC message's fields from
// the descriptor set and choosing a request's per-API policy allocate
// nothing once the workspace is warm (operator new counted).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../parsers/graphql/counting_new.h"
#include "../parsers/grpc/protobuf_wire.h"
#include "config/weir_config.h"
#include "parsers/grpc/grpc_body_fields.h"
#include "parsers/json/json_flattener.h"
#include "parsers/parser_workspace.h"

namespace weir::config {
namespace {

using weir::parse::test::g_new_calls;
using namespace weir::parse::testing;

TEST(ParserTablesAlloc, NamedGrpcFieldsAndApiLookupAllocateNothing) {
  char tmpl[] = "/tmp/weir-parser-tables-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    std::ifstream in(WEIR_CONFIG_TEST_PROTOSET, std::ios::binary);
    std::ofstream(dir + "/shop.protoset", std::ios::binary)
        << std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::ofstream(dir + "/weir.yaml") << "pairs:\n  - name: lab\n    client_port: p0\n    server_port: p1\n"
                                         "parsers:\n  grpc:\n    protosets: [shop.protoset]\n"
                                         "apis:\n  - host: a.test\n    graphql: {introspection: true}\n"
                                         "  - host: \"*.b.test\"\n    path_prefix: /graphql\n    xml: {max_depth: 3}\n";
  }
  const Config cfg = load_config_file(dir + "/weir.yaml");
  std::filesystem::remove_all(dir);

  parse::ParserWorkspace ws;
  ws.set_protoset(cfg.parsers.protoset_names.get());
  ws.set_api_policies(&cfg.parsers.apis);
  std::string body = grpc_frame(pb_bytes(1, "sku-1") + pb_bytes(2, pb_bytes(1, "mug") + pb_varint(2, 4)) +
                                pb_varint(4, 2) + pb_bytes(5, varint(1) + varint(300)));
  const size_t len = body.size();
  body.append(parse::JsonFlattener::kPadding, '\0');
  const std::string_view message(body.data(), len);

  auto run = [&](parse::FieldList& fields) {
    ws.arena().reset();
    parse::FindingList findings(ws.arena(), 8);
    parse::add_grpc_body_fields(message, "application/grpc-web+proto", {}, parse::Direction::Request, false, ws,
                                parse::kDefaultProtobufDepth, fields, findings, "/shop.v1.Cart/AddItem?x=1");
  };
  parse::Arena out_arena(64 * 1024);
  {
    parse::FieldList fields(out_arena, 64);
    run(fields);  // warm-up
    ASSERT_EQ(fields.view().size(), 6u);
  }
  parse::FieldList fields(out_arena, 64);
  const long before = g_new_calls.load();
  run(fields);
  bool introspection = ws.graphql_policy_for("A.TEST:443", "/graphql").allow_introspection;
  introspection |= ws.graphql_policy_for("c.test", "/graphql").allow_introspection;
  const uint32_t xml_depth = ws.xml_policy_for("x.b.test", "/graphql/v1").max_depth;
  const long calls = g_new_calls.load() - before;
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(introspection);
  EXPECT_EQ(xml_depth, 3u);
  std::string names;
  for (const parse::Field& f : fields.view()) names += std::string(f.name) + "=" + std::string(f.value) + ";";
  EXPECT_EQ(names, "sku=sku-1;item.name=mug;item.quantity=2;kind=GIFT;tags=1;tags=300;");
}

}  // namespace
}  // namespace weir::config
