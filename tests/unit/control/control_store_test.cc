// Store: exactly-once alerts, listing order, audit, blocks, migrations,
// retention by age and by row count.
#include "control/store/control_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

namespace weir::ctl {
namespace {

std::string temp_db() {
  char dir[] = "/tmp/weir_store_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return std::string(dir) + "/store.db";
}

AlertRecord alert(uint64_t event_id, int severity = 2, int64_t received_ns = 1000) {
  AlertRecord a;
  a.event_id = event_id;
  a.ts_ns = 10;
  a.received_ns = received_ns;
  a.kind = 1;
  a.severity = severity;
  a.rule_id = 942100;
  a.class_name = "sqli";
  a.zone = "query_arg";
  a.proto = 6;
  a.client = "198.18.0.10";
  a.client_port = 40000;
  a.server = "198.19.0.20";
  a.server_port = 80;
  a.text = std::string("id=1' OR \xff", 10);
  return a;
}

TEST(ControlStore, DuplicateEventIdsAreStoredOnce) {
  Store store(temp_db());
  EXPECT_EQ(store.insert_alerts({alert(1), alert(2), alert(3)}), 3u);
  // A replay after reconnect brings 2 and 3 again, plus a new one.
  EXPECT_EQ(store.insert_alerts({alert(2), alert(3), alert(4)}), 1u);
  EXPECT_EQ(store.count_alerts(), 4);
  // Top-bit event ids (boot numbers >= 2^19) survive the signed column.
  EXPECT_EQ(store.insert_alerts({alert(0xfedcba9876543210ull)}), 1u);
  auto newest = store.list_alerts({});
  ASSERT_FALSE(newest.empty());
  EXPECT_EQ(newest[0].event_id, 0xfedcba9876543210ull);
  EXPECT_EQ(newest[0].text, std::string("id=1' OR \xff", 10));
}

TEST(ControlStore, ListingOrderAndFilters) {
  Store store(temp_db());
  store.insert_alerts({alert(1, 0), alert(2, 3), alert(3, 4), alert(4, 1)});
  auto newest = store.list_alerts({.limit = 2});
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].event_id, 4u);
  auto after = store.list_alerts({.after_id = newest[1].id - 2, .limit = 10});
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].event_id, 2u);  // oldest first
  auto high = store.list_alerts({.min_severity = 3});
  ASSERT_EQ(high.size(), 2u);
  auto before = store.list_alerts({.before_id = newest[1].id, .limit = 10});
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].event_id, 2u);  // newest first
  auto one = store.get_alert(after[0].id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->rule_id, 942100u);
  EXPECT_FALSE(store.get_alert(9999));
}

TEST(ControlStore, WaitForAlertsWakesOnInsert) {
  Store store(temp_db());
  EXPECT_FALSE(store.wait_for_alerts(0, std::chrono::milliseconds(20)));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store.insert_alerts({alert(9)});
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(store.wait_for_alerts(0, std::chrono::seconds(5)));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  writer.join();
}

TEST(ControlStore, InterruptReleasesWaitersAtOnce) {
  Store store(temp_db());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store.interrupt_waits();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(store.wait_for_alerts(0, std::chrono::seconds(30)));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  stopper.join();
}

TEST(ControlStore, MigratesAnOldDatabaseKeepingItsRows) {
  const std::string path = temp_db();
  {
    Store v1(path, 1);
    EXPECT_EQ(v1.schema_version(), 1);
    v1.insert_alerts({alert(1)});
  }
  Store store(path);
  EXPECT_EQ(store.schema_version(), kSchemaVersion);
  EXPECT_EQ(store.count_alerts(), 1);
  store.put_block({.cidr = "198.18.0.0/24", .ttl_s = 0, .created_ns = 1});  // a v2 table
  EXPECT_EQ(store.list_blocks().size(), 1u);
}

TEST(ControlStore, RefusesADatabaseFromTheFuture) {
  const std::string path = temp_db();
  {
    SqliteDb db(path);
    migrate(db);
    db.exec("INSERT INTO schema_version(version) VALUES (99)");
  }
  EXPECT_THROW(Store s(path), StoreError);
}

TEST(ControlStore, RetentionByAgeAndByRows) {
  Store store(temp_db());
  const int64_t now = 100LL * 86400 * 1000000000LL;
  const int64_t day = 86400LL * 1000000000LL;
  std::vector<AlertRecord> rows;
  for (uint64_t i = 0; i < 10; ++i) rows.push_back(alert(i, 2, now - static_cast<int64_t>(i) * day));
  store.insert_alerts(rows);
  // Ages 0..9 days: a 5-day limit removes the 4 older than 5 days (6..9).
  auto r = store.apply_retention({.max_age_s = 5 * 86400, .max_alerts = 0, .max_audit = 0}, now - day / 2);
  EXPECT_EQ(r.alerts_deleted, 4);
  EXPECT_EQ(store.count_alerts(), 6);
  r = store.apply_retention({.max_age_s = 0, .max_alerts = 2, .max_audit = 0}, now);
  EXPECT_EQ(r.alerts_deleted, 4);
  auto left = store.list_alerts({});
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].event_id, 5u);  // the newest rows by id stay
  EXPECT_EQ(left[1].event_id, 4u);
  // Ids keep growing after deletes, so a tail never sees an id twice.
  store.insert_alerts({alert(100)});
  EXPECT_GT(store.list_alerts({.limit = 1})[0].id, left[0].id);
}

TEST(ControlStore, AuditBlocksAndState) {
  Store store(temp_db());
  store.add_audit({.at_ns = 1, .uid = 0, .user = "root", .action = "mode", .target = "block"});
  store.add_audit({.at_ns = 2, .uid = 1000, .user = "ops", .action = "config_apply", .diff = "+x"});
  auto log = store.list_audit(-1, -1, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "config_apply");
  EXPECT_EQ(log[0].diff, "+x");
  EXPECT_EQ(store.list_audit(log[1].id, -1, 10).size(), 1u);

  EXPECT_FALSE(store.put_block({.cidr = "198.18.0.10/32", .ttl_s = 10, .created_ns = 5, .expires_ns = 50}));
  EXPECT_TRUE(store.put_block({.cidr = "198.18.0.10/32", .ttl_s = 20, .created_ns = 6, .expires_ns = 60}));
  store.put_block({.cidr = "2001:2::/64", .created_ns = 7});
  EXPECT_EQ(store.list_blocks().size(), 2u);
  EXPECT_TRUE(store.take_expired_blocks(59).empty());
  auto expired = store.take_expired_blocks(60);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].ttl_s, 20u);
  EXPECT_FALSE(store.remove_block("198.18.0.10/32"));
  auto removed = store.remove_block("2001:2::/64");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->expires_ns, 0);

  EXPECT_FALSE(store.get_state("mode"));
  store.set_state("mode", "block");
  EXPECT_EQ(store.get_state("mode").value_or(""), "block");
}

}  // namespace
}  // namespace weir::ctl
