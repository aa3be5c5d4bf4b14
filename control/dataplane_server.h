#pragma once
// weir-control's end of the dataplane channel. One thread listens on the
// dataplane socket and serves one dataplane connection at a time (a new
// connection replaces the old one: a restarted dataplane wins). After the
// Hello exchange it pushes the live state (config, mode, blocks) from
// `initial_state`, stores incoming EventBatches (acking each once it is
// committed, so the dataplane can forget it), keeps the latest counter
// snapshot and answers flow queries. Pushes from other threads (admin API)
// are serialized by a send mutex.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "control/api_call_reassembler.h"
#include "control/ipc/frame.h"
#include "control/store/control_store.h"
#include "detect/observe/api_observation.h"

namespace weir::ctl {

struct DataplaneStatus {
  bool connected = false;
  bool ever_connected = false;
  std::string instance_id;
  uint64_t boot_id = 0;
  uint32_t protocol_version = 0;
  std::string software;
  int64_t connected_ns = 0;
  int64_t counters_ns = 0;   ///< when the last snapshot arrived (0: never)
  uint64_t events_received = 0;  ///< including duplicates
  uint64_t events_stored = 0;
  // API-call observations (ApiCall chunk events; never stored as alerts).
  uint64_t api_call_chunks = 0;
  uint64_t api_calls_ingested = 0;      ///< records decoded and handed to the inventory
  uint64_t api_calls_dropped = 0;       ///< records lost to a gap/reorder (reassembly)
  uint64_t api_call_duplicates = 0;     ///< chunks replayed after a reconnect, ignored
  uint64_t api_call_bad_chunks = 0;
  uint64_t api_call_decode_errors = 0;  ///< reassembled records the codec refused
  uint64_t api_call_ingest_errors = 0;  ///< the inventory threw (its database)
  uint64_t connections = 0;
  uint64_t commands_refused = 0;
  std::string last_refusal;
};

struct CounterView {
  int64_t received_ns = 0;  ///< 0: no snapshot yet
  ipc::CounterSnapshot snapshot;
};

enum class QueryStatus : uint8_t { Ok, Unavailable, Timeout };

class DataplaneServer {
 public:
  /// Messages (config, mode, blocks) to push after each Hello, in order.
  using InitialState = std::function<std::vector<ipc::Envelope>()>;

  /// Where decoded API-call observations go (the inventory); set before start().
  using ObservationSink = std::function<void(const detect::ApiObservation&)>;

  DataplaneServer(Store& store, std::string socket_path, InitialState initial_state);
  ~DataplaneServer();

  void set_observation_sink(ObservationSink sink) { observation_sink_ = std::move(sink); }

  /// Binds the socket (mode 0600, parent directory created) and starts the
  /// thread. Throws std::runtime_error when the socket cannot be bound.
  void start();
  void stop();

  /// Sends a command if a dataplane is connected; false otherwise (it gets
  /// the state on its next connect anyway).
  bool push(ipc::Envelope env);
  QueryStatus query_flows(const ipc::FlowQuery& q, int timeout_ms, ipc::FlowList& out);
  /// Sends a command and waits for the dataplane's Ack (ok or the refusal).
  QueryStatus command(ipc::Envelope env, int timeout_ms, ipc::Ack& out);

  DataplaneStatus status() const;
  CounterView counters() const;

 private:
  void run();
  void accept_connection();
  void read_connection();
  void close_connection();
  void handle(const ipc::Envelope& env);
  void store_events(const ipc::Envelope& env);
  /// One ApiCall chunk: reassembled, decoded and handed to the sink when it completes a record.
  void take_api_call(const ipc::Event& ev);
  bool send_locked(ipc::Envelope& env, uint64_t* seq_out = nullptr);

  Store& store_;
  std::string socket_path_;
  InitialState initial_state_;
  ObservationSink observation_sink_;
  // Reader thread only: chunk reassembly and the decode target (4.5 KB).
  ApiCallReassembler api_calls_;
  std::vector<uint8_t> api_call_record_;
  std::unique_ptr<detect::ApiObservation> api_call_obs_ = std::make_unique<detect::ApiObservation>();
  uint64_t api_calls_ingested_ = 0;
  uint64_t api_call_decode_errors_ = 0;
  uint64_t api_call_ingest_errors_ = 0;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> running_{false};

  std::mutex send_mu_;  ///< guards conn_fd_ writes and seq_
  int conn_fd_ = -1;
  uint64_t seq_ = 0;
  ipc::FrameReader reader_;

  mutable std::mutex mu_;  ///< status, counters, pending queries
  std::condition_variable query_cv_;
  DataplaneStatus status_;
  CounterView counters_;
  std::map<uint64_t, std::optional<ipc::FlowList>> pending_queries_;
  std::map<uint64_t, std::optional<ipc::Ack>> pending_acks_;  ///< command() waiting for its Ack
  uint64_t connection_gen_ = 0;
};

/// Address bytes (16, IPv4-mapped) as text: "198.18.0.1" or "2001:2::1".
std::string address_text(const std::string& bytes16);
int64_t realtime_now_ns();

}  // namespace weir::ctl
