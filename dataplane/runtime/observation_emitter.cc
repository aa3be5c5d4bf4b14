// ObservationEmitter (see observation_emitter.h).
#include "dataplane/runtime/observation_emitter.h"

#include <time.h>

#include <new>

#include "dataplane/events/api_call_chunks.h"
#include "dataplane/events/event_ring.h"
#include "detect/observe/observation_codec.h"

namespace weir::dp {

namespace {

// A request whose response has not come for this long may give its entry
// to a new one when the pool is full (a reset HTTP/2 stream, a lost reply).
constexpr uint64_t kStaleSeconds = 10;

std::string_view path_of(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

}  // namespace

ObservationEmitter::ObservationEmitter(uint32_t parser_slots, uint32_t in_flight, uint64_t tsc_hz)
    : tsc_hz_(tsc_hz != 0 ? tsc_hz : 1),
      sampler_(std::make_unique<detect::EndpointSampler>(0, 1)),
      pool_(in_flight < kNil ? in_flight : kNil - 1),
      head_(parser_slots, kNil),
      oneshot_(std::make_unique<detect::ApiObservation>()),
      wire_(detect::max_encoded_observation_size()),
      chunks_(api_call_chunk_count(detect::max_encoded_observation_size())) {
  free_.reserve(pool_.size());
  for (size_t i = pool_.size(); i > 0; --i) free_.push_back(static_cast<uint16_t>(i - 1));
}

ObservationEmitter::~ObservationEmitter() = default;

size_t ObservationEmitter::state_bytes() const {
  return sizeof(*this) + sizeof(detect::EndpointSampler) + pool_.size() * sizeof(Pending) +
         head_.size() * sizeof(uint16_t) + sizeof(detect::ApiObservation) + wire_.size() +
         chunks_.size() * sizeof(Event);
}

void ObservationEmitter::configure(bool enabled, uint32_t rate_per_s, uint32_t burst) {
  enabled_ = enabled;
  if (rate_per_s == rate_per_s_ && burst == burst_) return;
  rate_per_s_ = rate_per_s;
  burst_ = burst;
  // In place: the table is ~100 KB and this runs on the worker.
  sampler_->~EndpointSampler();
  new (sampler_.get()) detect::EndpointSampler(rate_per_s, burst);
}

bool ObservationEmitter::use_custom_detectors(const std::vector<detect::CustomDetectorConfig>& detectors,
                                              std::string& err) {
  custom_.reset();
  if (detectors.empty()) return true;
  auto set = detect::CustomDetectorSet::compile(detectors, err);
  if (!set) return false;
  if (!set->prepare(custom_scratch_)) {
    err = "custom detectors: scratch allocation failed";
    return false;
  }
  custom_ = std::move(set);
  return true;
}

uint64_t ObservationEmitter::now_ns() const {
  return now_tsc_ / tsc_hz_ * 1000000000ull + now_tsc_ % tsc_hz_ * 1000000000ull / tsc_hz_;
}

uint64_t ObservationEmitter::client_key() const {
  if (flow_ == nullptr) return 0;
  const auto& a = flow_->initiator_is_lo ? flow_->key.lo_addr : flow_->key.hi_addr;
  return fnv1a(a.data(), a.size());
}

detect::ObservationContext ObservationEmitter::context(const ObservationHint& hint) const {
  detect::ObservationContext ctx;
  // The coarse realtime clock is a vDSO read, no syscall.
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  ctx.ts_ns = static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
  ctx.client_key = client_key();
  ctx.port_in = port_in_;
  ctx.port_out = port_out_;
  ctx.protocol_known = hint.protocol_known;
  ctx.protocol = hint.protocol;
  ctx.operation = hint.operation;
  ctx.custom = custom_.get();
  ctx.custom_scratch = custom_ ? &custom_scratch_ : nullptr;
  return ctx;
}

bool ObservationEmitter::admit(const parse::Transaction& request) {
  if (!enabled_) return false;
  ++stats_.requests;
  if (ring_ == nullptr) {
    // Nobody collects events (replay, control link not set up): not built.
    ++stats_.no_link;
    return false;
  }
  const std::string_view method = request.method.empty() ? std::string_view("GET") : request.method;
  const uint64_t key = detect::endpoint_sampling_key(request.host, method, path_of(request.target));
  if (!sampler_->admit(key, now_ns())) {
    ++stats_.sampled_out;
    return false;
  }
  return true;
}

uint16_t ObservationEmitter::acquire() {
  if (!free_.empty()) {
    const uint16_t e = free_.back();
    free_.pop_back();
    return e;
  }
  // Full: the oldest entry may go if its response is long overdue.
  uint16_t oldest = kNil;
  for (uint16_t i = 0; i < pool_.size(); ++i)
    if (oldest == kNil || pool_[i].request_tsc < pool_[oldest].request_tsc) oldest = i;
  if (oldest == kNil || now_tsc_ - pool_[oldest].request_tsc < kStaleSeconds * tsc_hz_) return kNil;
  unlink(oldest);
  ++stats_.unanswered;
  return oldest;
}

void ObservationEmitter::unlink(uint16_t entry) {
  Pending& p = pool_[entry];
  uint16_t* link = &head_[p.parser_slot];
  while (*link != kNil && *link != entry) link = &pool_[*link].next;
  if (*link == entry) *link = p.next;
  p.next = kNil;
}

void ObservationEmitter::observe_request(uint32_t parser_slot, const parse::Transaction& request,
                                         const ObservationHint& hint) {
  if (parser_slot >= head_.size()) return;
  const uint16_t e = acquire();
  if (e == kNil) {
    ++stats_.pool_full;
    return;
  }
  Pending& p = pool_[e];
  detect::observe_request(request, context(hint), p.obs);
  p.request_tsc = now_tsc_;
  p.parser_slot = parser_slot;
  p.index = request.index;
  // Appended at the tail: responses come in request order (HTTP/1), so the
  // match is usually the head.
  p.next = kNil;
  uint16_t* link = &head_[parser_slot];
  while (*link != kNil) link = &pool_[*link].next;
  *link = e;
}

void ObservationEmitter::observe_message(const parse::Transaction& message, const ObservationHint& hint) {
  parse::Transaction t = message;
  if (t.method.empty()) t.method = "GET";  // a WebSocket channel is reached by a GET
  detect::observe_request(t, context(hint), *oneshot_);
  ++stats_.records;
  emit(*oneshot_);
}

void ObservationEmitter::on_response(uint32_t parser_slot, const parse::Transaction& response) {
  if (parser_slot >= head_.size() || head_[parser_slot] == kNil) return;
  // Interim responses (100 Continue) do not answer the request, nor does a
  // 101: on_switched() completes a WebSocket handshake, stream 1's HTTP/2
  // response the request that asked for h2c.
  if (response.status >= 100 && response.status < 200) return;
  for (uint16_t e = head_[parser_slot]; e != kNil; e = pool_[e].next) {
    Pending& p = pool_[e];
    if (p.index != response.index) continue;
    const uint64_t us = (now_tsc_ - p.request_tsc) * 1000000ull / tsc_hz_;
    detect::ObservationContext ctx = context({});
    detect::observe_response(response, static_cast<uint32_t>(us > UINT32_MAX ? UINT32_MAX : us), ctx, p.obs);
    unlink(e);
    ++stats_.records;
    emit(p.obs);
    free_.push_back(e);
    return;
  }
}

void ObservationEmitter::on_switched(uint32_t parser_slot, uint16_t status) {
  if (parser_slot >= head_.size()) return;
  while (head_[parser_slot] != kNil) {
    const uint16_t e = head_[parser_slot];
    Pending& p = pool_[e];
    head_[parser_slot] = p.next;
    p.next = kNil;
    p.obs.status = status;
    const uint64_t us = (now_tsc_ - p.request_tsc) * 1000000ull / tsc_hz_;
    p.obs.latency_us = static_cast<uint32_t>(us > UINT32_MAX ? UINT32_MAX : us);
    ++stats_.records;
    emit(p.obs);
    free_.push_back(e);
  }
}

void ObservationEmitter::release(uint32_t parser_slot) {
  if (parser_slot >= head_.size()) return;
  while (head_[parser_slot] != kNil) {
    const uint16_t e = head_[parser_slot];
    head_[parser_slot] = pool_[e].next;
    pool_[e].next = kNil;
    ++stats_.unanswered;
    free_.push_back(e);
  }
}

void ObservationEmitter::emit(const detect::ApiObservation& obs) {
  const size_t len = detect::encode(obs, wire_);
  const size_t n = len ? split_api_call({wire_.data(), len}, record_no_, chunks_.data(), chunks_.size()) : 0;
  if (n == 0) {
    ++stats_.encode_failed;
    return;
  }
  if (ring_ == nullptr) {
    ++stats_.no_link;
    return;
  }
  // All or none: a record cut in the ring would only be dropped by weir-control.
  if (ring_->free_count() < n) {
    ++stats_.ring_full;
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    Event& ev = chunks_[i];
    ev.ts_ns = obs.ts_ns;
    if (flow_ != nullptr) {
      const bool lo = flow_->initiator_is_lo;
      ev.proto = flow_->key.proto;
      ev.client_addr = lo ? flow_->key.lo_addr : flow_->key.hi_addr;
      ev.client_port = lo ? flow_->key.lo_port : flow_->key.hi_port;
      ev.server_addr = lo ? flow_->key.hi_addr : flow_->key.lo_addr;
      ev.server_port = lo ? flow_->key.hi_port : flow_->key.lo_port;
    }
    ring_->try_emit(ev);  // cannot fail: room checked, this worker is the only producer
  }
  ++record_no_;
  ++stats_.emitted;
  stats_.chunks += n;
}

}  // namespace weir::dp
