// ControlLink against a fake weir-control on a temporary Unix socket: spool
// while away and replay once, re-send of unacked batches, commands, counters.
#include "dataplane/events/control_link.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <set>

namespace weir::dp {
namespace {

std::string temp_dir() {
  char dir[] = "/tmp/weir_link_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

class FakeControl {
 public:
  explicit FakeControl(const std::string& path) : path_(path) {
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    unlink(path.c_str());
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 4), 0);
  }
  ~FakeControl() {
    drop();
    close(listen_fd_);
    unlink(path_.c_str());
  }
  bool connected() const { return fd_ >= 0; }
  void drop() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    reader_.clear();
  }
  // Accepts and reads whatever is there; returns the envelopes received.
  std::vector<ipc::Envelope> service() {
    std::vector<ipc::Envelope> got;
    if (fd_ < 0) {
      fd_ = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK);
      if (fd_ < 0) return got;
    }
    char buf[65536];
    for (;;) {
      const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) break;
      reader_.feed(buf, static_cast<size_t>(n));
    }
    ipc::Envelope env;
    while (reader_.next(env) == ipc::FrameStatus::Ok) got.push_back(env);
    return got;
  }
  void send(ipc::Envelope env) {
    env.set_seq(++seq_);
    std::string wire;
    ASSERT_TRUE(ipc::append_frame(env, wire));
    ASSERT_EQ(::send(fd_, wire.data(), wire.size(), MSG_NOSIGNAL), static_cast<ssize_t>(wire.size()));
  }
  void send_hello() {
    ipc::Envelope env;
    env.mutable_hello()->set_version(ipc::kProtocolVersion);
    env.mutable_hello()->set_instance_id("fake-control");
    send(env);
  }
  void ack(uint64_t ref) {
    ipc::Envelope env;
    env.mutable_ack()->set_ref(ref);
    env.mutable_ack()->set_ok(true);
    send(env);
  }
  uint64_t last_seq() const { return seq_; }

 private:
  std::string path_;
  int listen_fd_ = -1;
  int fd_ = -1;
  uint64_t seq_ = 0;
  ipc::FrameReader reader_;
};

struct RecordingHandler : CommandHandler {
  std::vector<std::string> calls;
  CommandResult on_config(const std::string& yaml, uint64_t generation) override {
    calls.push_back("config " + std::to_string(generation) + " " + yaml);
    return {};
  }
  CommandResult on_block(const config::Cidr& cidr, uint32_t ttl_s) override {
    calls.push_back("block " + cidr.to_string() + " " + std::to_string(ttl_s));
    return {};
  }
  CommandResult on_unblock(const config::Cidr& cidr) override {
    calls.push_back("unblock " + cidr.to_string());
    return {};
  }
  CommandResult on_mode(bool block) override {
    calls.push_back(block ? "mode block" : "mode monitor");
    return {false, "refused for the test"};
  }
  CommandResult on_reload_rules() override {
    calls.push_back("reload rules");
    return {true, "generation 2"};
  }
  void on_flow_query(const FlowQuery& q, FlowQueryReply& reply) override {
    calls.push_back("flows " + (q.has_filter ? q.filter.to_string() : std::string("all")) + " " +
                    std::to_string(q.limit));
    FlowSummary f;
    f.worker = 1;
    f.proto = 6;
    f.client_port = 40000;
    f.bytes = 1234;
    f.state = "established";
    reply.flows.push_back(f);
    reply.total_flows = 9;
    reply.truncated = true;
  }
};

struct FixedCounters : CounterSource {
  void snapshot(std::vector<std::pair<std::string, uint64_t>>& out) override {
    out.emplace_back("rx_packets", 5);
    out.emplace_back("worker.0.rx_packets", 2);
    out.emplace_back("worker.1.rx_packets", 3);
  }
};

class ControlLinkTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir();
    options_.control.socket = dir_ + "/dp.sock";
    options_.control.spool = dir_ + "/spool/spool.bin";
    options_.control.spool_max_mb = 4;
    options_.workers = 2;
    options_.ring_size = 2048;
    options_.counter_interval_ns = 1000000000000ull;  // only the first one
  }
  std::unique_ptr<ControlLink> make_link() {
    std::string err;
    auto link = ControlLink::create(options_, handler_, counters_, err);
    EXPECT_TRUE(link) << err;
    return link;
  }
  // Polls link and fake until `done` or the iteration cap; the fake answers
  // Hello and (when auto_ack_) acks every EventBatch.
  void pump(ControlLink& link, FakeControl& fake, const std::function<bool()>& done,
            int max_iters = 20000) {
    for (int i = 0; i < max_iters && !done(); ++i) {
      now_ += 1000000;  // 1 ms
      link.poll(now_);
      for (auto& env : fake.service()) {
        if (env.has_hello()) fake.send_hello();
        if (env.has_events()) {
          for (const auto& ev : env.events().events()) ids_.push_back(ev.id()), events_.push_back(ev);
          if (auto_ack_) fake.ack(env.seq());
        }
        received_.push_back(env);
      }
    }
  }
  std::string dir_;
  ControlLinkOptions options_;
  RecordingHandler handler_;
  FixedCounters counters_;
  uint64_t now_ = 1;
  bool auto_ack_ = true;
  std::vector<uint64_t> ids_;
  std::vector<ipc::Event> events_;
  std::vector<ipc::Envelope> received_;
};

TEST_F(ControlLinkTest, ThousandEventsRaisedWhileControlIsDownArriveOnce) {
  auto link = make_link();
  for (int i = 0; i < 1000; ++i) {
    Event ev;
    ev.rule_id = static_cast<uint32_t>(i);
    ASSERT_TRUE(link->worker_ring(i % 2).try_emit(ev));
  }
  for (int i = 0; i < 5; ++i) link->poll(now_ += 1000000);
  EXPECT_FALSE(link->stats().connected);
  EXPECT_EQ(link->stats().events_spooled, 1000u);
  EXPECT_EQ(link->stats().spool_pending, 1000u);

  FakeControl fake(options_.control.socket);
  pump(*link, fake, [&] { return ids_.size() >= 1000 && link->stats().spool_pending == 0; });
  EXPECT_TRUE(link->stats().connected);
  EXPECT_EQ(ids_.size(), 1000u);
  EXPECT_EQ(std::set<uint64_t>(ids_.begin(), ids_.end()).size(), 1000u);
  EXPECT_EQ(link->stats().spool_pending, 0u);
  EXPECT_EQ(link->stats().events_acked, 1000u);
}

TEST_F(ControlLinkTest, UnackedBatchIsSentAgainAfterReconnect) {
  auto link = make_link();
  FakeControl fake(options_.control.socket);
  pump(*link, fake, [&] { return link->stats().connected; });
  ASSERT_TRUE(link->stats().connected);
  auto_ack_ = false;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(link->worker_ring(1).try_emit(Event{}));
  pump(*link, fake, [&] { return ids_.size() >= 10; });
  ASSERT_EQ(ids_.size(), 10u);
  const std::set<uint64_t> first(ids_.begin(), ids_.end());
  fake.drop();  // weir-control dies before storing them
  ids_.clear();
  auto_ack_ = true;
  pump(*link, fake, [&] { return ids_.size() >= 10 && link->stats().spool_pending == 0; });
  EXPECT_EQ(std::set<uint64_t>(ids_.begin(), ids_.end()), first);
  EXPECT_GE(link->stats().disconnects, 1u);
  EXPECT_EQ(link->stats().spool_pending, 0u);
}

TEST_F(ControlLinkTest, CommandsReachTheHandlerAndAreAcked) {
  auto link = make_link();
  FakeControl fake(options_.control.socket);
  pump(*link, fake, [&] { return link->stats().connected; });
  ipc::Envelope env;
  env.mutable_config()->set_yaml("flow: {}\n");
  env.mutable_config()->set_generation(7);
  fake.send(env);
  const uint64_t config_seq = fake.last_seq();
  env.Clear();
  env.mutable_block_add()->set_cidr("198.18.0.0/24");
  env.mutable_block_add()->set_ttl_s(60);
  fake.send(env);
  env.Clear();
  env.mutable_block_remove()->set_cidr("not-an-address");
  fake.send(env);
  const uint64_t bad_seq = fake.last_seq();
  env.Clear();
  env.mutable_block_remove()->set_cidr("2001:2::/48");
  fake.send(env);
  env.Clear();
  env.mutable_set_mode()->set_block(true);
  fake.send(env);
  const uint64_t mode_seq = fake.last_seq();
  env.Clear();
  auto* q = env.mutable_flow_query();
  auto cidr = config::Cidr::parse("198.18.0.0/15");
  ASSERT_TRUE(cidr);
  q->set_has_filter(true);
  q->set_filter_addr(reinterpret_cast<const char*>(cidr->addr.data()), 16);
  q->set_filter_prefix_len(cidr->prefix_len);
  q->set_limit(5);
  fake.send(env);
  const uint64_t query_seq = fake.last_seq();
  env.Clear();
  env.mutable_raise_test_events()->set_count(5);
  fake.send(env);

  pump(*link, fake, [&] { return ids_.size() >= 5; });
  ASSERT_EQ(handler_.calls.size(), 5u);
  EXPECT_EQ(handler_.calls[0], "config 7 flow: {}\n");
  EXPECT_EQ(handler_.calls[1], "block 198.18.0.0/24 60");
  EXPECT_EQ(handler_.calls[2], "unblock 2001:2::/48");
  EXPECT_EQ(handler_.calls[3], "mode block");
  EXPECT_EQ(handler_.calls[4], "flows 198.18.0.0/15 5");

  std::map<uint64_t, ipc::Envelope> replies;
  for (auto& e : received_)
    if (e.ref() != 0) replies[e.ref()] = e;
  ASSERT_TRUE(replies.count(config_seq));
  EXPECT_TRUE(replies[config_seq].ack().ok());
  ASSERT_TRUE(replies.count(bad_seq));
  EXPECT_FALSE(replies[bad_seq].ack().ok());
  EXPECT_NE(replies[bad_seq].ack().message().find("not-an-address"), std::string::npos);
  EXPECT_FALSE(replies[mode_seq].ack().ok());
  EXPECT_EQ(replies[mode_seq].ack().message(), "refused for the test");
  ASSERT_TRUE(replies[query_seq].has_flow_list());
  EXPECT_EQ(replies[query_seq].flow_list().flows_size(), 1);
  EXPECT_EQ(replies[query_seq].flow_list().flows(0).bytes(), 1234u);
  EXPECT_EQ(replies[query_seq].flow_list().total_flows(), 9u);
  EXPECT_TRUE(replies[query_seq].flow_list().truncated());

  ASSERT_EQ(events_.size(), 5u);
  for (const auto& ev : events_) {
    EXPECT_EQ(ev.kind(), static_cast<uint32_t>(EventKind::Test));
    EXPECT_EQ(ev.worker(), kMainLcoreWorker);
  }
}

TEST_F(ControlLinkTest, CounterSnapshotSplitsWorkersFromTotals) {
  auto link = make_link();
  FakeControl fake(options_.control.socket);
  const ipc::CounterSnapshot* snap = nullptr;
  pump(*link, fake, [&] {
    for (auto& e : received_)
      if (e.has_counters()) snap = &e.counters();
    return snap != nullptr;
  });
  ASSERT_NE(snap, nullptr);
  std::map<std::string, uint64_t> totals;
  for (const auto& c : snap->totals()) totals[c.name()] = c.value();
  EXPECT_EQ(totals["rx_packets"], 5u);
  EXPECT_TRUE(totals.count("events.ring_overflow"));
  EXPECT_FALSE(totals.count("worker.0.rx_packets"));
  ASSERT_EQ(snap->workers_size(), 2);
  EXPECT_EQ(snap->workers(0).worker(), 0u);
  EXPECT_EQ(snap->workers(0).counters(0).name(), "rx_packets");
  EXPECT_EQ(snap->workers(0).counters(0).value(), 2u);
  EXPECT_EQ(snap->workers(1).counters(0).value(), 3u);
}

TEST_F(ControlLinkTest, SpoolSurvivesADataplaneRestart) {
  uint32_t first_boot = 0;
  {
    auto link = make_link();
    first_boot = link->boot_id();
    link->raise_test_events(50);
    for (int i = 0; i < 3; ++i) link->poll(now_ += 1000000);
    EXPECT_EQ(link->stats().spool_pending, 50u);
  }
  auto link = make_link();
  EXPECT_EQ(link->boot_id(), first_boot + 1);
  FakeControl fake(options_.control.socket);
  pump(*link, fake, [&] { return ids_.size() >= 50 && link->stats().spool_pending == 0; });
  ASSERT_EQ(ids_.size(), 50u);
  for (uint64_t id : ids_) EXPECT_EQ(id >> 44, first_boot);
}

}  // namespace
}  // namespace weir::dp
