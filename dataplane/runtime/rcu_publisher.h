#pragma once
// RcuPublisher<T>: one writer (the main lcore) publishes immutable snapshots;
// workers read the current pointer between bursts and report a quiescent state
// once per loop (rte_rcu_qsbr). An old snapshot is freed only after every
// online worker has passed a quiescent state since it was replaced, checked
// without blocking from the main loop.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>

#include <rte_rcu_qsbr.h>

namespace weir::dp {

template <typename T>
class RcuPublisher {
 public:
  explicit RcuPublisher(rte_rcu_qsbr* qsbr) : qsbr_(qsbr) {}
  ~RcuPublisher() {
    delete current_.load();
    for (auto& r : retired_) delete r.ptr;
  }

  /// Reader side: the snapshot valid until the reader's next quiescent report.
  const T* get() const { return current_.load(std::memory_order_acquire); }

  /// Writer side: publish a new snapshot; the old one is retired.
  void publish(std::unique_ptr<T> next) {
    T* old = current_.exchange(next.release(), std::memory_order_acq_rel);
    if (old != nullptr) retired_.push_back({old, rte_rcu_qsbr_start(qsbr_)});
  }

  /// Writer side: frees retired snapshots no reader can still hold. Non-blocking.
  void reclaim() {
    while (!retired_.empty() && rte_rcu_qsbr_check(qsbr_, retired_.front().token, false) == 1) {
      delete retired_.front().ptr;
      retired_.pop_front();
    }
  }
  size_t retired_count() const { return retired_.size(); }

 private:
  struct Retired {
    T* ptr;
    uint64_t token;
  };
  rte_rcu_qsbr* qsbr_;
  std::atomic<T*> current_{nullptr};
  std::deque<Retired> retired_;
};

}  // namespace weir::dp
