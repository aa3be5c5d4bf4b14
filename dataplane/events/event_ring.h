#pragma once
// A per-worker single-producer/single-consumer ring of fixed Event records
// (rte_ring with 256-byte elements). The owning worker is the only producer
// and calls try_emit(), which never blocks: a full ring drops the event and
// counts it. The main lcore is the only consumer and calls drain().

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/events/event.h"

struct rte_ring;

namespace weir::dp {

class EventRing {
 public:
  /// Creates a ring "weir_ev_<worker>_<serial>" on `socket_id` (SOCKET_ID_ANY = -1).
  /// `capacity` is rounded up to a power of two. `boot` is the dataplane
  /// boot number that goes into every event id. nullptr on failure; `err`
  /// says why (rte_errno text).
  static std::unique_ptr<EventRing> create(uint8_t worker, uint32_t boot, unsigned capacity,
                                           int socket_id, std::string& err);
  ~EventRing();
  EventRing(const EventRing&) = delete;
  EventRing& operator=(const EventRing&) = delete;

  /// Producer side (the owning worker only). Copies `ev`, stamps id, worker,
  /// sequence and (when ev.ts_ns == 0) the time. False when the ring is
  /// full: the event is dropped and overflow() grows.
  bool try_emit(const Event& ev);
  /// The id the next successful try_emit() stamps (the block page names it).
  uint64_t next_id() const { return make_event_id(boot_, worker_, next_seq_); }

  /// Consumer side (the main lcore only): moves up to `max` events to `out`.
  unsigned drain(Event* out, unsigned max);

  uint8_t worker() const { return worker_; }
  uint64_t emitted() const { return emitted_.load(std::memory_order_relaxed); }
  uint64_t overflow() const { return overflow_.load(std::memory_order_relaxed); }
  unsigned count() const;       ///< events waiting (approximate, consumer side)
  unsigned free_count() const;  ///< free slots (exact for the producer)

 private:
  EventRing(rte_ring* ring, uint8_t worker, uint32_t boot);

  rte_ring* ring_;
  uint8_t worker_;
  uint32_t boot_;
  // Producer-owned, read by the main lcore for counters: single writer, so
  // relaxed load+store instead of an atomic read-modify-write.
  alignas(64) uint64_t next_seq_ = 0;
  std::atomic<uint64_t> emitted_{0};
  std::atomic<uint64_t> overflow_{0};
};

}  // namespace weir::dp
