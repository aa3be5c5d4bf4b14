// Transports (JSON, batch, application/graphql, GET), variables, persisted
// queries, envelope errors and real-world documents.
#include "parsers/graphql/graphql_inspector.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/parsers/graphql/counting_new.h"
#include "tests/unit/parsers/graphql/graphql_harness.h"

namespace weir::parse::test {
namespace {

// A GitHub GraphQL API v4 query as their docs and Octokit send it.
const char* kGithubQuery = R"(query RepoIssues($owner: String!, $name: String!, $first: Int = 20, $after: String) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    stargazerCount
    issues(first: $first, after: $after, states: [OPEN], orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount
      pageInfo { endCursor hasNextPage }
      edges {
        node {
          ...IssueFields
          labels(first: 5) { nodes { name color } }
        }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}

fragment IssueFields on Issue {
  number
  title
  author { login ... on User { company } }
  createdAt
})";

TEST(GraphqlInspector, GithubStyleJsonRequest) {
  const std::string body = std::string(R"({"query":)") + json_quote(kGithubQuery) +
                           R"(,"variables":{"owner":"octocat","name":"Hello-World","after":null},)"
                           R"("operationName":"RepoIssues"})";
  const GqlRun r = run_graphql(body);
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0];
  EXPECT_EQ(r.arg("RepoIssues.repository.owner"), "$owner");
  EXPECT_EQ(r.arg("RepoIssues.repository.issues.states[0]"), "OPEN");
  EXPECT_EQ(r.arg("RepoIssues.repository.issues.orderBy.direction"), "DESC");
  EXPECT_EQ(r.arg("RepoIssues.repository.issues.edges.node.labels.first"), "5");
  EXPECT_EQ(r.var("$owner"), "octocat");
  EXPECT_EQ(r.var("$name"), "Hello-World");
  EXPECT_EQ(r.var("$after"), "null");
  EXPECT_EQ(r.var("$first"), "20");  // default value
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].name, "RepoIssues");
  EXPECT_TRUE(r.ops[0].selected);
  // repository > issues > edges > node > labels > nodes > name
  EXPECT_EQ(r.ops[0].depth, 7u);
  EXPECT_FALSE(r.batched);
  EXPECT_EQ(r.requests, 1u);
}

TEST(GraphqlInspector, VariablesAsJsonString) {
  const GqlRun r = run_graphql(
      R"({"query":"query($id: ID!){ user(id: $id) { name } }","variables":"{\"id\":\"1' OR '1'='1\",\"f\":{\"a\":[1]}}"})");
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_EQ(r.var("$id"), "1' OR '1'='1");
  EXPECT_EQ(r.var("$f.a[0]"), "1");
}

TEST(GraphqlInspector, BatchAndMaxBatch) {
  std::string batch = "[";
  for (int i = 0; i < 4; ++i) {
    if (i > 0) batch += ",";
    batch += R"({"query":"query Q)" + std::to_string(i) + R"( { a(i: )" + std::to_string(i) +
             R"() }","variables":{"v":"value)" + std::to_string(i) + R"("}})";
  }
  batch += "]";
  GraphqlPolicy p;
  p.max_batch = 4;
  GqlRun r = run_graphql(batch, GqlTransport::Json, p);
  EXPECT_TRUE(r.batched);
  EXPECT_EQ(r.requests, 4u);
  EXPECT_FALSE(r.has("graphql.max_batch"));
  ASSERT_EQ(r.ops.size(), 4u);
  EXPECT_EQ(r.ops[3].name, "Q3");
  EXPECT_EQ(r.ops[3].request_index, 3u);
  EXPECT_EQ(r.arg("Q2.a.i"), "2");
  // Each element's variables survive the flattening of the next one.
  ASSERT_EQ(r.vars.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.vars[i].second, "value" + std::to_string(i));
  p.max_batch = 3;
  r = run_graphql(batch, GqlTransport::Json, p);
  EXPECT_TRUE(r.has("graphql.max_batch"));
  EXPECT_EQ(r.arg("Q3.a.i"), "3");  // still inspected
}

TEST(GraphqlInspector, VariablesPastTheFieldCapKeepTheRequestCapped) {
  ParseLimits limits;
  limits.max_fields = 8;
  std::string vars = "{";
  for (int i = 0; i < 20; ++i) vars += (i > 0 ? ",\"v" : "\"v") + std::to_string(i) + "\":" + std::to_string(i);
  vars += "}";
  const GqlRun r = run_graphql(R"({"query":"{ a }","variables":)" + vars + "}", GqlTransport::Json,
                               {}, limits);
  // The flattener stops at the cap and keeps the whole variables object raw.
  EXPECT_EQ(r.status, GraphqlStatus::Capped);
  EXPECT_TRUE(r.has("json.field_cap"));
  EXPECT_LE(r.vars.size() + r.args.size() + r.raw.size(), 8u);
  EXPECT_EQ(r.var("$v0"), "0");
  EXPECT_EQ(r.var(""), vars);
  // In a batch each element's variables fit the flattener, but together
  // they pass the request's field cap.
  const std::string five = R"({"query":"{ a }","variables":{"a":1,"b":2,"c":3,"d":4,"e":5}})";
  const GqlRun batch = run_graphql("[" + five + "," + five + "]", GqlTransport::Json, {}, limits);
  EXPECT_EQ(batch.status, GraphqlStatus::Capped);
  EXPECT_TRUE(batch.has("graphql.field_cap"));
  EXPECT_FALSE(batch.has("json.field_cap"));
  EXPECT_EQ(batch.vars.size(), 8u);
}

TEST(GraphqlInspector, PersistedQueries) {
  const std::string hash = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38";
  GqlRun r = run_graphql(
      R"({"operationName":"GetUser","variables":{"id":"5"},"extensions":{"persistedQuery":{"version":1,"sha256Hash":")" +
      hash + R"("}}})");
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_TRUE(r.ops[0].persisted_only);
  EXPECT_EQ(r.ops[0].hash, hash);
  EXPECT_EQ(r.ops[0].name, "GetUser");
  EXPECT_EQ(r.var("$id"), "5");
  // With the query (APQ registration), the document is inspected and the
  // hash recorded on its operation.
  r = run_graphql(R"({"query":"{ a(x: 1) }","extensions":{"persistedQuery":{"version":1,"sha256Hash":")" +
                  hash + R"("}}})");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_FALSE(r.ops[0].persisted_only);
  EXPECT_EQ(r.ops[0].hash, hash);
  EXPECT_EQ(r.arg("query.a.x"), "1");
  // Neither: noted.
  EXPECT_TRUE(run_graphql(R"({"variables":{}})").has("graphql.no_query"));
}

TEST(GraphqlInspector, BadEnvelopes) {
  for (const char* bad : {R"({"query": 5})", R"("query")", R"({"query":"{a}"} x)", R"({"query":)",
                          R"([{"query":"{a}"}, 7])", "not json"}) {
    const GqlRun r = run_graphql(bad);
    EXPECT_EQ(r.status, GraphqlStatus::Malformed) << bad;
    EXPECT_TRUE(r.has("graphql.bad_envelope")) << bad;
    ASSERT_FALSE(r.raw.empty()) << bad;
    EXPECT_EQ(r.raw.back(), bad);
  }
}

TEST(GraphqlInspector, DuplicateMembersAreAmbiguous) {
  GqlRun r = run_graphql(R"({"query":"{ a(x: \"evil\") }","query":"{ b }"})");
  EXPECT_TRUE(r.has("graphql.duplicate_key"));
  EXPECT_EQ(r.arg("query.a.x"), "<missing>");  // the last query is the one inspected
  ASSERT_EQ(r.ops.size(), 1u);
  // Both variable objects are inspected.
  r = run_graphql(R"({"query":"{ b }","variables":{"v":"first"},"variables":{"w":"second"}})");
  EXPECT_TRUE(r.has("graphql.duplicate_key"));
  EXPECT_EQ(r.var("$v"), "first");
  EXPECT_EQ(r.var("$w"), "second");
  EXPECT_FALSE(run_graphql(R"({"query":"{ b }","variables":{"v":1}})").has("graphql.duplicate_key"));
}

TEST(GraphqlInspector, DocumentParseErrorInJsonKeepsRawDocument) {
  const GqlRun r = run_graphql(R"({"query":"{ user(id: \"1' UNION SELECT\" "})");
  EXPECT_EQ(r.status, GraphqlStatus::Malformed);
  EXPECT_TRUE(r.has("graphql.parse_error"));
  EXPECT_EQ(r.arg(""), "{ user(id: \"1' UNION SELECT\" ");
}

TEST(GraphqlInspector, ApplicationGraphqlBody) {
  const GqlRun r = run_graphql("mutation Login { login(user: \"admin\", pass: \"x\") { token } }",
                               GqlTransport::Document);
  EXPECT_EQ(r.arg("Login.login.user"), "admin");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].type, GraphqlOperationType::Mutation);
}

TEST(GraphqlInspector, GetQueryString) {
  // curl -G --data-urlencode query=... --data-urlencode variables=...
  const GqlRun r = run_graphql(
      "query=query%20Q(%24id%3A%20ID)%20%7B%20user(id%3A%20%24id%2C%20x%3A%20%22a+b%22)%20%7B%20name%20%7D%20%7D"
      "&variables=%7B%22id%22%3A%2242%22%7D&operationName=Q&other=1",
      GqlTransport::Get);
  EXPECT_EQ(r.status, GraphqlStatus::Ok);
  EXPECT_EQ(r.arg("Q.user.id"), "$id");
  EXPECT_EQ(r.arg("Q.user.x"), "a b");
  EXPECT_EQ(r.var("$id"), "42");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_TRUE(r.ops[0].selected);
  // Persisted query over GET.
  const GqlRun p = run_graphql(
      "operationName=Q&extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22abc%22%7D%7D",
      GqlTransport::Get);
  ASSERT_EQ(p.ops.size(), 1u);
  EXPECT_TRUE(p.ops[0].persisted_only);
  EXPECT_EQ(p.ops[0].hash, "abc");
}

TEST(GraphqlInspector, ContentTypeAndPathHelpers) {
  EXPECT_TRUE(is_graphql_content_type("application/graphql"));
  EXPECT_TRUE(is_graphql_content_type("Application/GraphQL; charset=utf-8"));
  EXPECT_FALSE(is_graphql_content_type("application/json"));
  EXPECT_TRUE(is_graphql_path("/graphql"));
  EXPECT_TRUE(is_graphql_path("/api/v2/GraphQL/?x=1"));
  EXPECT_TRUE(is_graphql_path("/gql"));
  EXPECT_FALSE(is_graphql_path("/graphql/schema"));
  EXPECT_FALSE(is_graphql_path("/users"));
}

TEST(GraphqlInspector, WarmInspectorDoesNotAllocate) {
  ParseLimits limits;
  const long at_start = g_new_calls.load();
  GraphqlInspector inspector(limits);
  EXPECT_GT(g_new_calls.load(), at_start);  // the counter sees start-up allocations
  JsonFlattener json(limits);
  Arena arena(1 << 20);
  std::string body = std::string(R"([{"query":)") + json_quote(kGithubQuery) +
                     R"(,"variables":{"owner":"o","name":"n","x":[1,{"y":"z"}]}},)"
                     R"({"query":"{ a(s: \"\\u0041\") { ...F } } fragment F on T { b }"}])";
  const size_t size = body.size();
  body.append(JsonFlattener::kPadding, '\0');
  long before = 0;
  for (int i = 0; i < 2; ++i) {
    arena.reset();
    FieldList fields(arena, 256);
    FindingList findings(arena, 16);
    GraphqlResult result;
    before = g_new_calls.load();
    EXPECT_EQ(inspector.inspect_json({body.data(), size}, {}, json, arena, fields, findings, result),
              GraphqlStatus::Ok);
    EXPECT_GT(fields.size(), 10u);
  }
  EXPECT_EQ(g_new_calls.load() - before, 0);
}

TEST(GraphqlInspector, ReusedAcrossRequests) {
  // The same inspector serves request after request (per-call state reset).
  ParseLimits limits;
  GraphqlInspector inspector(limits);
  JsonFlattener json(limits);
  Arena arena(1 << 20);
  for (int i = 0; i < 3; ++i) {
    arena.reset();
    std::string body = R"({"query":"{ __schema { types { name } } }"})";
    body.append(JsonFlattener::kPadding, '\0');
    FieldList fields(arena, 64);
    FindingList findings(arena, 8);
    GraphqlResult result;
    inspector.inspect_json({body.data(), body.size() - JsonFlattener::kPadding}, {}, json, arena,
                           fields, findings, result);
    EXPECT_TRUE(result.introspection);
    EXPECT_EQ(findings.size(), 1u);
    EXPECT_EQ(result.operations.size(), 1u);
  }
}

}  // namespace
}  // namespace weir::parse::test
