// L7Inspector: protocol detection, parser slots and the decision -> verdict
// path of a worker (see l7_inspector.h).

#include "dataplane/runtime/l7_inspector.h"

#include <algorithm>
#include <cstring>

#include "dataplane/events/event_ring.h"
#include "dataplane/runtime/alert_event.h"
#include "parsers/protocol_sniff.h"
#include "parsers/registry.h"

namespace weir::dp {

/// The parsers' TransactionSink: one decision -> engine -> alert/verdict.
class L7Inspector::DecisionSink final : public parse::TransactionSink {
 public:
  explicit DecisionSink(L7Inspector& owner) : owner_(owner) {}
  parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
    owner_.inspector_.on_decision(txn);
    return owner_.conclude(owner_.inspector_.last(), &txn);
  }

 private:
  L7Inspector& owner_;
};

L7Inspector::L7Inspector(uint32_t flow_capacity, uint32_t parser_slots, const parse::ParseLimits& limits,
                         const parse::WorkspaceSizes& sizes)
    : workspace_(limits, sizes), by_flow_(flow_capacity + 1, kNone), sink_(std::make_unique<DecisionSink>(*this)) {
  size_t size = 0, align = alignof(std::max_align_t);
  for (const auto& api : parse::parser_registry()) {
    size = std::max(size, api.state_size);
    align = std::max(align, api.state_align);
  }
  state_stride_ = (size + align - 1) / align * align;
  // operator new[] of std::byte guarantees max_align_t only: over-allocate and align by hand.
  state_storage_ = std::make_unique<std::byte[]>(state_stride_ * parser_slots + align);
  slots_.resize(parser_slots);
  free_.reserve(parser_slots);
  for (uint32_t i = parser_slots; i > 0; --i) free_.push_back(i - 1);
  align_ = align;
}

L7Inspector::~L7Inspector() {
  for (auto& s : slots_) parse::destroy_parser(s.parser);
}

void L7Inspector::use(const detect::PolicySnapshot* snap, detect::InspectionEngine* engine) {
  snap_ = engine != nullptr ? snap : nullptr;
  engine_ = engine;
  inspector_.set_engine(engine_);
  inspector_.set_snapshot(snap_);
}

void* L7Inspector::storage(uint32_t idx) {
  auto base = reinterpret_cast<uintptr_t>(state_storage_.get());
  base = (base + align_ - 1) / align_ * align_;
  return reinterpret_cast<void*>(base + state_stride_ * idx);
}

void L7Inspector::drop_parser(uint32_t flow_slot) {
  uint32_t& idx = by_flow_[flow_slot];
  if (idx < slots_.size()) {
    Slot& s = slots_[idx];
    parse::destroy_parser(s.parser);
    s.parser = nullptr;
    s.sniff_len = 0;
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
  if (chunk.direction == parse::Direction::Response) {
    // The server spoke first: not a protocol we parse (HTTP clients speak first).
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
  }
  if (idx >= slots_.size()) return SinkVerdict::Continue;
  Slot& s = slots_[idx];
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
  if (what != parse::SniffResult::Http1) {
    // HTTP/2, TLS and unknown protocols: stream signatures only, for now.
    ++stats_.other_flows;
    drop_parser(slot_);
    return SinkVerdict::Continue;
  }
  ++stats_.http1_flows;
  static const parse::ParserApi* http1 = parse::find_parser("http1");
  s.parser = http1->make(storage(idx), workspace_);
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
      ++stats_.upgrades;
      drop_parser(slot_);
      return SinkVerdict::Continue;
    case parse::FeedStatus::ResourceLimit:
      ++stats_.resource_limits;
      drop_parser(slot_);
      return SinkVerdict::Continue;
  }
  return SinkVerdict::Continue;
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
  if (events_ != nullptr) {
    Event ev;
    fill_decision_alert(ev, *flow_, r, txn, stop);
    events_->try_emit(ev);
  }
  ++stats_.alerts;
  if (!stop) return parse::SinkVerdict::Pass;
  ++stats_.blocks;
  blocked_in_feed_ = true;
  return parse::SinkVerdict::Block;
}

}  // namespace weir::dp
