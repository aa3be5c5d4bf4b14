// Fixed-block pool behind Hyperscan's global stream allocator; see the header.

#include "detect/stream_signature/stream_state_pool.h"

#include <hs/hs.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace weir::detect {

// 16 bytes keeps the state 16-byte aligned (blocks are 64-byte aligned).
struct StreamStatePool::BlockHeader {
  StreamStatePool* pool;
  uint32_t index;
  uint32_t magic;
};

namespace {

constexpr uint32_t kLiveMagic = 0x57535331;  // "WSS1": block handed to Hyperscan
constexpr uint32_t kFreeMagic = 0x57535330;
constexpr size_t kHeaderBytes = 16;
constexpr size_t kAlign = 64;

thread_local StreamStatePool* tls_pool = nullptr;
std::atomic<uint64_t> g_unbound{0};
std::once_flag g_install_once;
hs_error_t g_install_rc = HS_SUCCESS;

}  // namespace

StreamStatePool::StreamStatePool(size_t state_bytes, uint32_t capacity)
    : state_bytes_(state_bytes), capacity_(capacity) {
  stride_ = (kHeaderBytes + state_bytes + kAlign - 1) / kAlign * kAlign;
  if (capacity == 0 || state_bytes == 0) return;
  region_ = static_cast<std::byte*>(std::aligned_alloc(kAlign, stride_ * capacity));
  if (region_ == nullptr) return;
  free_.resize(capacity);
  // Lowest index on top, so blocks are reused front first (warm cache).
  for (uint32_t i = 0; i < capacity; ++i) free_[i] = capacity - 1 - i;
  free_top_ = capacity;
  for (uint32_t i = 0; i < capacity; ++i) {
    auto* h = reinterpret_cast<BlockHeader*>(region_ + stride_ * i);
    *h = {this, i, kFreeMagic};
  }
}

StreamStatePool::~StreamStatePool() {
  if (tls_pool == this) tls_pool = nullptr;
  std::free(region_);
}

bool StreamStatePool::bind_to_this_thread() {
  std::call_once(g_install_once, [] { g_install_rc = hs_set_stream_allocator(&hs_alloc, &hs_free); });
  if (g_install_rc != HS_SUCCESS) return false;
  tls_pool = this;
  return valid();
}

StreamStatePool* StreamStatePool::bound() { return tls_pool; }
void StreamStatePool::unbind_this_thread() { tls_pool = nullptr; }
uint64_t StreamStatePool::unbound_allocations() { return g_unbound.load(std::memory_order_relaxed); }

void* StreamStatePool::hs_alloc(size_t bytes) {
  StreamStatePool* pool = tls_pool;
  if (pool == nullptr) {
    g_unbound.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  return pool->acquire(bytes);
}

void StreamStatePool::hs_free(void* p) {
  if (p == nullptr) return;
  auto* h = reinterpret_cast<BlockHeader*>(static_cast<std::byte*>(p) - kHeaderBytes);
  // Only blocks from acquire() reach here (the allocator is ours from the
  // first open); the magic guards against a double free.
  if (h->magic != kLiveMagic) return;
  h->pool->release(h);
}

void* StreamStatePool::acquire(size_t bytes) {
  if (bytes > state_bytes_) {
    ++oversize_;
    return nullptr;
  }
  if (free_top_ == 0) {
    ++exhausted_;
    return nullptr;
  }
  uint32_t idx = free_[--free_top_];
  auto* h = reinterpret_cast<BlockHeader*>(region_ + stride_ * idx);
  h->magic = kLiveMagic;
  if (in_use() > high_water_) high_water_ = in_use();
  return reinterpret_cast<std::byte*>(h) + kHeaderBytes;
}

void StreamStatePool::release(BlockHeader* h) {
  h->magic = kFreeMagic;
  free_[free_top_++] = h->index;
}

}  // namespace weir::detect
