#include "dataplane/runtime/stream_inspector.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "dataplane/events/event_ring.h"
#include "dataplane/runtime/alert_event.h"

namespace weir::dp {
namespace {

std::string endpoint(const IpAddress& a, uint16_t port) {
  char buf[INET6_ADDRSTRLEN];
  bool v4 = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; }) && a[10] == 0xff && a[11] == 0xff;
  inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a.data() + 12 : a.data(), buf, sizeof buf);
  return std::string(buf) + "_" + std::to_string(port);
}

}  // namespace

StreamInspector::StreamInspector(uint32_t flow_capacity, uint32_t scanners,
                                 const detect::StreamSignatureDatabase* db, L7Inspector* l7)
    : db_(db != nullptr && !db->empty() ? db : nullptr), l7_(l7), by_slot_(flow_capacity + 1, {kNone, kNone}) {
  if (db_ == nullptr) return;
  scanners_ = std::vector<detect::StreamScanner>(scanners);
  free_.reserve(scanners);
  for (uint32_t i = scanners; i > 0; --i) free_.push_back(i - 1);
  state_pool_ = std::make_unique<detect::StreamStatePool>(db_->stream_state_bytes(), scanners);
}

StreamInspector::~StreamInspector() {
  for (auto& s : scanners_) s.discard();
}

bool StreamInspector::bind_to_this_thread(std::string& err) {
  if (db_ == nullptr) return true;
  if (!state_pool_->valid() || !state_pool_->bind_to_this_thread()) {
    err = "cannot reserve Hyperscan stream state for " + std::to_string(scanners_.size()) + " scanners";
    return false;
  }
  if (!scratch_.prepare(*db_)) {
    err = "cannot allocate Hyperscan scratch for the stream signatures";
    return false;
  }
  return true;
}

void StreamInspector::release(uint32_t slot) {
  if (l7_ != nullptr) l7_->release(slot);
  for (uint32_t& idx : by_slot_[slot]) {
    if (idx < scanners_.size()) {
      scanners_[idx].discard();
      free_.push_back(idx);
    }
    idx = kNone;
  }
}

void StreamInspector::on_stream_finding(const detect::StreamFinding& f) {
  ++stats_.findings;
  if (events_ == nullptr || flow_ == nullptr) return;
  Event ev;
  ev.kind = EventKind::Alert;
  ev.severity = event_severity(f.severity);
  ev.rule_id = static_cast<uint32_t>(f.rule_index) + 1;
  set_flow_endpoints(ev, *flow_);
  ev.set_class(detect::attack_class_name(f.attack_class));
  ev.set_zone("stream");
  std::string text = std::string(f.rule_id) + ": " + std::string(f.message) + " | ";
  for (char c : f.excerpt) text += (c >= 0x20 && c < 0x7f) ? c : '.';
  ev.set_text(text);
  events_->try_emit(ev);
}

SinkVerdict StreamInspector::on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset) {
  if (!dump_dir_.empty()) dump(chunk);
  if (scan_signatures(chunk, stream_offset) == SinkVerdict::Block) return SinkVerdict::Block;
  return l7_ != nullptr ? l7_->on_chunk(chunk, stream_offset) : SinkVerdict::Continue;
}

SinkVerdict StreamInspector::scan_signatures(const parse::StreamChunk& chunk, uint64_t stream_offset) {
  if (db_ == nullptr || flow_ == nullptr) return SinkVerdict::Continue;
  uint32_t& idx = by_slot_[slot_][static_cast<int>(chunk.direction)];
  if (idx == kNone) {
    if (free_.empty()) {
      ++stats_.scanner_pool_exhausted;
      idx = kRefused;
    } else {
      idx = free_.back();
      free_.pop_back();
      if (scanners_[idx].open(*db_, stream_offset) != detect::StreamOpenStatus::Open) {
        ++stats_.open_failed;
        free_.push_back(idx);
        idx = kRefused;
      }
    }
  }
  if (idx >= scanners_.size()) return SinkVerdict::Continue;
  detect::StreamScanner& sc = scanners_[idx];
  detect::StreamScanResult r;
  if (!chunk.bytes.empty()) {
    std::string_view bytes(reinterpret_cast<const char*>(chunk.bytes.data()), chunk.bytes.size());
    r = sc.scan(scratch_, bytes, stream_offset, *this);
    stats_.bytes_scanned += chunk.bytes.size();
    if (r.status == detect::StreamScanStatus::Resynced) ++stats_.gaps;
  }
  if (chunk.end_of_stream) {
    detect::StreamScanResult c = sc.close(scratch_, *this);
    r.block = r.block || c.block;
  }
  if (r.block && !monitor_) {
    ++stats_.blocks;
    return SinkVerdict::Block;
  }
  return SinkVerdict::Continue;
}

void StreamInspector::dump(const parse::StreamChunk& chunk) {
  if (flow_ == nullptr || chunk.bytes.empty()) return;
  const FlowKey& k = flow_->key;
  bool lo_client = flow_->initiator_is_lo;
  std::string name = dump_dir_ + "/" + endpoint(lo_client ? k.lo_addr : k.hi_addr, lo_client ? k.lo_port : k.hi_port) +
                     "-" + endpoint(lo_client ? k.hi_addr : k.lo_addr, lo_client ? k.hi_port : k.lo_port) +
                     (chunk.direction == parse::Direction::Request ? ".req" : ".resp");
  if (FILE* f = std::fopen(name.c_str(), "ab")) {
    std::fwrite(chunk.bytes.data(), 1, chunk.bytes.size(), f);
    std::fclose(f);
  }
}

}  // namespace weir::dp
