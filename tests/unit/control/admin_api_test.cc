// Admin API over a real Unix socket: status codes and error objects for
// malformed input, method/path errors, limits, pipelining, long-poll tail,
// the 0600 socket, and a robustness run of mutated requests.
#include "control/admin/admin_api.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <thread>

#include "tests/unit/control/control_test_util.h"

namespace weir::ctl {
namespace {

using testing_util::Reply;
using testing_util::RunningControl;

TEST(AdminApi, StatusAnswersWithTheDocumentedShape) {
  RunningControl rc;
  const Reply r = rc.call("GET", "/v1/status");
  ASSERT_EQ(r.status, 200) << r.head;
  EXPECT_EQ(r.body["mode"], "monitor");
  EXPECT_EQ(r.body["config"]["generation"], 1);
  EXPECT_EQ(r.body["dataplane"]["connected"], false);
  EXPECT_EQ(r.body["store"]["alerts"], 0);
  EXPECT_NE(r.head.find("Content-Type: application/json"), std::string::npos);
}

struct ErrorCase {
  const char* method;
  const char* target;
  const char* body;
  int status;
  const char* code;
  const char* field;  // "" = no field expected
};

TEST(AdminApi, BadInputGivesTheErrorObject) {
  RunningControl rc;
  const ErrorCase cases[] = {
      {"POST", "/v1/blocks", "{\"cidr\": ", 400, "bad_json", ""},
      {"POST", "/v1/blocks", "", 400, "bad_json", ""},
      {"POST", "/v1/blocks", "[1,2]", 400, "bad_json", ""},
      {"POST", "/v1/blocks", "{\"cidr\":\"198.18.0.1\",\"ttl\":5}", 400, "unknown_field", "ttl"},
      {"POST", "/v1/blocks", "{\"cidr\":\"198.18.0.1\",\"ttl_s\":\"5\"}", 400, "wrong_type", "ttl_s"},
      {"POST", "/v1/blocks", "{\"cidr\":\"198.18.0.1\",\"ttl_s\":1.5}", 400, "wrong_type", "ttl_s"},
      {"POST", "/v1/blocks", "{\"cidr\":\"198.18.0.1\",\"ttl_s\":-1}", 400, "invalid_value", "ttl_s"},
      {"POST", "/v1/blocks", "{\"cidr\":7}", 400, "wrong_type", "cidr"},
      {"POST", "/v1/blocks", "{\"ttl_s\":5}", 400, "missing_field", "cidr"},
      {"POST", "/v1/blocks", "{\"cidr\":\"198.18.0.1/15\"}", 400, "invalid_value", "cidr"},
      {"POST", "/v1/blocks", "{\"cidr\":\"example.com\"}", 400, "invalid_value", "cidr"},
      {"DELETE", "/v1/blocks", "", 400, "missing_field", "cidr"},
      {"DELETE", "/v1/blocks?cidr=198.18.0.99", "", 404, "not_found", "cidr"},
      {"PUT", "/v1/mode", "{\"mode\":\"off\"}", 400, "invalid_value", "mode"},
      {"PUT", "/v1/mode", "{\"mode\":true}", 400, "wrong_type", "mode"},
      {"GET", "/v1/alerts?limit=0", "", 400, "invalid_value", "limit"},
      {"GET", "/v1/alerts?limit=ten", "", 400, "wrong_type", "limit"},
      {"GET", "/v1/alerts?colour=red", "", 400, "unknown_field", "colour"},
      {"GET", "/v1/alerts?limit=1&limit=2", "", 400, "invalid_value", "limit"},
      {"GET", "/v1/alerts?wait_ms=100", "", 400, "invalid_value", "wait_ms"},
      {"GET", "/v1/alerts?min_severity=urgent", "", 400, "invalid_value", "min_severity"},
      {"GET", "/v1/alerts?after_id=%zz", "", 400, "invalid_value", ""},
      {"GET", "/v1/alerts/abc", "", 400, "invalid_value", "id"},
      {"GET", "/v1/alerts/42", "", 404, "not_found", "id"},
      {"GET", "/v1/status?verbose=1", "", 400, "unknown_field", "verbose"},
      {"GET", "/v1/nothing", "", 404, "not_found", ""},
      {"GET", "/", "", 404, "not_found", ""},
      {"DELETE", "/v1/status", "", 405, "method_not_allowed", ""},
      {"GET", "/v1/config/apply", "", 405, "method_not_allowed", ""},
      {"POST", "/v1/config/validate", "{\"yaml\":1}", 400, "wrong_type", "yaml"},
      {"POST", "/v1/config/apply", "{\"yaml\":\"a: 1\",\"force\":true}", 400, "unknown_field", "force"},
      {"GET", "/v1/stats", "", 503, "no_counters", ""},
      {"GET", "/v1/flows", "", 503, "dataplane_unavailable", ""},
      {"GET", "/v1/flows?addr=nope", "", 400, "invalid_value", "addr"},
      {"GET", "/v1/flows?sort=age", "", 400, "invalid_value", "sort"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target + " " + c.body);
    const Reply r = rc.call(c.method, c.target, c.body);
    EXPECT_EQ(r.status, c.status);
    ASSERT_TRUE(r.body.is_object()) << r.head;
    EXPECT_EQ(r.body["error"]["code"], c.code);
    EXPECT_TRUE(r.body["error"]["message"].is_string());
    if (*c.field) {
      EXPECT_EQ(r.body["error"]["field"], c.field);
    }
  }
}

TEST(AdminApi, MethodNotAllowedListsTheAllowedMethods) {
  RunningControl rc;
  const Reply r = rc.call("PATCH", "/v1/blocks");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.head.find("Allow: DELETE, GET, POST"), std::string::npos) << r.head;
}

TEST(AdminApi, OversizedBodyAndMalformedHttpAreRefused) {
  RunningControl rc(HttpLimits{.max_header_bytes = 1024, .max_body_bytes = 1000});
  Reply r = rc.call("POST", "/v1/blocks", std::string(5000, ' '));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body["error"]["code"], "payload_too_large");
  r = testing_util::parse_reply(testing_util::raw_exchange(
      rc.admin_sock, "GET /v1/status HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(r.status, 413);
  r = testing_util::parse_reply(testing_util::raw_exchange(rc.admin_sock, "HELLO THERE\r\n\r\n"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["code"], "bad_request");
  r = testing_util::parse_reply(
      testing_util::raw_exchange(rc.admin_sock, "GET /v1/status HTTP/1.1\r\nContent-Length: x\r\n\r\n"));
  EXPECT_EQ(r.status, 400);
}

TEST(AdminApi, PipelinedRequestsAreAnsweredInOrder) {
  RunningControl rc;
  const std::string two =
      "GET /v1/mode HTTP/1.1\r\nHost: w\r\n\r\n"
      "PUT /v1/mode HTTP/1.1\r\nHost: w\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"mode\":\"block\"}";
  const std::string raw = testing_util::raw_exchange(rc.admin_sock, two);
  const size_t second = raw.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos) << raw;
  const Reply a = testing_util::parse_reply(raw.substr(0, second));
  const Reply b = testing_util::parse_reply(raw.substr(second));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(b.status, 200);
  EXPECT_NE(raw.find("\"mode\":\"monitor\""), std::string::npos);
  EXPECT_EQ(b.body["mode"], "block");
  EXPECT_EQ(b.body["previous"], "monitor");
  EXPECT_EQ(rc.call("GET", "/v1/mode").body["mode"], "block");
}

TEST(AdminApi, ChunkedBodyIsAccepted) {
  RunningControl rc;
  const std::string req =
      "POST /v1/blocks HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "9\r\n{\"cidr\":\"\r\n11\r\n198.18.0.7\",\"ttl_\r\n5\r\ns\":9}\r\n0\r\n\r\n";
  const Reply r = testing_util::parse_reply(testing_util::raw_exchange(rc.admin_sock, req));
  EXPECT_EQ(r.status, 201) << r.head;
  EXPECT_EQ(r.body["block"]["cidr"], "198.18.0.7/32");
}

TEST(AdminApi, BlocksAreListedCanonicalAndAudited) {
  RunningControl rc;
  Reply r = rc.call("POST", "/v1/blocks", R"({"cidr":"2001:2:0:0::/64","ttl_s":0,"reason":"test"})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body["block"]["cidr"], "2001:2::/64");
  EXPECT_TRUE(r.body["block"]["expires_at"].is_null());
  r = rc.call("POST", "/v1/blocks", R"({"cidr":"2001:2::/64","ttl_s":60})");
  EXPECT_EQ(r.status, 200);  // replaced
  EXPECT_TRUE(r.body["block"]["expires_at"].is_string());
  r = rc.call("GET", "/v1/blocks");
  ASSERT_EQ(r.body["blocks"].size(), 1u);
  r = rc.call("DELETE", "/v1/blocks?cidr=2001%3A2%3A%3A%2F64");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["removed"]["cidr"], "2001:2::/64");
  r = rc.call("GET", "/v1/audit?after_id=0");
  ASSERT_EQ(r.body["entries"].size(), 3u);
  EXPECT_EQ(r.body["entries"][0]["action"], "block");
  EXPECT_EQ(r.body["entries"][2]["action"], "unblock");
  EXPECT_EQ(r.body["entries"][2]["uid"], static_cast<int64_t>(getuid()));
  EXPECT_EQ(r.body["last_id"], r.body["entries"][2]["id"]);
}

TEST(AdminApi, ConfigValidateDiffApplyThroughTheApi) {
  RunningControl rc;
  std::string good = config::embedded_default_config();
  good.replace(good.find("burst: 32"), 9, "burst: 48");
  std::string bad = config::embedded_default_config();
  bad.replace(bad.find("burst: 32"), 9, "burst: []");
  const nlohmann::json good_req = {{"yaml", good}, {"source", "good.yaml"}};
  const nlohmann::json bad_req = {{"yaml", bad}, {"source", "bad.yaml"}};

  EXPECT_EQ(rc.call("POST", "/v1/config/validate", good_req.dump()).body["valid"], true);
  Reply r = rc.call("POST", "/v1/config/validate", bad_req.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["error"]["code"], "invalid_config");
  EXPECT_EQ(r.body["error"]["file"], "bad.yaml");
  EXPECT_EQ(r.body["error"]["field"], "dataplane.burst");
  r = rc.call("POST", "/v1/config/diff", good_req.dump());
  EXPECT_EQ(r.body["changed"], true);
  EXPECT_NE(r.body["diff"].get<std::string>().find("+  burst: 48"), std::string::npos);

  r = rc.call("POST", "/v1/config/apply", bad_req.dump());
  EXPECT_EQ(r.status, 422);
  std::string expected;
  try {
    config::parse_config(bad, "bad.yaml");
  } catch (const config::ConfigError& e) {
    expected = config::format_error(e);
  }
  EXPECT_EQ(r.body["error"]["message"], expected);
  EXPECT_EQ(rc.call("GET", "/v1/config").body["generation"], 1);

  r = rc.call("POST", "/v1/config/apply", good_req.dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["applied"], true);
  EXPECT_EQ(r.body["generation"], 2);
  r = rc.call("GET", "/v1/config");
  EXPECT_EQ(r.body["yaml"], good);
  EXPECT_EQ(r.body["source"], "good.yaml");
}

TEST(AdminApi, TailLongPollWakesOnANewAlert) {
  RunningControl rc;
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    AlertRecord a;
    a.event_id = 77;
    a.severity = 3;
    a.kind = 1;
    a.text = "boom";
    rc.cp->store().insert_alerts({a});
  });
  const auto t0 = std::chrono::steady_clock::now();
  const Reply r = rc.call("GET", "/v1/alerts?after_id=0&wait_ms=10000");
  const auto took = std::chrono::steady_clock::now() - t0;
  writer.join();
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["alerts"].size(), 1u);
  EXPECT_EQ(r.body["alerts"][0]["event_id"], "000000000000004d");
  EXPECT_EQ(r.body["alerts"][0]["severity"], "high");
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::seconds(3));
  const int64_t last = r.body["last_id"];
  // Nothing newer: the poll returns empty after wait_ms, keeping last_id.
  const Reply empty = rc.call("GET", "/v1/alerts?after_id=" + std::to_string(last) + "&wait_ms=200");
  EXPECT_EQ(empty.body["alerts"].size(), 0u);
  EXPECT_EQ(empty.body["last_id"], last);
}

TEST(AdminApi, SocketIsOwnerOnly) {
  RunningControl rc;
  struct stat st{};
  ASSERT_EQ(stat(rc.admin_sock.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  if (geteuid() != 0) GTEST_SKIP() << "needs root to try as another user";
  // The directory must be traversable for the test to reach the socket at
  // all; the socket's own mode is what must stop the other user.
  chmod(rc.dir.c_str(), 0755);
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    const int fd = testing_util::connect_unix(rc.admin_sock);
    _exit(fd < 0 && errno == EACCES ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "another user could connect to the admin socket";
}

TEST(AdminApi, RobustnessAgainstMutatedRequests) {
  RunningControl rc(HttpLimits{.max_header_bytes = 8192, .max_body_bytes = 65536, .max_connections = 32,
                               .idle_timeout_ms = 2000});
  const std::string seeds[] = {
      "GET /v1/status HTTP/1.1\r\nHost: w\r\n\r\n",
      "POST /v1/blocks HTTP/1.1\r\nContent-Length: 37\r\n\r\n{\"cidr\":\"198.18.0.1\",\"ttl_s\":10000000}",
      "PUT /v1/mode HTTP/1.1\r\nContent-Length: 18\r\n\r\n{\"mode\":\"monitor\"}",
      "GET /v1/alerts?after_id=0&limit=5 HTTP/1.1\r\n\r\n",
      "POST /v1/config/validate HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"yam\r\n0\r\n\r\n",
      "DELETE /v1/blocks?cidr=198.18.0.1%2F32 HTTP/1.1\r\n\r\n",
  };
  std::mt19937 rng(12345);
  const char interesting[] = {'\0', '\r', '\n', ' ', '{', '}', '"', '%', ':', '/', '?', '&', '\xff', '\\'};
  int answered = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string req = seeds[rng() % std::size(seeds)];
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits && !req.empty(); ++e) {
      const size_t at = rng() % req.size();
      switch (rng() % 5) {
        case 0: req[at] = static_cast<char>(rng() % 256); break;
        case 1: req.insert(at, 1, interesting[rng() % sizeof interesting]); break;
        case 2: req.erase(at, 1 + rng() % 8); break;
        case 3: req.insert(at, std::string(rng() % 300, static_cast<char>('A' + rng() % 26))); break;
        default: req = req.substr(0, at); break;
      }
    }
    const std::string raw = testing_util::raw_exchange(rc.admin_sock, req);
    if (raw.empty()) continue;  // incomplete request closed by us: no answer is right
    ASSERT_EQ(raw.rfind("HTTP/1.1 ", 0), 0u) << "request: " << req << "\nanswer: " << raw;
    const testing_util::Reply r = testing_util::parse_reply(raw.substr(0, raw.find("HTTP/1.1 ", 9)));
    ASSERT_TRUE(r.body.is_object()) << raw;
    if (r.status >= 400) {
      ASSERT_TRUE(r.body["error"]["code"].is_string()) << raw;
    }
    ASSERT_NE(r.status, 500) << "request: " << req << "\nanswer: " << raw;
    ++answered;
  }
  EXPECT_GT(answered, 500);
  EXPECT_EQ(rc.call("GET", "/v1/status").status, 200);
}

}  // namespace
}  // namespace weir::ctl
