// L7Inspector: protocol detection, parser slots and the decision -> verdict
// path of a worker (see l7_inspector.h).

#include "dataplane/runtime/l7_inspector.h"

#include <algorithm>
#include <cstring>

#include "dataplane/events/event_ring.h"
#include "dataplane/runtime/alert_event.h"
#include "parsers/protocol_sniff.h"
#include "parsers/http2/http2_parser.h"
#include "parsers/registry.h"
#include "parsers/websocket/websocket_parser.h"

namespace weir::dp {

namespace {

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

// An HTTP/1 request with "Upgrade: websocket".
bool asks_websocket(const parse::Transaction& txn) {
  for (const parse::Field& f : txn.fields) {
    if (f.zone != parse::Zone::Header || !ieq(f.name, "upgrade")) continue;
    for (size_t i = 0; i + 9 <= f.value.size(); ++i)
      if (ieq(f.value.substr(i, 9), "websocket")) return true;
  }
  return false;
}

// A WebSocket channel is named by the last segment of its path (/ws/prices -> prices).
ObservationHint websocket_hint(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  ObservationHint h;
  h.protocol_known = true;
  h.protocol = detect::ApiProtocol::WebSocket;
  h.operation = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return h;
}

}  // namespace

/// The parsers' TransactionSink: one decision -> engine -> alert/verdict.
class L7Inspector::DecisionSink final : public parse::TransactionSink {
 public:
  explicit DecisionSink(L7Inspector& owner) : owner_(owner) {}
  void set_slot(Slot* s) { slot_ = s; }
  parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
    if (slot_->proto == Proto::Http1) {
      slot_->ws.observe(txn);
      slot_->h2c.observe(txn);
    }
    owner_.inspector_.on_decision(txn);
    const parse::SinkVerdict v = owner_.conclude(owner_.inspector_.last(), &txn);
    // What is stopped never reaches the server: not part of the API estate.
    if (v != parse::SinkVerdict::Block && owner_.observer_ && owner_.observer_->enabled()) owner_.observe(*slot_, txn);
    return v;
  }

 private:
  L7Inspector& owner_;
  Slot* slot_ = nullptr;
};

void L7Inspector::StatePool::init(const char* parser, uint32_t count) {
  api = parse::find_parser(parser);
  align = std::max(api->state_align, alignof(std::max_align_t));
  stride = (api->state_size + align - 1) / align * align;
  // operator new[] of std::byte guarantees max_align_t only: over-allocate and align by hand.
  storage = std::make_unique<std::byte[]>(stride * count + align);
  free.reserve(count);
  for (uint32_t i = count; i > 0; --i) free.push_back(i - 1);
}

void* L7Inspector::StatePool::at(uint32_t i) const {
  auto base = reinterpret_cast<uintptr_t>(storage.get());
  base = (base + align - 1) / align * align;
  return reinterpret_cast<void*>(base + stride * i);
}

size_t L7Inspector::state_bytes() const {
  size_t total = slots_.size() * sizeof(Slot);
  for (const auto& p : pools_) total += p.stride * p.free.capacity();
  return total;
}

L7Inspector::L7Inspector(uint32_t flow_capacity, uint32_t parser_slots, const parse::ParseLimits& limits,
                         const parse::WorkspaceSizes& sizes)
    : workspace_(limits, sizes), by_flow_(flow_capacity + 1, kNone), sink_(std::make_unique<DecisionSink>(*this)) {
  pools_[static_cast<int>(Proto::Http1)].init("http1", parser_slots);
  pools_[static_cast<int>(Proto::Http2)].init("http2", std::max<uint32_t>(16, parser_slots / 16));
  pools_[static_cast<int>(Proto::WebSocket)].init("websocket", std::max<uint32_t>(16, parser_slots / 8));
  slots_.resize(parser_slots);
  free_.reserve(parser_slots);
  for (uint32_t i = parser_slots; i > 0; --i) free_.push_back(i - 1);
}

L7Inspector::~L7Inspector() {
  for (auto& s : slots_) destroy(s);
}

void L7Inspector::use(const detect::PolicySnapshot* snap, detect::InspectionEngine* engine) {
  snap_ = engine != nullptr ? snap : nullptr;
  engine_ = engine;
  inspector_.set_engine(engine_);
  inspector_.set_snapshot(snap_);
}

bool L7Inspector::place(Slot& s, Proto proto) {
  StatePool& pool = pools_[static_cast<int>(proto)];
  if (pool.free.empty()) return false;
  s.proto = proto;
  s.state = pool.free.back();
  pool.free.pop_back();
  return true;
}

void L7Inspector::destroy(Slot& s) {
  if (s.parser == nullptr) return;
  parse::destroy_parser(s.parser);
  s.parser = nullptr;
  pools_[static_cast<int>(s.proto)].free.push_back(s.state);
}

void L7Inspector::drop_parser(uint32_t flow_slot) {
  uint32_t& idx = by_flow_[flow_slot];
  if (idx < slots_.size()) {
    Slot& s = slots_[idx];
    if (observer_) observer_->release(idx);
    destroy(s);
    s.sniff_len = 0;
    s.preface_check = 0;
    s.ws.clear();
    s.h2c.clear();
    s.carry = {};
    free_.push_back(idx);
  }
  idx = kNoParser;
}

void L7Inspector::release(uint32_t flow_slot) {
  drop_parser(flow_slot);
  by_flow_[flow_slot] = kNone;
}

uint32_t L7Inspector::assign(const parse::StreamChunk& chunk, uint64_t stream_offset) {
  if (chunk.direction == parse::Direction::Response &&
      (stream_offset != 0 || !parse::looks_like_server_preface(chunk.bytes.data(), chunk.bytes.size()))) {
    // The server spoke first: not a protocol we parse (HTTP clients speak
    // first), except an h2c server that sends its SETTINGS at accept.
    ++stats_.other_flows;
    return kNoParser;
  }
  if (stream_offset != 0) {
    ++stats_.midstream_flows;
    return kNoParser;
  }
  if (free_.empty()) {
    ++stats_.parser_pool_exhausted;
    return kNoParser;
  }
  uint32_t idx = free_.back();
  free_.pop_back();
  return idx;
}

SinkVerdict L7Inspector::on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset) {
  if (flow_ == nullptr) return SinkVerdict::Continue;
  uint32_t& idx = by_flow_[slot_];
  if (idx == kNone) {
    if (chunk.bytes.empty()) return SinkVerdict::Continue;  // a bare FIN decides nothing
    idx = assign(chunk, stream_offset);
    if (idx < slots_.size() && chunk.direction == parse::Direction::Response) {
      Slot& s = slots_[idx];
      if (!place(s, Proto::Http2)) {
        ++stats_.parser_pool_exhausted;
        drop_parser(slot_);
        return SinkVerdict::Continue;
      }
      ++stats_.http2_flows;
      s.parser = parse::make_http2_parser(pools_[static_cast<int>(Proto::Http2)].at(s.state), workspace_);
      s.preface_check = static_cast<uint8_t>(parse::kHttp2ClientPreface.size());
      return feed(s, chunk);
    }
  }
  if (idx >= slots_.size()) return SinkVerdict::Continue;
  Slot& s = slots_[idx];
  if (s.parser != nullptr && s.preface_check > 0 && chunk.direction == parse::Direction::Request) {
    // The server looked like HTTP/2: the client confirms it with the preface, or the flow is not ours.
    const size_t n = std::min<size_t>(chunk.bytes.size(), s.preface_check);
    const size_t at = parse::kHttp2ClientPreface.size() - s.preface_check;
    if (std::memcmp(chunk.bytes.data(), parse::kHttp2ClientPreface.data() + at, n) != 0) {
      ++stats_.other_flows;
      drop_parser(slot_);
      return SinkVerdict::Continue;
    }
    s.preface_check = static_cast<uint8_t>(s.preface_check - n);
  }
  if (s.parser != nullptr) return feed(s, chunk);
  if (chunk.direction == parse::Direction::Response) return SinkVerdict::Continue;

  // Still sniffing: look at the kept prefix plus this chunk.
  uint8_t probe[kSniffMax];
  size_t n = s.sniff_len;
  std::memcpy(probe, s.sniff, n);
  size_t take = std::min(chunk.bytes.size(), kSniffMax - n);
  std::memcpy(probe + n, chunk.bytes.data(), take);
  parse::SniffResult what = parse::sniff_client_protocol({probe, n + take});
  if (what == parse::SniffResult::NeedMore && !chunk.end_of_stream && n + take < kSniffMax) {
    std::memcpy(s.sniff + n, chunk.bytes.data(), take);  // take == whole chunk here
    s.sniff_len = static_cast<uint8_t>(n + take);
    return SinkVerdict::Continue;
  }
  const Proto proto = what == parse::SniffResult::Http2 ? Proto::Http2 : Proto::Http1;
  if (what != parse::SniffResult::Http1 && what != parse::SniffResult::Http2) {
    // TLS (not decrypted here) and unknown protocols: stream signatures only.
    ++stats_.other_flows;
    drop_parser(slot_);
    return SinkVerdict::Continue;
  }
  if (!place(s, proto)) {
    ++stats_.parser_pool_exhausted;
    drop_parser(slot_);
    return SinkVerdict::Continue;
  }
  ++(proto == Proto::Http2 ? stats_.http2_flows : stats_.http1_flows);
  const StatePool& pool = pools_[static_cast<int>(proto)];
  s.parser = pool.api->make(pool.at(s.state), workspace_);
  if (s.sniff_len > 0) {
    parse::StreamChunk prefix{parse::Direction::Request, {s.sniff, s.sniff_len}, false};
    s.sniff_len = 0;
    if (feed(s, prefix) == SinkVerdict::Block) return SinkVerdict::Block;
    if (by_flow_[slot_] != idx) return SinkVerdict::Continue;  // the parser gave up on the prefix
  }
  return feed(s, chunk);
}

SinkVerdict L7Inspector::feed(Slot& s, const parse::StreamChunk& chunk) {
  blocked_in_feed_ = false;
  sink_->set_slot(&s);
  inspector_.set_carry(s.carry);
  parse::FeedResult r = s.parser->feed(chunk, *sink_);
  s.carry = inspector_.carry();
  // A parser may report a fatal finding to the sink (which blocked) and then
  // stop with ParseError: that is one decision, not two.
  if (blocked_in_feed_) {
    if (r.status == parse::FeedStatus::ParseError) ++stats_.parse_errors;
    return SinkVerdict::Block;
  }
  switch (r.status) {
    case parse::FeedStatus::Ok:
      return SinkVerdict::Continue;
    case parse::FeedStatus::Blocked:
      return SinkVerdict::Block;
    case parse::FeedStatus::ParseError:
      return on_parse_error(s, r);
    case parse::FeedStatus::Upgraded:
      return on_upgrade(s, chunk, r);
    case parse::FeedStatus::ResourceLimit:
      ++stats_.resource_limits;
      drop_parser(slot_);
      return SinkVerdict::Continue;
  }
  return SinkVerdict::Continue;
}

SinkVerdict L7Inspector::on_upgrade(Slot& s, const parse::StreamChunk& chunk, const parse::FeedResult& r) {
  ++stats_.upgrades;
  const bool ws = r.upgrade == parse::UpgradeKind::WebSocket && s.ws.requested();
  // h2c with prior knowledge: the HTTP/1 parser read the preface on the request side.
  const bool h2c = r.upgrade == parse::UpgradeKind::H2c && chunk.direction == parse::Direction::Request;
  // h2c by 101 (RFC 7540 3.2): the request that asked becomes stream 1.
  const bool h2c_101 =
      r.upgrade == parse::UpgradeKind::H2c && chunk.direction == parse::Direction::Response && s.h2c.requested();
  if (!ws && !h2c && !h2c_101) {
    ++stats_.upgrades_unparsed;
    drop_parser(slot_);
    return SinkVerdict::Continue;
  }
  // The request that asked for a WebSocket is answered by the switch; after
  // an h2c 101 its answer is stream 1's HTTP/2 response (same index): it
  // stays in flight on this slot.
  if (observer_ && !h2c_101) observer_->on_switched(static_cast<uint32_t>(&s - slots_.data()), 101);
  destroy(s);
  s.carry = {};
  const Proto next = ws ? Proto::WebSocket : Proto::Http2;
  if (!place(s, next)) {
    ++stats_.upgrades_unparsed;
    ++stats_.parser_pool_exhausted;
    drop_parser(slot_);
    return SinkVerdict::Continue;
  }
  void* storage = pools_[static_cast<int>(next)].at(s.state);
  if (ws) {
    ++stats_.websocket_flows;
    s.parser = parse::make_websocket_parser_for(storage, workspace_, s.ws.handshake());
  } else if (h2c_101) {
    ++stats_.http2_flows;
    s.parser = parse::make_http2_upgrade_parser(storage, workspace_, s.h2c.upgrade());
  } else {
    ++stats_.http2_flows;
    s.parser = parse::make_http2_parser_after_preface(storage, workspace_);
  }
  if (r.consumed >= chunk.bytes.size()) return SinkVerdict::Continue;
  // The rest of this chunk already belongs to the new protocol.
  parse::StreamChunk rest{chunk.direction, chunk.bytes.subspan(r.consumed), chunk.end_of_stream};
  return feed(s, rest);
}

SinkVerdict L7Inspector::on_parse_error(Slot&, const parse::FeedResult& r) {
  ++stats_.parse_errors;
  parse::SinkVerdict v = parse::SinkVerdict::Pass;
  if (snap_ != nullptr && engine_ != nullptr) {
    // The cause goes through the engine like any fatal parser finding, so
    // policy.parser_fatal, monitor mode and exceptions apply to it too.
    detect::InspectionContext ctx{.path = {}, .point = parse::DecisionPoint::EndOfHeaders, .carried_score = 0,
                                  .parser_findings = {&r.error, 1}};
    v = conclude(engine_->inspect(*snap_, {}, ctx), nullptr);
  }
  if (v == parse::SinkVerdict::Block) return SinkVerdict::Block;
  drop_parser(slot_);  // the parser refuses further bytes: the rest of the flow is not parsed
  return SinkVerdict::Continue;
}

void L7Inspector::enable_observations(uint32_t in_flight, uint64_t tsc_hz) {
  observer_ = std::make_unique<ObservationEmitter>(static_cast<uint32_t>(slots_.size()), in_flight, tsc_hz);
}

void L7Inspector::observe(Slot& s, const parse::Transaction& txn) {
  ObservationEmitter& o = *observer_;
  const auto idx = static_cast<uint32_t>(&s - slots_.data());
  const bool request = txn.direction == parse::Direction::Request;
  if (s.proto == Proto::WebSocket) {
    // Client messages only: a server's messages answer nothing in particular.
    if (request && txn.point == parse::DecisionPoint::EndOfMessage && o.admit(txn))
      o.observe_message(txn, websocket_hint(txn.target));
    return;
  }
  if (txn.point != parse::DecisionPoint::EndOfBody) return;
  if (!request) {
    o.on_response(idx, txn);
    return;
  }
  if (!o.admit(txn)) return;
  ObservationHint hint;
  if (txn.protocol == parse::Protocol::Grpc) {
    hint.protocol_known = true;
    hint.protocol = detect::ApiProtocol::Grpc;
    std::string_view path = txn.target.substr(0, txn.target.find('?'));
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    hint.operation = path;  // "pkg.Service/Method"
  } else if (s.proto == Proto::Http1 && asks_websocket(txn)) {
    hint = websocket_hint(txn.target);  // the handshake and its messages are one endpoint
  }
  o.observe_request(idx, txn, hint);
}

parse::SinkVerdict L7Inspector::conclude(const detect::InspectionResult& r, const parse::Transaction* txn) {
  ++stats_.decisions;
  stats_.fields += r.stats.fields;
  stats_.scans += r.stats.scans;
  if (r.status != detect::InspectionStatus::Ok) ++stats_.scan_errors;
  if (r.verdict.action == detect::VerdictAction::Pass) return parse::SinkVerdict::Pass;
  // The end of a body carries the head's score: with nothing new found there,
  // the head's decision already said everything (and alerted).
  if (r.findings.empty() && !r.verdict.stops_traffic()) return parse::SinkVerdict::Pass;
  const bool stop = r.verdict.stops_traffic() && !monitor_;
  if (r.verdict.stops_traffic() && monitor_) ++stats_.monitor_passes;
  uint64_t event_id = 0;
  if (events_ != nullptr) {
    Event ev;
    fill_decision_alert(ev, *flow_, r, txn, stop);
    const uint64_t id = events_->next_id();
    if (events_->try_emit(ev)) event_id = id;
  }
  ++stats_.alerts;
  if (!stop) return parse::SinkVerdict::Pass;
  ++stats_.blocks;
  page_ = block_page_for(snap_->policy(), txn, event_id);
  blocked_in_feed_ = true;
  return parse::SinkVerdict::Block;
}

}  // namespace weir::dp
