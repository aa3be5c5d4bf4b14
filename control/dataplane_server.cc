// DataplaneServer (see dataplane_server.h).
#include "control/dataplane_server.h"
#include "control/private_unix_socket.h"
#include "dataplane/events/event.h"
#include "detect/observe/observation_codec.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace weir::ctl {

namespace {
constexpr int kSendTimeoutMs = 2000;

}  // namespace

int64_t realtime_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string address_text(const std::string& bytes) {
  if (bytes.size() != 16) return "";
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char buf[INET6_ADDRSTRLEN] = {};
  if (std::memcmp(bytes.data(), kMapped, 12) == 0) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

DataplaneServer::DataplaneServer(Store& store, std::string socket_path, InitialState initial_state)
    : store_(store), socket_path_(std::move(socket_path)), initial_state_(std::move(initial_state)) {}

DataplaneServer::~DataplaneServer() { stop(); }

void DataplaneServer::start() {
  listen_fd_ = listen_private_unix_socket(socket_path_, 4, "dataplane");
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void DataplaneServer::stop() {
  if (!running_.exchange(false)) return;
  const char c = 'x';
  (void)!write(wake_pipe_[1], &c, 1);
  if (thread_.joinable()) thread_.join();
  close_connection();
  close(listen_fd_);
  unlink(socket_path_.c_str());
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
  listen_fd_ = -1;
}

void DataplaneServer::run() {
  while (running_) {
    pollfd fds[3] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}, {-1, POLLIN, 0}};
    {
      std::lock_guard lock(send_mu_);
      fds[2].fd = conn_fd_;
    }
    if (::poll(fds, 3, 500) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) accept_connection();
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) read_connection();
  }
}

void DataplaneServer::accept_connection() {
  const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  timeval tv{kSendTimeoutMs / 1000, (kSendTimeoutMs % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  close_connection();  // a restarted dataplane replaces the old link
  std::lock_guard lock(send_mu_);
  conn_fd_ = fd;
  seq_ = 0;
  reader_.clear();
}

void DataplaneServer::close_connection() {
  {
    std::lock_guard lock(send_mu_);
    if (conn_fd_ >= 0) close(conn_fd_);
    conn_fd_ = -1;
  }
  std::lock_guard lock(mu_);
  status_.connected = false;
  ++connection_gen_;
  // Fail pending queries at once rather than at their timeout.
  for (auto& [seq, reply] : pending_queries_)
    if (!reply) reply = ipc::FlowList();
  query_cv_.notify_all();
}

void DataplaneServer::read_connection() {
  char buf[65536];
  const ssize_t n = recv(conn_fd_, buf, sizeof buf, MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    close_connection();
    return;
  }
  if (n < 0) return;
  reader_.feed(buf, static_cast<size_t>(n));
  ipc::Envelope env;
  for (;;) {
    const ipc::FrameStatus st = reader_.next(env);
    if (st == ipc::FrameStatus::NeedMore) return;
    if (st != ipc::FrameStatus::Ok) {
      fprintf(stderr, "weir-control: dataplane protocol error, dropping the link\n");
      close_connection();
      return;
    }
    handle(env);
    if (conn_fd_ < 0) return;
  }
}

void DataplaneServer::handle(const ipc::Envelope& env) {
  switch (env.body_case()) {
    case ipc::Envelope::kHello: {
      const ipc::Hello& h = env.hello();
      if (h.version() != ipc::kProtocolVersion) {
        fprintf(stderr, "weir-control: dataplane speaks protocol %u, we speak %u\n", h.version(),
                ipc::kProtocolVersion);
        close_connection();
        return;
      }
      {
        std::lock_guard lock(mu_);
        status_.connected = true;
        status_.ever_connected = true;
        status_.instance_id = h.instance_id();
        status_.boot_id = h.boot_id();
        status_.protocol_version = h.version();
        status_.software = h.software();
        status_.connected_ns = realtime_now_ns();
        ++status_.connections;
      }
      std::lock_guard lock(send_mu_);
      ipc::Envelope reply;
      reply.mutable_hello()->set_version(ipc::kProtocolVersion);
      reply.mutable_hello()->set_instance_id("weir-control");
      reply.mutable_hello()->set_software("weir-control 0.1.0");
      if (!send_locked(reply)) return;
      for (ipc::Envelope& msg : initial_state_())
        if (!send_locked(msg)) return;
      return;
    }
    case ipc::Envelope::kEvents:
      store_events(env);
      return;
    case ipc::Envelope::kCounters: {
      std::lock_guard lock(mu_);
      counters_.received_ns = realtime_now_ns();
      counters_.snapshot = env.counters();
      status_.counters_ns = counters_.received_ns;
      return;
    }
    case ipc::Envelope::kFlowList: {
      std::lock_guard lock(mu_);
      auto it = pending_queries_.find(env.ref());
      if (it != pending_queries_.end()) {
        it->second = env.flow_list();
        query_cv_.notify_all();
      }
      return;
    }
    case ipc::Envelope::kAck:
      {
        std::lock_guard lock(mu_);
        auto it = pending_acks_.find(env.ack().ref());
        if (it != pending_acks_.end()) {
          it->second = env.ack();
          query_cv_.notify_all();
        }
      }
      if (!env.ack().ok()) {
        std::lock_guard lock(mu_);
        ++status_.commands_refused;
        status_.last_refusal = env.ack().message();
        fprintf(stderr, "weir-control: dataplane refused command %llu: %s\n",
                static_cast<unsigned long long>(env.ack().ref()), env.ack().message().c_str());
      }
      return;
    default:
      return;
  }
}

void DataplaneServer::store_events(const ipc::Envelope& env) {
  std::vector<AlertRecord> rows;
  rows.reserve(static_cast<size_t>(env.events().events_size()));
  const int64_t now = realtime_now_ns();
  size_t api_calls = 0;
  for (const ipc::Event& ev : env.events().events()) {
    if (ev.kind() == static_cast<uint32_t>(dp::EventKind::ApiCall)) {
      // Observations feed the inventory; they are not alerts.
      take_api_call(ev);
      ++api_calls;
      continue;
    }
    AlertRecord a;
    a.event_id = ev.id();
    a.ts_ns = static_cast<int64_t>(ev.ts_ns());
    a.received_ns = now;
    a.kind = static_cast<int>(ev.kind());
    a.worker = static_cast<int>(ev.worker());
    a.severity = static_cast<int>(std::min<uint32_t>(ev.severity(), 4));
    a.rule_id = ev.rule_id();
    a.class_name = ev.class_name();
    a.zone = ev.zone();
    a.proto = static_cast<int>(ev.proto());
    a.client = address_text(ev.client_addr());
    a.client_port = static_cast<int>(ev.client_port());
    a.server = address_text(ev.server_addr());
    a.server_port = static_cast<int>(ev.server_port());
    a.text = ev.text();
    rows.push_back(std::move(a));
  }
  size_t stored = 0;
  try {
    if (!rows.empty()) stored = store_.insert_alerts(rows);
  } catch (const StoreError& e) {
    // Not acked: dropping the link makes the dataplane replay the batch.
    fprintf(stderr, "weir-control: storing events failed: %s\n", e.what());
    close_connection();
    return;
  }
  {
    std::lock_guard lock(mu_);
    status_.events_received += rows.size() + api_calls;
    status_.events_stored += stored;
    const ApiCallReassemblyStats& r = api_calls_.stats();
    status_.api_call_chunks = r.chunks;
    status_.api_calls_dropped = r.dropped;
    status_.api_call_duplicates = r.duplicates;
    status_.api_call_bad_chunks = r.bad_chunks;
    status_.api_calls_ingested = api_calls_ingested_;
    status_.api_call_decode_errors = api_call_decode_errors_;
    status_.api_call_ingest_errors = api_call_ingest_errors_;
  }
  std::lock_guard lock(send_mu_);
  ipc::Envelope ack;
  ack.set_ref(env.seq());
  ack.mutable_ack()->set_ref(env.seq());
  ack.mutable_ack()->set_ok(true);
  send_locked(ack);
}

void DataplaneServer::take_api_call(const ipc::Event& ev) {
  if (!api_calls_.add(ev.id(), ev.sequence(), ev.rule_id(), ev.text(), api_call_record_)) return;
  if (detect::decode(api_call_record_, *api_call_obs_) != detect::DecodeStatus::Ok) {
    ++api_call_decode_errors_;
    return;
  }
  if (!observation_sink_) return;
  try {
    observation_sink_(*api_call_obs_);
    ++api_calls_ingested_;
  } catch (const std::exception& e) {
    // The inventory's database failing must not cost the alerts of this batch.
    ++api_call_ingest_errors_;
    fprintf(stderr, "weir-control: inventory ingest failed: %s\n", e.what());
  }
}

bool DataplaneServer::send_locked(ipc::Envelope& env, uint64_t* seq_out) {
  if (conn_fd_ < 0) return false;
  env.set_seq(++seq_);
  if (seq_out) *seq_out = seq_;
  std::string wire;
  if (!ipc::append_frame(env, wire)) return false;
  size_t off = 0;
  while (off < wire.size()) {
    const ssize_t n = ::send(conn_fd_, wire.data() + off, wire.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Timed out or broken: the dataplane resyncs on its next connect.
      // shutdown() wakes the reader thread, which closes the descriptor.
      shutdown(conn_fd_, SHUT_RDWR);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

bool DataplaneServer::push(ipc::Envelope env) {
  {
    std::lock_guard lock(mu_);
    if (!status_.connected) return false;
  }
  std::lock_guard lock(send_mu_);
  return send_locked(env);
}

QueryStatus DataplaneServer::command(ipc::Envelope env, int timeout_ms, ipc::Ack& out) {
  uint64_t seq = 0;
  uint64_t gen = 0;
  {
    std::lock_guard lock(mu_);
    if (!status_.connected) return QueryStatus::Unavailable;
    gen = connection_gen_;
  }
  {
    std::lock_guard lock(send_mu_);
    // Register before sending so a fast Ack is not lost.
    std::lock_guard lock2(mu_);
    if (gen != connection_gen_) return QueryStatus::Unavailable;
    const uint64_t key = seq_ + 1;  // the seq send_locked() gives it
    pending_acks_[key] = std::nullopt;
    if (!send_locked(env, &seq)) {
      pending_acks_.erase(key);
      return QueryStatus::Unavailable;
    }
  }
  std::unique_lock lock(mu_);
  const bool got = query_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                      [&] { return pending_acks_[seq].has_value(); });
  const bool same_link = gen == connection_gen_;
  if (got) out = *pending_acks_[seq];
  pending_acks_.erase(seq);
  if (!got) return QueryStatus::Timeout;
  return same_link ? QueryStatus::Ok : QueryStatus::Unavailable;
}

QueryStatus DataplaneServer::query_flows(const ipc::FlowQuery& q, int timeout_ms, ipc::FlowList& out) {
  uint64_t seq = 0;
  uint64_t gen = 0;
  {
    std::lock_guard lock(mu_);
    if (!status_.connected) return QueryStatus::Unavailable;
    gen = connection_gen_;
  }
  {
    std::lock_guard lock(send_mu_);
    ipc::Envelope env;
    *env.mutable_flow_query() = q;
    // Register before sending so a fast reply is not lost.
    std::lock_guard lock2(mu_);
    if (gen != connection_gen_) return QueryStatus::Unavailable;
    env.set_seq(seq_ + 1);
    pending_queries_[seq_ + 1] = std::nullopt;
    if (!send_locked(env, &seq)) {
      pending_queries_.erase(seq_);
      return QueryStatus::Unavailable;
    }
  }
  std::unique_lock lock(mu_);
  const bool got = query_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                      [&] { return pending_queries_[seq].has_value(); });
  const bool same_link = gen == connection_gen_;
  if (got) out = *pending_queries_[seq];
  pending_queries_.erase(seq);
  if (!got) return QueryStatus::Timeout;
  return same_link ? QueryStatus::Ok : QueryStatus::Unavailable;
}

DataplaneStatus DataplaneServer::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

CounterView DataplaneServer::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace weir::ctl
