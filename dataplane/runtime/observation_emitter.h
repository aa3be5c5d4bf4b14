#pragma once
// ObservationEmitter: a worker's API-discovery half. At a request's end it
// asks the per-endpoint sampling budget (detect::EndpointSampler) whether
// this call is observed; if so it builds the request half of an
// ApiObservation in one entry of a small fixed pool of in-flight
// observations (not one 4.5 KB record per parser slot: a few dozen per
// worker cover the requests awaiting their response), completes it at the
// response's end with status and latency, encodes it and emits it as a
// group of EventKind::ApiCall chunk events into the worker's EventRing, all
// or none (dataplane/events/api_call_chunks.h). Nothing here blocks or
// allocates after construction: a full pool, a full ring or a missing
// control link skips the observation and counts it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dataplane/events/event.h"
#include "dataplane/flow/flow.h"
#include "detect/observe/api_observation.h"
#include "detect/observe/endpoint_sampler.h"
#include "detect/observe/observation_builder.h"
#include "detect/sensitive/custom_detector_set.h"
#include "parsers/transaction.h"

namespace weir::dp {

class EventRing;

struct ObservationStats {
  uint64_t requests = 0;       ///< request ends seen with discovery on
  uint64_t sampled_out = 0;    ///< over their endpoint's budget
  uint64_t pool_full = 0;      ///< admitted, but no free in-flight entry
  uint64_t records = 0;        ///< observations completed
  uint64_t emitted = 0;        ///< records shipped to the event ring
  uint64_t chunks = 0;         ///< ApiCall events emitted
  uint64_t ring_full = 0;      ///< records dropped: the ring lacked room for all chunks
  uint64_t no_link = 0;        ///< records dropped: no event ring (no control link)
  uint64_t unanswered = 0;     ///< in-flight requests whose response never came
  uint64_t encode_failed = 0;  ///< records too large for the chunk format (cannot happen with the codec's bound)
};

/// What the L7 inspector knows better than the HTTP view of a request.
struct ObservationHint {
  bool protocol_known = false;
  detect::ApiProtocol protocol = detect::ApiProtocol::Rest;
  std::string_view operation;  ///< gRPC "pkg.Service/Method", WebSocket channel
};

class ObservationEmitter {
 public:
  /// `in_flight`: observations awaiting their response, per worker.
  ObservationEmitter(uint32_t parser_slots, uint32_t in_flight, uint64_t tsc_hz);
  ~ObservationEmitter();
  ObservationEmitter(const ObservationEmitter&) = delete;
  ObservationEmitter& operator=(const ObservationEmitter&) = delete;

  /// Discovery on/off and the per-endpoint budget (live: a new budget
  /// restarts the sampler's buckets in place, no allocation).
  void configure(bool enabled, uint32_t rate_per_s, uint32_t burst);
  bool enabled() const { return enabled_; }
  /// The operator's detectors (config discovery.custom_detectors), compiled
  /// with this worker's own scratch (start-up; allocates). Bit i of a
  /// record's custom_detectors is detector i. False with `err` on failure.
  bool use_custom_detectors(const std::vector<detect::CustomDetectorConfig>& detectors, std::string& err);

  /// The segment being inspected: its time, flow, the appliance ports of
  /// its request direction and the worker's ring (null: no control link).
  void begin(const Flow& flow, EventRing* ring, uint64_t now_tsc, uint16_t port_in, uint16_t port_out) {
    flow_ = &flow;
    ring_ = ring;
    now_tsc_ = now_tsc;
    port_in_ = port_in;
    port_out_ = port_out;
  }

  /// A request is complete (EndOfBody): true when it is to be observed.
  /// Cheap when false (one hash, one bucket).
  bool admit(const parse::Transaction& request);
  /// After admit(): builds the request half and keeps it until the response
  /// with the same index arrives on `parser_slot`.
  void observe_request(uint32_t parser_slot, const parse::Transaction& request, const ObservationHint& hint);
  /// After admit(): a message without an answer (a WebSocket message):
  /// built and emitted at once.
  void observe_message(const parse::Transaction& message, const ObservationHint& hint);
  /// A response is complete: completes and emits its request's observation.
  void on_response(uint32_t parser_slot, const parse::Transaction& response);
  /// The slot's requests were answered by a protocol switch (101): emitted
  /// with that status, without a response body.
  void on_switched(uint32_t parser_slot, uint16_t status);
  /// The parser slot is freed (flow ended, parser dropped): its in-flight
  /// requests are counted unanswered and forgotten.
  void release(uint32_t parser_slot);

  const ObservationStats& stats() const { return stats_; }
  const detect::EndpointSampler& sampler() const { return *sampler_; }
  uint32_t in_flight() const { return static_cast<uint32_t>(pool_.size() - free_.size()); }
  size_t state_bytes() const;

 private:
  static constexpr uint16_t kNil = UINT16_MAX;
  struct Pending {
    detect::ApiObservation obs;
    uint64_t request_tsc = 0;
    uint32_t parser_slot = 0;
    uint32_t index = 0;
    uint16_t next = kNil;
  };

  uint16_t acquire();
  void unlink(uint16_t entry);
  void finish(Pending& p, uint16_t status_if_none);
  void emit(const detect::ApiObservation& obs);
  uint64_t now_ns() const;
  uint64_t client_key() const;
  detect::ObservationContext context(const ObservationHint& hint) const;

  bool enabled_ = false;
  uint32_t rate_per_s_ = 0;
  uint32_t burst_ = 0;
  uint64_t tsc_hz_;
  std::unique_ptr<detect::EndpointSampler> sampler_;
  std::vector<Pending> pool_;
  std::vector<uint16_t> free_;
  std::vector<uint16_t> head_;  ///< parser slot -> first in-flight entry
  std::unique_ptr<detect::ApiObservation> oneshot_;  ///< observe_message's record
  std::unique_ptr<detect::CustomDetectorSet> custom_;
  mutable detect::CustomScratch custom_scratch_;  ///< this worker's; matching writes into it
  std::vector<uint8_t> wire_;
  std::vector<Event> chunks_;
  uint32_t record_no_ = 0;

  const Flow* flow_ = nullptr;
  EventRing* ring_ = nullptr;
  uint64_t now_tsc_ = 0;
  uint16_t port_in_ = 0;
  uint16_t port_out_ = 0;
  ObservationStats stats_;
};

}  // namespace weir::dp
