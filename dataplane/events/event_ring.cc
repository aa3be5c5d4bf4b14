// EventRing on rte_ring_create_elem (see event_ring.h).
#include "dataplane/events/event_ring.h"

#include <rte_errno.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <time.h>

namespace weir::dp {

namespace {
unsigned round_pow2(unsigned v) {
  unsigned p = 1;
  while (p < v && p < (1u << 30)) p <<= 1;
  return p;
}
uint64_t realtime_ns() {
  // The coarse clock is a vDSO read (no syscall); millisecond precision is
  // plenty for an alert timestamp.
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}
}  // namespace

std::unique_ptr<EventRing> EventRing::create(uint8_t worker, uint32_t boot, unsigned capacity,
                                             int socket_id, std::string& err) {
  // Names are process-wide in DPDK; a serial keeps re-created rings apart.
  static std::atomic<unsigned> serial{0};
  const std::string name = "weir_ev_" + std::to_string(worker) + "_" +
                           std::to_string(serial.fetch_add(1, std::memory_order_relaxed));
  // rte_ring keeps one slot free unless RING_F_EXACT_SZ; ask for the count.
  rte_ring* r = rte_ring_create_elem(name.c_str(), sizeof(Event), round_pow2(capacity), socket_id,
                                     RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
  if (r == nullptr) {
    err = "rte_ring_create_elem(" + name + "): " + rte_strerror(rte_errno);
    return nullptr;
  }
  return std::unique_ptr<EventRing>(new EventRing(r, worker, boot));
}

EventRing::EventRing(rte_ring* ring, uint8_t worker, uint32_t boot)
    : ring_(ring), worker_(worker), boot_(boot) {}

EventRing::~EventRing() { rte_ring_free(ring_); }

bool EventRing::try_emit(const Event& ev) {
  Event rec = ev;
  rec.worker = worker_;
  rec.sequence = next_seq_;
  rec.id = make_event_id(boot_, worker_, next_seq_);
  if (rec.ts_ns == 0) rec.ts_ns = realtime_ns();
  if (rte_ring_sp_enqueue_elem(ring_, &rec, sizeof(Event)) != 0) {
    overflow_.store(overflow_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return false;
  }
  ++next_seq_;
  emitted_.store(emitted_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return true;
}

unsigned EventRing::drain(Event* out, unsigned max) {
  return rte_ring_sc_dequeue_burst_elem(ring_, out, sizeof(Event), max, nullptr);
}

unsigned EventRing::count() const { return rte_ring_count(ring_); }
unsigned EventRing::free_count() const { return rte_ring_free_count(ring_); }

}  // namespace weir::dp
