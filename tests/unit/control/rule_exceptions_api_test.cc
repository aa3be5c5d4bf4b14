// POST /v1/rules/exceptions (control/admin/rule_exceptions_api.h): the
// body checks and the YAML item, appending to exceptions.yaml, and the
// whole round trip against the real dataplane channel (ControlLink): the
// reload sees the new file, a refused reload (422) or no dataplane (503)
// puts the file back, a duplicate id is 409, every outcome is audited.
#include "control/admin/rule_exceptions_api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "control/admin/api_json.h"
#include "dataplane/events/control_link.h"
#include "tests/unit/control/control_link_harness.h"
#include "tests/unit/control/control_test_util.h"

namespace weir {
namespace {

using ctl::testing_util::mono_ns;
using ctl::testing_util::Reply;
using ctl::testing_util::RunningControl;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int status_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ctl::ApiError& e) {
    return e.status();
  }
  return 200;
}

TEST(ExceptionItem, RendersTheKeysAsYamlAndRefusesBadBodies) {
  std::string id;
  const std::string y = ctl::exception_item_yaml(
      R"({"exception":{"id":"alert-7","comment":"c \"q\"","endpoint":{"regex":"^/a\\.b$"},)"
      R"("zones":["query_arg"],"names":["q"],"rules":["sqli-100","lexical-sqli"]}})",
      id);
  EXPECT_EQ(id, "alert-7");
  const YAML::Node n = YAML::Load("exceptions:\n" + y)["exceptions"][0];
  EXPECT_EQ(n["id"].as<std::string>(), "alert-7");
  EXPECT_EQ(n["comment"].as<std::string>(), "c \"q\"");
  EXPECT_EQ(n["endpoint"]["regex"].as<std::string>(), "^/a\\.b$");
  EXPECT_EQ(n["rules"][1].as<std::string>(), "lexical-sqli");
  for (const char* bad : {R"({"exception":{"id":"x"}})",                                  // no rules/classes
                          R"({"exception":{"id":"a b","rules":["r"]}})",                  // bad id
                          R"({"exception":{"id":"x","rules":[]}})",                       // empty list
                          R"({"exception":{"id":"x","rules":[1]}})",                      // not strings
                          R"({"exception":{"id":"x","rules":["r"],"host":"h"}})",         // unknown key
                          R"({"exception":{"id":"x","rules":["r"],"endpoint":{"path":"/"}}})",
                          R"({"exception":{"id":"x","rules":["\u0000"]}, "more": 1})",
                          R"({"exception":"x"})", "not json"})
    EXPECT_EQ(status_of([&] { ctl::exception_item_yaml(bad, id); }), 400) << bad;
}

TEST(ExceptionItem, AppendsToTheManagedFileOnly) {
  const std::string item = "  - id: \"b\"\n    rules: [\"r\"]\n";
  const std::string fresh = ctl::append_exception("", item, "b");
  EXPECT_EQ(YAML::Load(fresh)["exceptions"].size(), 1u);
  const std::string two = ctl::append_exception("# mine\nexceptions:\n  - id: a\n    rules: [r]", item, "b");
  EXPECT_TRUE(two.starts_with("# mine\n"));
  EXPECT_EQ(YAML::Load(two)["exceptions"][1]["id"].as<std::string>(), "b");
  EXPECT_EQ(YAML::Load(ctl::append_exception("exceptions:\n", item, "b"))["exceptions"].size(), 1u);
  EXPECT_EQ(status_of([&] { ctl::append_exception(two, item, "b"); }), 409);                         // duplicate
  EXPECT_EQ(status_of([&] { ctl::append_exception("exceptions: []\n", item, "b"); }), 409);           // flow list
  EXPECT_EQ(status_of([&] { ctl::append_exception("rules: []\nexceptions:\n", item, "b"); }), 409);  // more keys
  EXPECT_EQ(status_of([&] { ctl::append_exception("exceptions: [\n", item, "b"); }), 409);            // not YAML
}

// The dataplane's loader, reduced to what this test needs: it reads the
// exceptions file at reload time and refuses a rule id it does not know.
struct LoaderDouble : ctl::testing_util::QuietRuntime {
  std::string file;
  std::mutex mu;
  std::vector<std::string> seen;  ///< the file as each reload read it
  dp::CommandResult on_reload_rules() override {
    std::lock_guard lock(mu);
    seen.push_back(read(file));
    if (seen.back().find("no-such-rule") != std::string::npos)
      return {false, file + ":7: key 'rules': expected ids of existing rules ('no-such-rule' is not one)"};
    return {true, "generation " + std::to_string(seen.size() + 1) + ": 3 rules compiled in 1.0 ms"};
  }
};

TEST(RuleExceptionsApi, WritesReloadsAndRollsBack) {
  RunningControl rc;
  const std::string rules = rc.dir + "/rules";
  std::filesystem::create_directories(rules);
  // Point rules.dir at a folder of our own (the default is the source tree's).
  std::string yaml = rc.call("GET", "/v1/config").body["yaml"];
  const size_t at = yaml.find("  dir: rules");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 12, "  dir: " + rules);
  ASSERT_EQ(rc.call("POST", "/v1/config/apply", nlohmann::json{{"yaml", yaml}}.dump()).status, 200);

  LoaderDouble dp;
  dp.file = rules + "/exceptions.yaml";
  dp::ControlLinkOptions o;
  o.control.socket = rc.dp_sock;
  o.control.spool = rc.dir + "/dp-spool/spool.bin";
  o.control.spool_max_mb = 8;
  o.workers = 1;
  o.ring_size = 1024;
  o.counter_interval_ns = 100000000;
  std::string err;
  auto link = dp::ControlLink::create(o, dp, dp, err);
  ASSERT_TRUE(link) << err;
  auto call = [&](const std::string& body) {
    auto f = std::async(std::launch::async, [&] { return rc.call("POST", "/v1/rules/exceptions", body); });
    while (f.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
      link->poll(mono_ns());
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return f.get();
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!rc.cp->dataplane().status().connected && std::chrono::steady_clock::now() < deadline) {
    link->poll(mono_ns());
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  const Reply ok = call(R"({"exception":{"id":"alert-1","zones":["query_arg"],"names":["q"],"rules":["sqli-100"]}})");
  ASSERT_EQ(ok.status, 200) << ok.body.dump();
  EXPECT_EQ(ok.body["file"], dp.file);
  const std::string after_first = read(dp.file);
  ASSERT_EQ(dp.seen.size(), 1u);
  EXPECT_EQ(dp.seen[0], after_first);  // the reload read the new file
  EXPECT_NE(after_first.find("id: \"alert-1\""), std::string::npos);

  // The loader refuses: 422 with its file:line, the file is as before.
  const Reply refused = call(R"({"exception":{"id":"alert-2","rules":["no-such-rule"]}})");
  EXPECT_EQ(refused.status, 422) << refused.body.dump();
  EXPECT_NE(refused.body.dump().find("exceptions.yaml:7"), std::string::npos);
  EXPECT_EQ(read(dp.file), after_first);
  // A duplicate id never reaches the dataplane.
  EXPECT_EQ(call(R"({"exception":{"id":"alert-1","rules":["sqli-100"]}})").status, 409);
  EXPECT_EQ(dp.seen.size(), 2u);
  // No dataplane: 503, and the file is as before.
  link.reset();
  while (rc.cp->dataplane().status().connected) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(rc.call("POST", "/v1/rules/exceptions", R"({"exception":{"id":"alert-3","rules":["sqli-100"]}})").status,
            503);
  EXPECT_EQ(read(dp.file), after_first);

  const std::string audit = rc.call("GET", "/v1/audit?limit=50").body.dump();
  EXPECT_NE(audit.find("rules_exception_add"), std::string::npos);
  EXPECT_NE(audit.find("rules_exception_refused"), std::string::npos);
  EXPECT_NE(audit.find("alert-3"), std::string::npos);
}

}  // namespace
}  // namespace weir
