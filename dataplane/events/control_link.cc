// ControlLink: see control_link.h. Everything here runs on the main lcore.
#include "dataplane/events/control_link.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dataplane/events/event_wire.h"

namespace weir::dp {

namespace {
constexpr size_t kBatch = 256;            // events per EventBatch
constexpr size_t kMaxInFlight = 32;       // unacked batches
constexpr size_t kMaxOut = 4u << 20;      // unsent bytes before we hold back
constexpr size_t kDrainPerPoll = 4096;    // events per poll, all rings
constexpr int kReadsPerPoll = 8;
constexpr uint64_t kInitialBackoffNs = 100000000ull;  // 100 ms
constexpr uint32_t kMaxPendingTest = 10000000;

uint64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// The boot number persists next to the spool so event ids of two starts
// never collide (the store de-duplicates by id).
uint32_t next_boot_id(const std::string& spool_path) {
  const std::string path = spool_path + ".boot";
  uint32_t boot = 0;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    unsigned v = 0;
    if (std::fscanf(f, "%u", &v) == 1) boot = v;
    std::fclose(f);
  } else {
    boot = static_cast<uint32_t>(realtime_ns() / 1000000000ull);
  }
  boot = (boot + 1) & ((1u << kEventBootBits) - 1);
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    std::fprintf(f, "%u\n", boot);
    std::fclose(f);
  }
  return boot;
}

void make_parent_dirs(const std::string& path) {
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/') mkdir(path.substr(0, i).c_str(), 0755);
  }
}
}  // namespace

std::unique_ptr<ControlLink> ControlLink::create(const ControlLinkOptions& options,
                                                 CommandHandler& handler, CounterSource& counters,
                                                 std::string& err) {
  std::unique_ptr<ControlLink> link(new ControlLink(options, handler, counters));
  if (!link->init(err)) return nullptr;
  return link;
}

ControlLink::ControlLink(const ControlLinkOptions& options, CommandHandler& handler,
                         CounterSource& counters)
    : options_(options), handler_(handler), counter_source_(counters) {}

bool ControlLink::init(std::string& err) {
  if (options_.workers == 0 || options_.workers > 254) {
    err = "control link: workers must be 1..254";
    return false;
  }
  make_parent_dirs(options_.control.spool);
  if (!spool_.open(options_.control.spool, uint64_t{options_.control.spool_max_mb} << 20, err))
    return false;
  boot_ = next_boot_id(options_.control.spool);
  if (options_.instance_id.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options_.instance_id = std::string(host) + ":" + std::to_string(getpid());
  }
  for (unsigned k = 0; k <= options_.workers; ++k) {
    const uint8_t worker = k == options_.workers ? kMainLcoreWorker : static_cast<uint8_t>(k);
    auto ring = EventRing::create(worker, boot_, options_.ring_size, options_.socket_id, err);
    if (!ring) return false;
    rings_.push_back(std::move(ring));
  }
  scratch_.resize(kBatch);
  return true;
}

ControlLink::~ControlLink() {
  if (fd_ >= 0) close(fd_);
  // Whatever is still in the rings or in flight goes to the spool: the next
  // start replays it.
  for (auto& f : in_flight_)
    if (!f.from_spool) spool_.append(f.events.data(), f.events.size());
  for (auto& ring : rings_) {
    unsigned n;
    while ((n = ring->drain(scratch_.data(), static_cast<unsigned>(scratch_.size()))) > 0)
      spool_.append(scratch_.data(), n);
  }
}

void ControlLink::poll(uint64_t now_ns) {
  now_ns_ = now_ns;
  if (fd_ < 0 && now_ns >= next_connect_ns_) try_connect(now_ns);
  if (fd_ >= 0) read_socket(now_ns);
  emit_test_events();
  drain_rings();
  if (fd_ >= 0 && hello_done_) {
    send_spooled();
    if (now_ns >= next_counters_ns_) {
      send_counters();
      next_counters_ns_ = now_ns + options_.counter_interval_ns;
    }
  }
  if (fd_ >= 0) flush();
}

void ControlLink::try_connect(uint64_t now_ns) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string& path = options_.control.socket;
  int fd = -1;
  if (path.size() < sizeof addr.sun_path) {
    std::memcpy(addr.sun_path, path.data(), path.size());
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  }
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    fd = -1;
  }
  if (fd < 0) {
    backoff_ns_ = backoff_ns_ == 0 ? kInitialBackoffNs
                                   : std::min(backoff_ns_ * 2, options_.max_backoff_ns);
    next_connect_ns_ = now_ns + backoff_ns_;
    return;
  }
  fd_ = fd;
  ++stats_.connects;
  seq_ = 0;
  ipc::Envelope env;
  auto* hello = env.mutable_hello();
  hello->set_version(ipc::kProtocolVersion);
  hello->set_instance_id(options_.instance_id);
  hello->set_boot_id(boot_);
  hello->set_software(options_.software);
  send(env);
}

void ControlLink::disconnect(uint64_t now_ns) {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  hello_done_ = false;
  out_.clear();
  out_pos_ = 0;
  reader_.clear();
  ++stats_.disconnects;
  // Unacked batches are not known to be stored: keep them for the replay.
  spool_.rewind();
  for (auto& f : in_flight_) {
    if (f.from_spool) continue;
    const size_t n = spool_.append(f.events.data(), f.events.size());
    stats_.events_spooled += n;
    stats_.spool_dropped += f.events.size() - n;
  }
  in_flight_.clear();
  backoff_ns_ = backoff_ns_ == 0 ? kInitialBackoffNs : std::min(backoff_ns_ * 2, options_.max_backoff_ns);
  next_connect_ns_ = now_ns + backoff_ns_;
}

void ControlLink::read_socket(uint64_t now_ns) {
  char buf[65536];
  for (int i = 0; i < kReadsPerPoll && fd_ >= 0; ++i) {
    const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      disconnect(now_ns);
      return;
    }
    if (n < 0) break;
    reader_.feed(buf, static_cast<size_t>(n));
    ipc::Envelope env;
    for (;;) {
      const ipc::FrameStatus st = reader_.next(env);
      if (st == ipc::FrameStatus::NeedMore) break;
      if (st != ipc::FrameStatus::Ok) {
        ++stats_.protocol_errors;
        disconnect(now_ns);
        return;
      }
      handle(env);
      if (fd_ < 0) return;
    }
  }
}

void ControlLink::ack(uint64_t ref, const CommandResult& result) {
  ++stats_.commands;
  if (!result.ok) ++stats_.commands_failed;
  ipc::Envelope env;
  env.set_ref(ref);
  auto* a = env.mutable_ack();
  a->set_ref(ref);
  a->set_ok(result.ok);
  a->set_message(result.message);
  send(env);
}

void ControlLink::handle(const ipc::Envelope& env) {
  switch (env.body_case()) {
    case ipc::Envelope::kHello:
      if (env.hello().version() != ipc::kProtocolVersion) {
        ++stats_.protocol_errors;
        disconnect(now_ns_);
        return;
      }
      hello_done_ = true;
      backoff_ns_ = 0;
      next_counters_ns_ = 0;
      return;
    case ipc::Envelope::kAck: {
      if (in_flight_.empty() || in_flight_.front().seq != env.ack().ref()) {
        ++stats_.protocol_errors;
        disconnect(now_ns_);
        return;
      }
      const InFlight& f = in_flight_.front();
      if (f.from_spool) spool_.ack_to(f.spool_end);
      stats_.events_acked += f.count;
      in_flight_.pop_front();
      return;
    }
    case ipc::Envelope::kConfig:
      ack(env.seq(), handler_.on_config(env.config().yaml(), env.config().generation()));
      return;
    case ipc::Envelope::kBlockAdd:
    case ipc::Envelope::kBlockRemove: {
      const bool add = env.body_case() == ipc::Envelope::kBlockAdd;
      const std::string& text = add ? env.block_add().cidr() : env.block_remove().cidr();
      const auto cidr = config::Cidr::parse(text);
      if (!cidr) {
        ack(env.seq(), {false, "not an address or prefix: " + text});
        return;
      }
      ack(env.seq(), add ? handler_.on_block(*cidr, env.block_add().ttl_s()) : handler_.on_unblock(*cidr));
      return;
    }
    case ipc::Envelope::kSetMode:
      ack(env.seq(), handler_.on_mode(env.set_mode().block()));
      return;
    case ipc::Envelope::kReloadRules:
      ack(env.seq(), handler_.on_reload_rules());
      return;
    case ipc::Envelope::kFlowQuery: {
      const ipc::FlowQuery& q = env.flow_query();
      FlowQuery query;
      query.has_filter = q.has_filter();
      if (q.has_filter()) {
        std::copy_n(q.filter_addr().begin(), std::min<size_t>(16, q.filter_addr().size()),
                    query.filter.addr.begin());
        query.filter.prefix_len = static_cast<uint8_t>(std::min<uint32_t>(q.filter_prefix_len(), 128));
        static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        query.filter.is_v4 = query.filter.prefix_len >= 96 &&
                             std::equal(kMapped, kMapped + 12, query.filter.addr.begin());
      }
      query.limit = q.limit() == 0 ? 20 : q.limit();
      query.sort_by_packets = q.sort_by_packets();
      FlowQueryReply reply;
      handler_.on_flow_query(query, reply);
      ipc::Envelope out;
      out.set_ref(env.seq());
      auto* list = out.mutable_flow_list();
      list->set_total_flows(reply.total_flows);
      list->set_truncated(reply.truncated);
      for (const FlowSummary& f : reply.flows) {
        auto* r = list->add_flows();
        r->set_worker(f.worker);
        r->set_proto(f.proto);
        r->set_client_addr(reinterpret_cast<const char*>(f.client_addr.data()), 16);
        r->set_client_port(f.client_port);
        r->set_server_addr(reinterpret_cast<const char*>(f.server_addr.data()), 16);
        r->set_server_port(f.server_port);
        r->set_packets(f.packets);
        r->set_bytes(f.bytes);
        r->set_age_ms(f.age_ms);
        r->set_idle_ms(f.idle_ms);
        r->set_state(f.state);
      }
      send(out);
      return;
    }
    case ipc::Envelope::kRaiseTestEvents:
      pending_test_events_ = std::min(kMaxPendingTest, pending_test_events_ + env.raise_test_events().count());
      ack(env.seq(), {});
      return;
    default:
      ++stats_.protocol_errors;  // an up message sent down: ignore it
      return;
  }
}

void ControlLink::emit_test_events() {
  EventRing& ring = main_ring();
  unsigned room = ring.free_count();
  while (pending_test_events_ > 0 && room > 0) {
    Event ev;
    ev.kind = EventKind::Test;
    ev.severity = Severity::Info;
    ev.set_class("test");
    ev.set_zone("none");
    ev.set_text("test event raised on the main lcore");
    ring.try_emit(ev);
    --pending_test_events_;
    --room;
  }
}

bool ControlLink::can_send() const {
  return fd_ >= 0 && hello_done_ && in_flight_.size() < kMaxInFlight &&
         out_.size() - out_pos_ < kMaxOut;
}

void ControlLink::drain_rings() {
  size_t budget = kDrainPerPoll;
  for (auto& ring : rings_) {
    while (budget > 0) {
      const unsigned want = static_cast<unsigned>(std::min(budget, scratch_.size()));
      const unsigned n = ring->drain(scratch_.data(), want);
      if (n == 0) break;
      budget -= n;
      stats_.events_drained += n;
      // Straight to the socket only when no backlog is waiting in the spool,
      // so the replay stays ahead of new events.
      if (can_send() && !spool_.has_unacked()) {
        send_batch(scratch_.data(), n, false, 0);
      } else {
        const size_t stored = spool_.append(scratch_.data(), n);
        stats_.events_spooled += stored;
        stats_.spool_dropped += n - stored;
      }
      if (n < want) break;
    }
  }
}

void ControlLink::send_spooled() {
  while (spool_.has_unread() && can_send()) {
    const size_t n = spool_.read_next(scratch_.data(), scratch_.size());
    if (n == 0) break;
    send_batch(scratch_.data(), n, true, spool_.read_offset());
  }
}

void ControlLink::send_batch(const Event* events, size_t n, bool from_spool, uint64_t spool_end) {
  ipc::Envelope env;
  auto* batch = env.mutable_events();
  for (size_t i = 0; i < n; ++i) event_to_wire(events[i], *batch->add_events());
  send(env);
  InFlight f{seq_, from_spool, spool_end, n, {}};
  if (!from_spool) f.events.assign(events, events + n);
  in_flight_.push_back(std::move(f));
  stats_.events_sent += n;
}

const ControlLinkStats& ControlLink::stats() {
  uint64_t overflow = 0;
  for (auto& ring : rings_) overflow += ring->overflow();
  stats_.ring_overflow = overflow;
  stats_.spool_pending = spool_.pending_records();
  stats_.connected = fd_ >= 0 && hello_done_;
  return stats_;
}

void ControlLink::send_counters() {
  counter_scratch_.clear();
  counter_source_.snapshot(counter_scratch_);
  const ControlLinkStats& s = stats();
  const std::pair<const char*, uint64_t> own[] = {
      {"events.ring_overflow", s.ring_overflow}, {"events.drained", s.events_drained},
      {"events.sent", s.events_sent},           {"events.acked", s.events_acked},
      {"events.spooled", s.events_spooled},     {"events.spool_dropped", s.spool_dropped},
      {"events.spool_pending", s.spool_pending}, {"control.connects", s.connects},
      {"control.protocol_errors", s.protocol_errors}, {"control.commands_failed", s.commands_failed},
  };
  for (const auto& [name, value] : own) counter_scratch_.emplace_back(name, value);

  ipc::Envelope env;
  auto* snap = env.mutable_counters();
  snap->set_ts_ns(realtime_ns());
  for (const auto& [name, value] : counter_scratch_) {
    if (name.rfind("worker.", 0) == 0) {
      const size_t dot = name.find('.', 7);
      char* end = nullptr;
      const unsigned long k = std::strtoul(name.c_str() + 7, &end, 10);
      if (dot != std::string::npos && end == name.c_str() + dot && dot > 7) {
        ipc::WorkerCounters* w = nullptr;
        for (auto& existing : *snap->mutable_workers())
          if (existing.worker() == k) w = &existing;
        if (w == nullptr) {
          w = snap->add_workers();
          w->set_worker(static_cast<uint32_t>(k));
        }
        auto* c = w->add_counters();
        c->set_name(name.substr(dot + 1));
        c->set_value(value);
        continue;
      }
    }
    auto* c = snap->add_totals();
    c->set_name(name);
    c->set_value(value);
  }
  send(env);
}

void ControlLink::send(ipc::Envelope& env) {
  env.set_seq(++seq_);
  if (!ipc::append_frame(env, out_)) ++stats_.protocol_errors;
}

void ControlLink::flush() {
  while (fd_ >= 0 && out_pos_ < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + out_pos_, out_.size() - out_pos_,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      disconnect(now_ns_);
      return;
    }
    out_pos_ += static_cast<size_t>(n);
  }
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  } else if (out_pos_ > (1u << 20)) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
}

}  // namespace weir::dp
