#pragma once
// IpDefragmenter: one worker's IPv4/IPv6 fragment reassembly for an inline
// inspector. Unlike rte_ip_frag it never consumes a buffer: it keeps the
// caller's ORIGINAL fragments (opaque handles, e.g. mbuf pointers, and a
// view of their bytes, which must stay valid while held), compares every
// overlap byte by byte, and when a datagram is complete builds it into a
// per-worker buffer for inspection and gives every original back, so the
// caller forwards them after the verdict (or frees them). Anomalies give
// the fragments back with a named reason (drop + finding, or forward in
// monitor mode). Fixed storage allocated in the constructor; nothing per
// packet. Single-threaded: one per worker.

#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/defrag/defrag_reason.h"
#include "dataplane/packet.h"

namespace weir::dp {

struct DefragConfig {
  uint32_t max_datagrams = 1024;      ///< datagrams in flight per worker
  uint32_t max_fragments = 64;        ///< fragments per datagram (1..255)
  uint64_t max_bytes = 16u << 20;     ///< frame bytes of held fragments per worker
  uint64_t timeout_tsc = 0;           ///< since the first fragment (0: never; the caller's clock)
};

struct DefragStats {
  uint64_t reasons[static_cast<size_t>(DefragReason::Count)] = {};
  uint64_t count(DefragReason r) const { return reasons[static_cast<size_t>(r)]; }
};

enum class DefragStatus : uint8_t {
  None,      ///< expire(): nothing (more) is due
  Held,      ///< the fragment is kept; the caller does nothing with it now
  Complete,  ///< `datagram` is the reassembled frame; `handles` are every original
  Returned,  ///< `handles` are given back (reason says why): drop them, or forward in monitor mode
};

struct DefragResult {
  DefragStatus status = DefragStatus::None;
  DefragReason reason = DefragReason::Held;
  /// Originals in arrival order; valid until the next call on the defragmenter.
  std::span<void* const> handles;
  /// Complete: L2 header and IP header of the first fragment (fragmentation
  /// fields cleared, lengths and IPv4 checksum fixed) and the whole payload;
  /// decode it with decode_packet(). Valid until the next call.
  std::span<const uint8_t> datagram;
};

class IpDefragmenter {
 public:
  explicit IpDefragmenter(const DefragConfig& cfg);

  /// Adds fragment `pkt` (pkt.is_fragment; decode_packet() may have failed
  /// on its L4 header, e.g. TruncatedTcp for a tiny first fragment: pass it
  /// anyway) whose buffer is `handle`. `now` is the caller's clock in the
  /// unit of timeout_tsc.
  DefragResult add(const Packet& pkt, void* handle, uint64_t now);

  /// Gives back the oldest datagram whose time ran out (reason Timeout), or
  /// status None. Call until None, e.g. once per burst.
  DefragResult expire(uint64_t now);
  /// Gives back any held datagram regardless of time (shutdown); None when empty.
  DefragResult drain();

  const DefragStats& stats() const { return stats_; }
  uint32_t datagrams_in_flight() const { return in_flight_; }
  uint64_t bytes_held() const { return bytes_held_; }
  uint32_t fragments_held() const { return fragments_held_; }

 private:
  struct Fragment {
    void* handle;
    const uint8_t* data;  // first payload byte of this fragment
    uint32_t frame_len;
    uint16_t offset;      // in the datagram's fragmentable part
    uint16_t len;
  };
  struct Datagram {
    IpAddress src;
    IpAddress dst;
    uint32_t id;
    uint8_t l3;           // L3Kind
    uint8_t proto;        // IPv4 protocol (part of the key); unused for IPv6
    uint8_t pair;
    uint16_t vlan_outer;
    uint16_t vlan_inner;
    uint32_t hash;
    uint32_t chain_next;
    uint32_t age_next;    // FIFO by first arrival, for expiry
    uint32_t age_prev;
    uint64_t first_tsc;
    uint32_t bytes;
    uint16_t count;
    uint16_t total;       // payload length, once the last fragment is known
    bool have_last;
    bool have_first;
    bool in_use;
    // The first fragment's headers, copied when it arrives: the prefix of
    // the reassembled frame.
    const uint8_t* first_frame;
    uint16_t prefix_len;  // L2 + IP header (IPv4) / up to the Fragment header (IPv6)
    uint16_t l3_offset;
    uint16_t frag_header_offset;
  };

  uint32_t lookup(const Packet& pkt, uint32_t hash) const;
  uint32_t create(const Packet& pkt, uint32_t hash, uint64_t now);
  DefragResult give_back(uint32_t slot, DefragReason reason, void* extra);
  DefragResult give_back_one(void* handle, DefragReason reason);
  void free_slot(uint32_t slot);
  bool complete(const Datagram& d) const;
  bool build(const Datagram& d, uint32_t slot);
  Fragment* frags_of(uint32_t slot) { return &frags_[size_t{slot} * max_fragments_]; }
  DefragReason count(DefragReason r) {
    ++stats_.reasons[static_cast<size_t>(r)];
    return r;
  }

  uint32_t max_datagrams_;
  uint32_t max_fragments_;
  uint64_t max_bytes_;
  uint64_t timeout_tsc_;
  std::vector<Datagram> slots_;      // [0] unused
  std::vector<Fragment> frags_;      // max_fragments_ per slot, arrival order
  std::vector<uint8_t> order_;       // per slot: fragment indices sorted by offset
  std::vector<uint32_t> buckets_;
  std::vector<void*> out_;           // handles given back by the last call
  std::vector<uint8_t> buffer_;      // the reassembled frame
  uint32_t bucket_mask_ = 0;
  uint32_t free_head_ = 0;
  uint32_t age_head_ = 0;
  uint32_t age_tail_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t fragments_held_ = 0;
  uint64_t bytes_held_ = 0;
  DefragStats stats_;
};

}  // namespace weir::dp
