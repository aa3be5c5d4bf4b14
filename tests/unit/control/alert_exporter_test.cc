// AlertExporter driven by hand (run_once): a JSON lines target whose
// directory is missing fails, alerts go to the spool, the cursor moves and
// is persisted; once the directory exists the spool drains in order after
// the backoff; a restart resumes from the persisted cursor and spool;
// filters count what they skip.
#include "control/export/alert_exporter.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace weir::ctl {
namespace {

std::string temp_dir() {
  char dir[] = "/tmp/weir_exporter_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

AlertRecord alert(uint64_t event_id, int severity, const std::string& cls = "sqli") {
  AlertRecord a;
  a.event_id = event_id;
  a.ts_ns = 1000;
  a.received_ns = 1000;
  a.kind = 1;
  a.severity = severity;
  a.class_name = cls;
  a.client = "198.18.0.10";
  a.server = "198.19.0.20";
  a.server_port = 80;
  a.proto = 6;
  return a;
}

std::vector<std::string> event_ids(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line)["event_id"].get<std::string>());
  return out;
}

TEST(AlertExporter, SpoolsWhileTheTargetFailsAndDeliversInOrderLater) {
  const std::string dir = temp_dir();
  Store store(dir + "/store.db");
  config::ExporterConfig cfg;
  cfg.name = "file";
  cfg.type = config::ExporterType::JsonLines;
  cfg.path = dir + "/out/alerts.jsonl";  // out/ does not exist yet: writes fail
  cfg.retry_initial_ms = 1000;
  cfg.retry_max_ms = 1000;
  const int64_t t0 = 1'000'000'000'000;
  {
    AlertExporter ex(store, cfg, dir);
    store.insert_alerts({alert(1, 3), alert(2, 2)});
    EXPECT_TRUE(ex.run_once(t0));
    ExporterStatus s = ex.status();
    EXPECT_EQ(s.sent, 0u);
    EXPECT_EQ(s.failed, 1u);
    EXPECT_EQ(s.spooled, 2u);
    EXPECT_EQ(s.spool_records, 2u);
    EXPECT_EQ(s.cursor, 2);
    EXPECT_NE(s.last_error.find("alerts.jsonl"), std::string::npos);
    // New alerts queue behind the spool, even before the retry is due.
    store.insert_alerts({alert(3, 4)});
    ex.run_once(t0 + 1);
    EXPECT_EQ(ex.status().spool_records, 3u);
  }
  EXPECT_EQ(store.export_cursor("file"), 3);
  // Restart with the receiver still down: the spool is still there.
  ASSERT_EQ(mkdir((dir + "/out").c_str(), 0700), 0);
  AlertExporter ex(store, cfg, dir);
  EXPECT_EQ(ex.status().spool_records, 3u);
  EXPECT_EQ(ex.status().cursor, 3);
  store.insert_alerts({alert(4, 1)});
  EXPECT_TRUE(ex.run_once(t0 + 2));  // no retry pending after a restart: drains now
  const ExporterStatus s = ex.status();
  EXPECT_EQ(s.sent, 4u);
  EXPECT_EQ(s.retried, 3u);
  EXPECT_EQ(s.spool_records, 0u);
  EXPECT_TRUE(s.last_error.empty());
  EXPECT_EQ(event_ids(cfg.path),
            (std::vector<std::string>{"0000000000000001", "0000000000000002", "0000000000000003",
                                      "0000000000000004"}));
}

TEST(AlertExporter, WaitsForTheBackoffBeforeRetrying) {
  const std::string dir = temp_dir();
  Store store(dir + "/store.db");
  config::ExporterConfig cfg;
  cfg.name = "f";
  cfg.path = dir + "/later/a.jsonl";
  cfg.retry_initial_ms = 2000;
  cfg.retry_max_ms = 2000;
  AlertExporter ex(store, cfg, dir);
  const int64_t t0 = 5'000'000'000'000;
  store.insert_alerts({alert(1, 3)});
  ex.run_once(t0);
  ASSERT_EQ(mkdir((dir + "/later").c_str(), 0700), 0);
  ex.run_once(t0 + 900'000'000);  // < 1 s: the delay is in [1 s, 2 s]
  EXPECT_EQ(ex.status().sent, 0u);
  ex.run_once(t0 + 2'000'000'000);
  EXPECT_EQ(ex.status().sent, 1u);
  EXPECT_EQ(ex.status().retried, 1u);
}

TEST(AlertExporter, FiltersSkipAndCount) {
  const std::string dir = temp_dir();
  Store store(dir + "/store.db");
  config::ExporterConfig cfg;
  cfg.name = "f";
  cfg.path = dir + "/a.jsonl";
  cfg.min_severity = 2;
  cfg.classes = {"sqli", "xss"};
  cfg.servers = {*config::Cidr::parse("198.19.0.0/16")};
  AlertExporter ex(store, cfg, dir);
  AlertRecord elsewhere = alert(5, 4);
  elsewhere.server = "198.18.9.9";
  store.insert_alerts({alert(1, 1), alert(2, 3), alert(3, 3, "scanner"), alert(4, 4, "xss"), elsewhere});
  ex.run_once(1);
  EXPECT_EQ(ex.status().sent, 2u);
  EXPECT_EQ(ex.status().filtered, 3u);
  EXPECT_EQ(event_ids(cfg.path), (std::vector<std::string>{"0000000000000002", "0000000000000004"}));
}

TEST(AlertExporter, ANewExporterStartsAtTheNewestAlert) {
  const std::string dir = temp_dir();
  Store store(dir + "/store.db");
  store.insert_alerts({alert(1, 3), alert(2, 3)});
  config::ExporterConfig cfg;
  cfg.name = "late";
  cfg.path = dir + "/a.jsonl";
  AlertExporter ex(store, cfg, dir);
  EXPECT_FALSE(ex.run_once(1));
  store.insert_alerts({alert(3, 3)});
  ex.run_once(2);
  EXPECT_EQ(event_ids(cfg.path), (std::vector<std::string>{"0000000000000003"}));
}

TEST(JsonlRotation, RotatesBySizeAndKeepsN) {
  const std::string dir = temp_dir();
  Store store(dir + "/store.db");
  config::ExporterConfig cfg;
  cfg.name = "rot";
  cfg.path = dir + "/a.jsonl";
  cfg.max_mb = 1;
  cfg.keep = 2;
  AlertExporter ex(store, cfg, dir);
  AlertRecord big = alert(1, 3);
  big.text = std::string(300 * 1024, 'x');
  std::vector<AlertRecord> rows;
  for (uint64_t i = 1; i <= 10; ++i) {
    big.event_id = i;
    rows.push_back(big);
  }
  store.insert_alerts(rows);
  ex.run_once(1);
  EXPECT_EQ(ex.status().sent, 10u);
  struct stat st {};
  EXPECT_EQ(stat((cfg.path + ".1").c_str(), &st), 0);
  EXPECT_LE(st.st_size, 1 << 20);
  EXPECT_EQ(stat((cfg.path + ".2").c_str(), &st), 0);
  EXPECT_NE(stat((cfg.path + ".3").c_str(), &st), 0);
  EXPECT_EQ(event_ids(cfg.path).back(), "000000000000000a");
}

}  // namespace
}  // namespace weir::ctl
