#pragma once
// The fixed-size event record a worker writes into its EventRing: one alert,
// API-call observation or flow record. 256 bytes, trivially copyable, no
// pointers, so it goes through rte_ring and the on-disk spool as is. Strings
// are fixed arrays, NUL-padded (not necessarily NUL-terminated when full).
// No DPDK here: plain C++ so tools and tests can build events.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace weir::dp {

enum class EventKind : uint8_t { Alert = 1, ApiCall = 2, FlowRecord = 3, Test = 4 };
enum class Severity : uint8_t { Info = 0, Low = 1, Medium = 2, High = 3, Critical = 4 };

/// Event id layout: boot (20 bits) | worker (8 bits) | sequence (36 bits).
/// Unique per dataplane start (boot grows by one per start), so the store
/// can de-duplicate replays.
inline constexpr unsigned kEventBootBits = 20;
inline constexpr unsigned kEventWorkerBits = 8;
inline constexpr unsigned kEventSeqBits = 36;
/// Worker value for events raised by the main lcore itself (tests, expiry).
inline constexpr uint8_t kMainLcoreWorker = 0xff;

constexpr uint64_t make_event_id(uint32_t boot, uint8_t worker, uint64_t seq) {
  return (static_cast<uint64_t>(boot & ((1u << kEventBootBits) - 1)) << (kEventWorkerBits + kEventSeqBits)) |
         (static_cast<uint64_t>(worker) << kEventSeqBits) | (seq & ((uint64_t{1} << kEventSeqBits) - 1));
}

struct alignas(64) Event {
  uint64_t id = 0;         ///< set by EventRing::try_emit
  uint64_t ts_ns = 0;      ///< CLOCK_REALTIME; try_emit fills it when 0
  uint64_t sequence = 0;   ///< set by EventRing::try_emit
  EventKind kind = EventKind::Alert;
  Severity severity = Severity::Info;
  uint8_t worker = 0;      ///< set by EventRing::try_emit
  uint8_t proto = 0;       ///< IP protocol number
  uint16_t client_port = 0;
  uint16_t server_port = 0;
  uint32_t rule_id = 0;
  uint16_t text_len = 0;
  uint8_t reserved[2] = {};
  std::array<uint8_t, 16> client_addr{};  ///< IPv4 as ::ffff:a.b.c.d
  std::array<uint8_t, 16> server_addr{};
  char class_name[16] = {};  ///< e.g. "sqli"
  char zone[16] = {};        ///< field zone, e.g. "query_arg"
  char text[152] = {};       ///< excerpt or message, text_len bytes

  void set_class(std::string_view s) { copy_fixed(class_name, sizeof class_name, s); }
  void set_zone(std::string_view s) { copy_fixed(zone, sizeof zone, s); }
  void set_text(std::string_view s) {
    text_len = static_cast<uint16_t>(std::min(s.size(), sizeof text));
    std::memcpy(text, s.data(), text_len);
  }
  std::string_view class_view() const { return fixed_view(class_name, sizeof class_name); }
  std::string_view zone_view() const { return fixed_view(zone, sizeof zone); }
  std::string_view text_view() const {
    return {text, std::min<size_t>(text_len, sizeof text)};
  }

 private:
  static void copy_fixed(char* dst, size_t cap, std::string_view s) {
    const size_t n = std::min(s.size(), cap);
    std::memcpy(dst, s.data(), n);
    std::memset(dst + n, 0, cap - n);
  }
  static std::string_view fixed_view(const char* s, size_t cap) {
    return {s, strnlen(s, cap)};
  }
};

static_assert(sizeof(Event) == 256, "Event is a 256-byte record");
static_assert(std::is_trivially_copyable_v<Event>);

}  // namespace weir::dp
