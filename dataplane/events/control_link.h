#pragma once
// The dataplane end of the control channel. Lives on the main lcore: the
// runtime calls poll(now) once per service-loop iteration and it never
// blocks. It owns one EventRing per worker (plus one for the main lcore),
// drains them, streams EventBatches to weir-control, spools to a bounded
// file while weir-control is away and replays that file first on reconnect,
// sends a counter snapshot every second, and hands commands coming down to
// the runtime's CommandHandler. Delivery is at-least-once: a batch leaves the
// spool/window only when weir-control acks it as stored.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/cidr.h"
#include "config/weir_config.h"
#include "control/ipc/frame.h"
#include "dataplane/events/event_ring.h"
#include "dataplane/events/event_spool.h"

namespace weir::dp {

/// Result of a command; `message` says why when !ok (sent back in the Ack).
struct CommandResult {
  bool ok = true;
  std::string message;
};

/// A live-flow query from `weirctl flows`.
struct FlowQuery {
  bool has_filter = false;
  config::Cidr filter;   ///< flows whose client or server address is inside
  uint32_t limit = 20;
  bool sort_by_packets = false;  ///< else by bytes
};

struct FlowSummary {
  uint32_t worker = 0;
  uint8_t proto = 0;
  std::array<uint8_t, 16> client_addr{};  ///< IPv4 as ::ffff:a.b.c.d
  uint16_t client_port = 0;
  std::array<uint8_t, 16> server_addr{};
  uint16_t server_port = 0;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t age_ms = 0;
  uint64_t idle_ms = 0;
  std::string state;  ///< "established", "syn_sent", ...
};

struct FlowQueryReply {
  std::vector<FlowSummary> flows;  ///< at most query.limit, sorted
  uint64_t total_flows = 0;        ///< live flows, all workers
  bool truncated = false;          ///< more matched than limit
};

/// Implemented by the runtime; called from poll() on the main lcore.
class CommandHandler {
 public:
  virtual ~CommandHandler() = default;
  /// A new live config (already validated by weir-control; parse it again).
  virtual CommandResult on_config(const std::string& yaml, uint64_t generation) = 0;
  /// Block a prefix; ttl_s == 0 means until unblocked.
  virtual CommandResult on_block(const config::Cidr& cidr, uint32_t ttl_s) = 0;
  virtual CommandResult on_unblock(const config::Cidr& cidr) = 0;
  /// true: block mode (verdicts enforced); false: monitor (alert only).
  virtual CommandResult on_mode(bool block) = 0;
  /// Reload the detection rules; the message says the new generation and time, or the error.
  virtual CommandResult on_reload_rules() = 0;
  virtual void on_flow_query(const FlowQuery& query, FlowQueryReply& reply) = 0;
};

/// Implemented by the runtime: appends every counter as (name, value).
/// Names "worker.<k>.<name>" are per worker k; all others are totals.
class CounterSource {
 public:
  virtual ~CounterSource() = default;
  virtual void snapshot(std::vector<std::pair<std::string, uint64_t>>& out) = 0;
};

struct ControlLinkOptions {
  config::ControlConfig control;  ///< socket, spool, spool_max_mb
  unsigned workers = 1;           ///< rings for workers 0..workers-1
  unsigned ring_size = 4096;      ///< records per ring (power of two)
  int socket_id = -1;             ///< NUMA socket for the rings (SOCKET_ID_ANY)
  std::string instance_id;        ///< default: "<hostname>:<pid>"
  std::string software = "weir-dataplane";
  uint64_t counter_interval_ns = 1000000000ull;
  uint64_t max_backoff_ns = 2000000000ull;  ///< reconnect backoff cap
};

/// Link counters, also sent up in every snapshot as "events.*"/"control.*".
struct ControlLinkStats {
  uint64_t ring_overflow = 0;   ///< events dropped by full worker rings
  uint64_t events_drained = 0;
  uint64_t events_sent = 0;     ///< sent (including re-sends)
  uint64_t events_acked = 0;
  uint64_t events_spooled = 0;
  uint64_t spool_dropped = 0;   ///< spool at its size cap (or I/O error)
  uint64_t spool_pending = 0;   ///< records in the spool not yet acked
  uint64_t connects = 0;
  uint64_t disconnects = 0;
  uint64_t protocol_errors = 0;
  uint64_t commands = 0;
  uint64_t commands_failed = 0;
  bool connected = false;
};

class ControlLink {
 public:
  /// Creates the rings and opens the spool; nullptr with `err` on failure.
  /// Call after rte_eal_init, on the main lcore.
  static std::unique_ptr<ControlLink> create(const ControlLinkOptions& options,
                                             CommandHandler& handler, CounterSource& counters,
                                             std::string& err);
  ~ControlLink();
  ControlLink(const ControlLink&) = delete;
  ControlLink& operator=(const ControlLink&) = delete;

  /// The ring worker `k` emits into (k < options.workers).
  EventRing& worker_ring(unsigned k) { return *rings_[k]; }
  /// The main lcore's own ring (worker id kMainLcoreWorker).
  EventRing& main_ring() { return *rings_.back(); }

  /// One service-loop step; `now_ns` is any monotonic clock in ns.
  void poll(uint64_t now_ns);

  /// Test hook: emit `count` Test events through main_ring() over the next
  /// polls (as many per poll as the ring takes). Also reachable from
  /// weir-control (RaiseTestEvents) and usable while it is down.
  void raise_test_events(uint32_t count) { pending_test_events_ += count; }

  /// This start's boot number (in every event id and in Hello).
  uint32_t boot_id() const { return boot_; }
  const ControlLinkStats& stats();

 private:
  struct InFlight {
    uint64_t seq;
    bool from_spool;
    uint64_t spool_end;           ///< from_spool: spool offset after the batch
    size_t count;                 ///< events in the batch
    std::vector<Event> events;    ///< !from_spool: kept until acked
  };

  ControlLink(const ControlLinkOptions& options, CommandHandler& handler, CounterSource& counters);
  bool init(std::string& err);
  void try_connect(uint64_t now_ns);
  void disconnect(uint64_t now_ns);
  void read_socket(uint64_t now_ns);
  void handle(const ipc::Envelope& env);
  void flush();
  void drain_rings();
  void emit_test_events();
  void send_spooled();
  void send_batch(const Event* events, size_t n, bool from_spool, uint64_t spool_end);
  void send_counters();
  void send(ipc::Envelope& env);
  void ack(uint64_t ref, const CommandResult& result);
  bool can_send() const;

  ControlLinkOptions options_;
  CommandHandler& handler_;
  CounterSource& counter_source_;
  std::vector<std::unique_ptr<EventRing>> rings_;  ///< workers..., main lcore last
  EventSpool spool_;
  uint32_t boot_ = 0;

  int fd_ = -1;
  bool hello_done_ = false;
  uint64_t next_connect_ns_ = 0;
  uint64_t backoff_ns_ = 0;
  uint64_t next_counters_ns_ = 0;
  uint64_t seq_ = 0;
  std::string out_;
  size_t out_pos_ = 0;  ///< bytes of out_ already written
  uint64_t now_ns_ = 0;
  ipc::FrameReader reader_;
  std::deque<InFlight> in_flight_;
  uint32_t pending_test_events_ = 0;
  std::vector<Event> scratch_;
  std::vector<std::pair<std::string, uint64_t>> counter_scratch_;
  ControlLinkStats stats_;
};

}  // namespace weir::dp
