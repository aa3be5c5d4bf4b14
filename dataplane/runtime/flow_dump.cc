#include "dataplane/runtime/flow_dump.h"

#include <algorithm>

namespace weir::dp {
namespace {

uint64_t total_bytes(const FlowDumpEntry& s) { return s.bytes[0] + s.bytes[1] + s.packets[0] + s.packets[1]; }
// Min-heap on traffic: the root is the smallest kept flow, replaced when a bigger one comes.
bool heavier(const FlowDumpEntry& a, const FlowDumpEntry& b) { return total_bytes(a) > total_bytes(b); }

}  // namespace

bool FlowDumpMailbox::request(std::optional<config::Cidr> filter, size_t limit) {
  if (state_.load(std::memory_order_acquire) == State::Requested) return false;
  if (results_.capacity() < kMaxFlows) results_.reserve(kMaxFlows);
  filter_ = filter;
  limit_ = std::clamp<size_t>(limit, 1, kMaxFlows);
  state_.store(State::Requested, std::memory_order_release);
  return true;
}

bool FlowDumpMailbox::matches(const FlowKey& k) const {
  return !filter_ || filter_->contains(k.lo_addr) || filter_->contains(k.hi_addr);
}

void FlowDumpMailbox::offer(const FlowDumpEntry& s) {
  if (results_.size() < limit_) {
    results_.push_back(s);
    std::push_heap(results_.begin(), results_.end(), heavier);
  } else if (heavier(s, results_.front())) {
    std::pop_heap(results_.begin(), results_.end(), heavier);
    results_.back() = s;
    std::push_heap(results_.begin(), results_.end(), heavier);
  }
}

const char* tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::None: return "none";
    case TcpState::SynSent: return "syn_sent";
    case TcpState::SynReceived: return "syn_received";
    case TcpState::Established: return "established";
    case TcpState::Closing: return "closing";
    case TcpState::Closed: return "closed";
    case TcpState::MidStream: return "mid_stream";
  }
  return "?";
}

}  // namespace weir::dp
