#pragma once
// L7Inspector: the application-layer half of a worker's stream sink. For each
// in-scope TCP flow it detects the protocol from the client's first bytes
// (HTTP/1, HTTP/2 with prior knowledge), places that protocol's parser in a
// fixed per-worker pool of its own (an HTTP/2 connection needs ~27 KB, an
// HTTP/1 one far less), follows upgrades (HTTP/1 -> WebSocket, h2c prior
// knowledge, h2c by 101), feeds the parser every in-order chunk, and at each decision
// point runs the detect engine on the new fields. A verdict that stops traffic returns Block while the
// segment that completed the decision is still held, so the server never
// receives it; findings become one alert per decision with the request line,
// the strongest finding's zone, field and excerpt, and every rule id.
// No allocation after construction: parsers, workspace, engine and the
// per-flow inspectors are sized at start-up.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dataplane/flow/flow.h"
#include "dataplane/runtime/block_page.h"
#include "dataplane/runtime/observation_emitter.h"
#include "dataplane/stream/stream_sink.h"
#include "detect/engine.h"
#include "detect/policy_snapshot.h"
#include "detect/transaction_inspector.h"
#include "parsers/http2/h2c_upgrade_record.h"
#include "parsers/parser.h"
#include "parsers/parser_workspace.h"
#include "parsers/stream_chunk.h"
#include "parsers/websocket/websocket_handshake.h"

namespace weir::dp {

class EventRing;

struct L7InspectorStats {
  uint64_t http1_flows = 0;        ///< flows given an HTTP/1 parser
  uint64_t http2_flows = 0;        ///< HTTP/2 (prior knowledge, or h2c after HTTP/1)
  uint64_t websocket_flows = 0;    ///< WebSocket after an HTTP/1 upgrade
  uint64_t other_flows = 0;        ///< flows whose protocol has no parser (stream signatures only)
  uint64_t midstream_flows = 0;    ///< first bytes not seen (picked up mid-stream): not parsed
  uint64_t parser_pool_exhausted = 0;  ///< no free parser slot: flow not parsed
  uint64_t decisions = 0;          ///< decision points inspected
  uint64_t alerts = 0;             ///< alerts raised
  uint64_t blocks = 0;             ///< decisions that stopped the flow
  uint64_t monitor_passes = 0;     ///< verdicts that would block, passed in monitor mode
  uint64_t parse_errors = 0;       ///< streams the parser could not follow (smuggling, garbage)
  uint64_t resource_limits = 0;    ///< parser buffer pool exhausted: rest of flow not parsed
  uint64_t upgrades = 0;           ///< streams that left HTTP/1 (WebSocket, h2c, CONNECT)
  uint64_t upgrades_unparsed = 0;  ///< of which no parser follows (CONNECT tunnels, pool full)
  uint64_t scan_errors = 0;        ///< engine scratch/scan failures
  uint64_t fields = 0;             ///< fields inspected
  uint64_t scans = 0;              ///< Hyperscan calls
};

class L7Inspector {
 public:
  /// `parser_slots`: flows per worker that may hold a parser at once; of
  /// those, 1/16 may be HTTP/2 and 1/8 WebSocket (their states are larger).
  L7Inspector(uint32_t flow_capacity, uint32_t parser_slots, const parse::ParseLimits& limits,
              const parse::WorkspaceSizes& sizes);
  ~L7Inspector();
  L7Inspector(const L7Inspector&) = delete;
  L7Inspector& operator=(const L7Inspector&) = delete;

  /// The detection snapshot and this worker's engine bound to it for the next
  /// decisions (null: parse only, never block). The caller keeps both alive
  /// until it sets others (RCU on the worker); flows keep their parser state.
  void use(const detect::PolicySnapshot* snap, detect::InspectionEngine* engine);

  /// The parser policies (config `parsers:`) GraphQL requests and XML bodies
  /// are checked against from the next decision on. Set at start.
  void set_parser_policies(const parse::GraphqlPolicy& graphql, const parse::XmlPolicy& xml) {
    workspace_.graphql_policy() = graphql;
    workspace_.xml_policy() = xml;
  }
  /// Per-API policies (config `apis:`) and gRPC descriptor sets (config
  /// `parsers.grpc.protosets`), read-only and owned by the caller's config
  /// generation (null: none); read at each decision, never copied.
  void set_parser_tables(const parse::ApiPolicyTable* apis, const parse::ProtosetNames* protoset) {
    workspace_.set_api_policies(apis);
    workspace_.set_protoset(protoset);
  }
  const detect::PolicySnapshot* snapshot() const { return snap_; }

  /// Sets who the next chunks belong to (called before each segment).
  void begin(const Flow& flow, uint32_t slot, EventRing* events, bool monitor) {
    flow_ = &flow;
    slot_ = slot;
    events_ = events;
    monitor_ = monitor;
    page_ = {};
    if (observer_) observer_->begin(flow, events, clock_tsc_, port_in_, port_out_);
  }
  /// Time of the segment about to be inspected and the appliance ports its
  /// flow's requests come in and go out on (API discovery); before begin().
  void set_clock(uint64_t now_tsc, uint16_t port_in, uint16_t port_out) {
    clock_tsc_ = now_tsc;
    port_in_ = port_in;
    port_out_ = port_out;
  }
  /// API discovery: a pool of `in_flight` observations awaiting their
  /// response (start-up; allocates), then on/off and the budget (live).
  void enable_observations(uint32_t in_flight, uint64_t tsc_hz);
  void configure_observations(bool enabled, uint32_t rate_per_s, uint32_t burst) {
    if (observer_) observer_->configure(enabled, rate_per_s, burst);
  }
  const ObservationEmitter* observations() const { return observer_.get(); }
  /// API discovery: the operator's sensitive-data detectors (start-up).
  bool use_custom_detectors(const std::vector<detect::CustomDetectorConfig>& detectors, std::string& err) {
    return observer_ ? observer_->use_custom_detectors(detectors, err) : true;
  }
  SinkVerdict on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset);
  /// The flow left the table: its parser is destroyed and its slot freed.
  void release(uint32_t slot);

  const L7InspectorStats& stats() const { return stats_; }
  /// Whether the decision that blocked the current segment asked for a 403 page.
  const BlockPageRequest& block_page() const { return page_; }
  uint32_t parsers_in_use() const { return static_cast<uint32_t>(slots_.size() - free_.size()); }
  /// Bytes of parser state reserved per worker (all pools).
  size_t state_bytes() const;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;       ///< nothing decided yet
  static constexpr uint32_t kNoParser = UINT32_MAX - 1;  ///< decided: not parsed
  static constexpr size_t kSniffMax = 32;

  enum class Proto : uint8_t { Http1, Http2, WebSocket, Count };
  /// Fixed storage for the parsers of one protocol.
  struct StatePool {
    const parse::ParserApi* api = nullptr;
    size_t stride = 0;
    size_t align = 0;
    std::unique_ptr<std::byte[]> storage;
    std::vector<uint32_t> free;
    void init(const char* parser, uint32_t count);
    void* at(uint32_t i) const;
  };
  struct Slot {
    parse::Parser* parser = nullptr;  ///< null while the protocol is not known yet
    Proto proto = Proto::Http1;
    uint32_t state = 0;               ///< index in pools_[proto]
    detect::TransactionInspector::Carry carry;  ///< the flow's message score between decisions
    uint8_t sniff_len = 0;
    uint8_t sniff[kSniffMax] = {};  ///< first client bytes while they are too few to tell
    uint8_t preface_check = 0;  ///< the server spoke HTTP/2 first: client preface bytes still to see
    parse::WebSocketHandshakeRecord ws;  ///< what an HTTP/1 upgrade to WebSocket negotiated
    parse::H2cUpgradeRecord h2c;  ///< the HTTP/1 request that asked for h2c (a 101 makes it stream 1)
  };
  class DecisionSink;

  uint32_t assign(const parse::StreamChunk& chunk, uint64_t stream_offset);
  SinkVerdict feed(Slot& s, const parse::StreamChunk& chunk);
  /// Places a parser of `proto` in the slot; false when that pool is empty.
  bool place(Slot& s, Proto proto);
  void destroy(Slot& s);
  SinkVerdict on_upgrade(Slot& s, const parse::StreamChunk& chunk, const parse::FeedResult& r);
  SinkVerdict on_parse_error(Slot& s, const parse::FeedResult& r);
  /// Turns a decision's result into an alert and the flow's verdict.
  parse::SinkVerdict conclude(const detect::InspectionResult& r, const parse::Transaction* txn);
  void drop_parser(uint32_t flow_slot);
  /// API discovery at a decision the engine let through.
  void observe(Slot& s, const parse::Transaction& txn);

  parse::ParserWorkspace workspace_;
  detect::InspectionEngine* engine_ = nullptr;
  detect::TransactionInspector inspector_;  ///< one per worker; each flow's carry lives in its slot
  const detect::PolicySnapshot* snap_ = nullptr;
  StatePool pools_[static_cast<int>(Proto::Count)];
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  std::vector<uint32_t> by_flow_;  ///< flow slot -> parser slot | kNone | kNoParser
  std::unique_ptr<DecisionSink> sink_;

  const Flow* flow_ = nullptr;
  uint32_t slot_ = 0;
  EventRing* events_ = nullptr;
  bool monitor_ = false;
  bool blocked_in_feed_ = false;
  BlockPageRequest page_;
  L7InspectorStats stats_;
  std::unique_ptr<ObservationEmitter> observer_;  ///< null: discovery not set up
  uint64_t clock_tsc_ = 0;
  uint16_t port_in_ = 0;
  uint16_t port_out_ = 0;
};

}  // namespace weir::dp
