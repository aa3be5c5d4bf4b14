// Document parsing, argument naming and every policy limit (through the
// application/graphql transport, where the body is the document).
#include "parsers/graphql/graphql_document.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/parsers/graphql/graphql_harness.h"

namespace weir::parse::test {
namespace {

GqlRun doc(const std::string& d, const GraphqlPolicy& p = {}, const std::string& op = {}) {
  return run_graphql(d, GqlTransport::Document, p, {}, op);
}

TEST(GraphqlDocument, ArgumentNamesAndValueKinds) {
  const GqlRun r = doc(R"(
    query GetUser($id: ID!, $n: Int = 10) {
      user(id: $id, name: "bob\u0027", age: 42, score: -1.5e2, active: true, ref: null,
           role: ADMIN, tags: ["a", "b"], filter: {city: "x", geo: {lat: 1}}) {
        posts(first: $n) @include(if: $flag) { title(format: """ raw """) }
        nick: login
      }
    })");
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0];
  EXPECT_EQ(r.arg("GetUser.user.id"), "$id");
  EXPECT_EQ(r.arg("GetUser.user.name"), "bob'");
  EXPECT_EQ(r.arg("GetUser.user.age"), "42");
  EXPECT_EQ(r.arg("GetUser.user.score"), "-1.5e2");
  EXPECT_EQ(r.arg("GetUser.user.active"), "true");
  EXPECT_EQ(r.arg("GetUser.user.ref"), "null");
  EXPECT_EQ(r.arg("GetUser.user.role"), "ADMIN");
  EXPECT_EQ(r.arg("GetUser.user.tags[0]"), "a");
  EXPECT_EQ(r.arg("GetUser.user.tags[1]"), "b");
  EXPECT_EQ(r.arg("GetUser.user.filter.city"), "x");
  EXPECT_EQ(r.arg("GetUser.user.filter.geo.lat"), "1");
  EXPECT_EQ(r.arg("GetUser.user.posts.first"), "$n");
  EXPECT_EQ(r.arg("GetUser.user.posts.@include.if"), "$flag");
  EXPECT_EQ(r.arg("GetUser.user.posts.title.format"), " raw ");  // spec: first line kept
  EXPECT_EQ(r.var("$n"), "10");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].name, "GetUser");
  EXPECT_EQ(r.ops[0].type, GraphqlOperationType::Query);
  EXPECT_TRUE(r.ops[0].selected);
  EXPECT_EQ(r.ops[0].depth, 3u);
  EXPECT_EQ(r.ops[0].fields, 4u);
  EXPECT_EQ(r.ops[0].aliases, 1u);
}

TEST(GraphqlDocument, AnonymousShorthandMutationSubscription) {
  GqlRun r = doc(R"({ search(q: "x") { id } })");
  EXPECT_EQ(r.arg("query.search.q"), "x");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].name, "");
  r = doc(R"(mutation { createUser(input: {name: "n"}) { id } })");
  EXPECT_EQ(r.arg("mutation.createUser.input.name"), "n");
  EXPECT_EQ(r.ops[0].type, GraphqlOperationType::Mutation);
  r = doc(R"(subscription OnMsg @live { messages(room: 3) { text } })");
  EXPECT_EQ(r.arg("OnMsg.messages.room"), "3");
  EXPECT_EQ(r.ops[0].type, GraphqlOperationType::Subscription);
}

TEST(GraphqlDocument, FragmentsAndInlineFragments) {
  const GqlRun r = doc(R"(
    query Q { node(id: "1") { ...UserParts ... on Repo { name(x: 2) } ... @skip(if: false) { id } } }
    fragment UserParts on User { login avatar(size: 64) { url } })");
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.arg("Q.node.id"), "1");
  EXPECT_EQ(r.arg("Q.node.name.x"), "2");
  EXPECT_EQ(r.arg("Q.node.@skip.if"), "false");
  EXPECT_EQ(r.arg("...UserParts.avatar.size"), "64");
  ASSERT_EQ(r.ops.size(), 1u);
  // node > avatar (from the fragment) > url.
  EXPECT_EQ(r.ops[0].depth, 3u);
  // node, name, id + login, avatar, url.
  EXPECT_EQ(r.ops[0].fields, 6u);
}

TEST(GraphqlDocument, MaxDepthCountsThroughFragments) {
  GraphqlPolicy p;
  p.max_depth = 3;
  EXPECT_FALSE(doc("{ a { b { c } } }", p).has("graphql.max_depth"));
  EXPECT_TRUE(doc("{ a { b { c { d } } } }", p).has("graphql.max_depth"));
  // Each fragment is shallow; the spread chain is 4 deep.
  const GqlRun r = doc("{ a { ...F } } fragment F on T { b { ...G } } fragment G on T { c { d } }", p);
  EXPECT_TRUE(r.has("graphql.max_depth"));
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].depth, 4u);
}

TEST(GraphqlDocument, MaxAliases) {
  GraphqlPolicy p;
  p.max_aliases = 2;
  EXPECT_FALSE(doc("{ a1: user(id: 1) { id } a2: user(id: 2) { id } }", p).has("graphql.max_aliases"));
  const GqlRun r =
      doc("{ a1: login(p: \"1\") a2: login(p: \"2\") a3: login(p: \"3\") }", p);
  EXPECT_TRUE(r.has("graphql.max_aliases"));
  EXPECT_EQ(r.args.size(), 3u);  // still fully inspected
}

TEST(GraphqlDocument, MaxDirectivesCountsEveryApplicationThroughFragments) {
  GraphqlPolicy p;
  p.max_directives = 4;
  // On the operation, a variable, a field, a spread and an inline fragment.
  GqlRun r = doc("query Q($v: Int @a) @b { user @c { ...F @d } } fragment F on T { id }", p);
  EXPECT_FALSE(r.has("graphql.max_directives"));
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].directives, 4u);
  r = doc("query Q($v: Int @a) @b { user @c { ...F @d ... @e { id } } } fragment F on T { id }", p);
  EXPECT_TRUE(r.has("graphql.max_directives"));
  EXPECT_EQ(r.ops[0].directives, 5u);
  // Directive overloading: one field, many directives, default policy (50).
  std::string over = "{ user(id: 1) { name";
  for (int i = 0; i < 51; ++i) over += " @include(if: true)";
  over += " } }";
  r = doc(over);
  EXPECT_TRUE(r.has("graphql.max_directives"));
  EXPECT_EQ(r.ops[0].directives, 51u);
  EXPECT_EQ(r.args.size(), 52u);  // still fully inspected: id and every @include.if
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  // A fragment's directives count once per spread: 3 in F, spread twice, + 1.
  p.max_directives = 6;
  r = doc("{ a { ...F } b { ...F @x } } fragment F on T @y { c @z d @w }", p);
  EXPECT_EQ(r.ops[0].directives, 2u * 3u + 1u);
  EXPECT_TRUE(r.has("graphql.max_directives"));
  p.max_directives = 7;
  EXPECT_FALSE(doc("{ a { ...F } b { ...F @x } } fragment F on T @y { c @z d @w }", p)
                   .has("graphql.max_directives"));
}

TEST(GraphqlDocument, MaxFieldsCatchesFragmentBomb) {
  GraphqlPolicy p;
  p.max_fields = 1000;
  // 4 levels of "spread twice": 2^4 expansions of F0's 10 fields.
  std::string bomb = "{ ...F4 } fragment F0 on T { a b c d e f g h i j }";
  for (int i = 1; i <= 4; ++i) {
    bomb += " fragment F" + std::to_string(i) + " on T { x" + std::to_string(i) + ": f { ...F" +
            std::to_string(i - 1) + " } y" + std::to_string(i) + ": f { ...F" +
            std::to_string(i - 1) + " } }";
  }
  GqlRun r = doc(bomb, p);
  EXPECT_FALSE(r.has("graphql.max_fields"));
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].fields, 16u * 10u + 2u + 4u + 8u + 16u);
  p.max_fields = 100;
  r = doc(bomb, p);
  EXPECT_TRUE(r.has("graphql.max_fields"));
  // A deep bomb saturates instead of overflowing.
  std::string big = "{ ...F40 } fragment F0 on T { a }";
  for (int i = 1; i <= 40; ++i) {
    big += " fragment F" + std::to_string(i) + " on T { ...F" + std::to_string(i - 1) + " ...F" +
           std::to_string(i - 1) + " }";
  }
  r = doc(big, p);
  EXPECT_TRUE(r.has("graphql.max_fields"));
  EXPECT_EQ(r.ops[0].fields, 0x7FFFFFFFu);
}

TEST(GraphqlDocument, FragmentCycleAndUnknownFragment) {
  GqlRun r = doc("{ a { ...A } } fragment A on T { b { ...B } } fragment B on T { c { ...A } }");
  EXPECT_TRUE(r.has("graphql.fragment_cycle"));
  EXPECT_FALSE(r.has("graphql.unknown_fragment"));
  r = doc("{ a { ...Self } } fragment Self on T { x ...Self }");
  EXPECT_TRUE(r.has("graphql.fragment_cycle"));
  r = doc("{ a { ...A } } fragment A on T { b } fragment B on T { c ...A }");
  EXPECT_FALSE(r.has("graphql.fragment_cycle"));
  r = doc("{ a { ...Missing } }");
  EXPECT_TRUE(r.has("graphql.unknown_fragment"));
  EXPECT_FALSE(r.has("graphql.fragment_cycle"));
}

TEST(GraphqlDocument, IntrospectionAllowDeny) {
  GraphqlPolicy deny;
  GqlRun r = doc("query IntrospectionQuery { __schema { types { name } } }", deny);
  EXPECT_TRUE(r.has("graphql.introspection"));
  EXPECT_TRUE(r.introspection);
  r = doc("{ ...F } fragment F on Query { __type(name: \"User\") { name } }", deny);
  EXPECT_TRUE(r.has("graphql.introspection"));
  EXPECT_FALSE(doc("{ user { __typename } }", deny).has("graphql.introspection"));
  GraphqlPolicy allow;
  allow.allow_introspection = true;
  r = doc("{ __schema { queryType { name } } }", allow);
  EXPECT_FALSE(r.has("graphql.introspection"));
  EXPECT_TRUE(r.introspection);
}

TEST(GraphqlDocument, ParseErrorsEmitTheRawDocument) {
  for (const char* bad : {"{ user(id: 1 }", "query { a", "{ a(x: ) }", "type User { id: ID }",
                          "{ a(x: [1, 2) }", "fragment on on T { a }", "{ }", "", "{ a } }",
                          "query Q($v Int) { a }", "{ a(x: {b 1}) }", "{ a ~ }"}) {
    const GqlRun r = doc(bad);
    EXPECT_EQ(r.status, GraphqlStatus::Malformed) << bad;
    EXPECT_TRUE(r.has("graphql.parse_error")) << bad;
    ASSERT_FALSE(r.args.empty()) << bad;
    EXPECT_EQ(r.args.back().first, "") << bad;
    EXPECT_EQ(r.args.back().second, bad) << bad;
  }
}

TEST(GraphqlDocument, NestingCapBoundsTheParser) {
  GraphqlPolicy p;
  p.max_depth = 1000;
  std::string deep = "{ ";
  for (int i = 0; i < 500; ++i) deep += "a { ";
  deep += "b";
  for (int i = 0; i < 501; ++i) deep += " }";
  GqlRun r = doc(deep, p);
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("graphql.max_depth"));
  EXPECT_EQ(r.args.back().second, deep);
  // Nested list values hit the same cap.
  std::string lists = "{ a(x: " + std::string(100000, '[') + std::string(100000, ']') + ") }";
  r = doc(lists, p);
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("graphql.max_depth"));
}

TEST(GraphqlDocument, OperationSelection) {
  const std::string two = "query A { a(x: 1) } mutation B { b(y: 2) }";
  GqlRun r = doc(two, {}, "B");
  ASSERT_EQ(r.ops.size(), 2u);
  EXPECT_FALSE(r.ops[0].selected);
  EXPECT_TRUE(r.ops[1].selected);
  EXPECT_TRUE(r.findings.empty());
  r = doc(two);
  EXPECT_TRUE(r.has("graphql.operation_not_selected"));
  EXPECT_FALSE(r.ops[0].selected || r.ops[1].selected);
  r = doc(two, {}, "C");
  EXPECT_TRUE(r.has("graphql.operation_not_selected"));
  r = doc("fragment F on T { a }");
  EXPECT_TRUE(r.has("graphql.operation_not_selected"));
}

TEST(GraphqlDocument, FieldCapKeepsRawDocument) {
  ParseLimits limits;
  limits.max_fields = 8;
  std::string d = "{ a(";
  for (int i = 0; i < 20; ++i) d += "x" + std::to_string(i) + ": " + std::to_string(i) + " ";
  d += ") }";
  const GqlRun r = run_graphql(d, GqlTransport::Document, {}, limits);
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("graphql.field_cap"));
  EXPECT_EQ(r.args.size(), 8u);
  EXPECT_EQ(r.args.back().second, d);
}

TEST(GraphqlDocument, TooManyDefinitionsIsCapped) {
  std::string d = "{ a }";
  for (uint32_t i = 0; i < GraphqlDocumentCaps::kMaxDefinitions; ++i) {
    d += " fragment F" + std::to_string(i) + " on T { a }";
  }
  GqlRun r = doc(d);
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("graphql.too_complex"));
  std::string spreads = "{ a { ";
  for (uint32_t i = 0; i <= GraphqlDocumentCaps::kMaxSpreads; ++i) spreads += "...F ";
  spreads += "} } fragment F on T { b }";
  GraphqlPolicy p;
  p.max_fields = 100000;
  r = doc(spreads, p);
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("graphql.too_complex"));
  EXPECT_EQ(r.args.back().second, spreads);
}

TEST(GraphqlDocument, LongPathsAreShortenedNotDropped) {
  // 40 nested fields of 20 characters: the path passes the 512-byte name
  // buffer; the argument at the bottom keeps its value under a shorter name.
  std::string d = "{ ";
  for (int i = 0; i < 40; ++i) d += "f" + std::string(18, static_cast<char>('a' + i % 26)) + "x { ";
  d += "leaf(q: \"' union select 1--\") ";
  for (int i = 0; i < 40; ++i) d += "} ";
  d += "}";
  GraphqlPolicy p;
  p.max_depth = 100;
  const GqlRun r = doc(d, p);
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  ASSERT_EQ(r.args.size(), 1u);
  EXPECT_EQ(r.args[0].second, "' union select 1--");
  EXPECT_LE(r.args[0].first.size(), 512u);
  EXPECT_EQ(r.args[0].first.rfind("query.faaaaaaaaaaaaaaaaaax.", 0), 0u);
}

TEST(GraphqlDocument, OperationListIsCappedAndSaysSo) {
  std::string d;
  for (uint32_t i = 0; i < GraphqlResult::kMaxOperations + 1; ++i) {
    d += "query Q" + std::to_string(i) + " { a } ";
  }
  GqlRun r = doc(d, {}, "Q0");
  EXPECT_EQ(r.ops.size(), GraphqlResult::kMaxOperations);
  EXPECT_TRUE(r.operations_truncated);
  d.resize(d.rfind("query Q"));
  r = doc(d, {}, "Q0");
  EXPECT_EQ(r.ops.size(), GraphqlResult::kMaxOperations);
  EXPECT_FALSE(r.operations_truncated);
}

}  // namespace
}  // namespace weir::parse::test
