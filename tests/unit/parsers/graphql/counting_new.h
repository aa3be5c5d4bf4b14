#pragma once
// Counts global operator new calls in a test binary (include from exactly one
// translation unit): tests assert that a warm inspector does not allocate.

#include <atomic>
#include <cstdlib>
#include <new>

namespace weir::parse::test {
inline std::atomic<long> g_new_calls{0};
}  // namespace weir::parse::test

// GCC pairs the inlined free() below with the replaced operator new and
// warns although both sides are this file's malloc/free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  ++weir::parse::test::g_new_calls;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
