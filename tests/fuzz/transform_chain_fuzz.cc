// libFuzzer target: a random transform chain over random bytes.
// Input: byte 0 = chain length (mod 9), the next bytes = transform ids (mod
// TransformId::Count), the rest = the value. Invariants: every output is the
// input view or lies inside the arena, never grows, running the same chain
// again on a fresh arena gives the same bytes, and the byte-class precheck
// only skips a step that would not have changed the value.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "detect/transform/transform.h"

using weir::detect::TransformArena;
using weir::detect::TransformId;
using weir::detect::TransformOutput;
using weir::detect::TransformStatus;

namespace {

constexpr size_t kMaxChain = 8;

// Returns the chain's final value as a string ("<n/a>" when not applicable).
std::string run_chain(const TransformId* chain, size_t n, std::string_view value,
                      TransformArena& arena) {
  std::string_view cur = value;
  for (size_t i = 0; i < n; ++i) {
    TransformOutput out = weir::detect::run_transform(chain[i], cur, arena);
    if (out.status == TransformStatus::NotApplicable) return "<n/a>";
    if (out.status == TransformStatus::ArenaFull) __builtin_trap();  // sized for the worst case
    if (out.value.size() > cur.size()) __builtin_trap();            // non-expanding
    bool same = out.value.data() == cur.data() && out.value.size() == cur.size();
    if (!same && !out.value.empty() && !arena.contains(out.value.data(), out.value.size()))
      __builtin_trap();
    if (!weir::detect::transform_may_change(chain[i], weir::detect::byte_classes(cur))) {
      TransformArena forced_arena(cur.size() + 1);
      uint32_t all = ~0u;  // force the step to run
      TransformOutput forced = weir::detect::run_transform(chain[i], cur, all, forced_arena);
      if (forced.status == TransformStatus::Ok && forced.value != cur) __builtin_trap();
    }
    cur = out.value;
  }
  return std::string(cur);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t n = data[0] % (kMaxChain + 1);
  if (size < 1 + n) return 0;
  TransformId chain[kMaxChain];
  for (size_t i = 0; i < n; ++i)
    chain[i] = static_cast<TransformId>(data[1 + i] % static_cast<size_t>(TransformId::Count));
  std::string_view value(reinterpret_cast<const char*>(data + 1 + n), size - 1 - n);

  // Every step fits: outputs never exceed their input.
  TransformArena a(value.size() * kMaxChain + 1);
  TransformArena b(value.size() * kMaxChain + 1);
  std::string first = run_chain(chain, n, value, a);
  std::string second = run_chain(chain, n, value, b);
  if (first != second) __builtin_trap();
  if (a.used() > a.capacity()) __builtin_trap();
  return 0;
}
