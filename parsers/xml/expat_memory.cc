// Each block carries its size in a 16-byte header so realloc can copy; a
// block that is the arena's last allocation would be cheaper to grow in
// place, but expat grows its buffers by doubling, so copies stay within 2x.
#include "parsers/xml/expat_memory.h"

#include <cstring>

namespace weir::parse {
namespace {

thread_local Arena* t_arena = nullptr;
constexpr size_t kHeader = 16;

void* arena_malloc(size_t size) {
  if (t_arena == nullptr) return nullptr;
  auto* p = static_cast<unsigned char*>(t_arena->allocate(size + kHeader, kHeader));
  if (p == nullptr) return nullptr;
  std::memcpy(p, &size, sizeof(size));
  return p + kHeader;
}

void arena_free(void*) {}

void* arena_realloc(void* ptr, size_t size) {
  if (ptr == nullptr) return arena_malloc(size);
  size_t old = 0;
  std::memcpy(&old, static_cast<unsigned char*>(ptr) - kHeader, sizeof(old));
  if (size <= old) return ptr;
  void* fresh = arena_malloc(size);
  if (fresh != nullptr) std::memcpy(fresh, ptr, old);
  return fresh;
}

const XML_Memory_Handling_Suite kSuite{&arena_malloc, &arena_realloc, &arena_free};

}  // namespace

const XML_Memory_Handling_Suite& expat_arena_suite() { return kSuite; }

ExpatArenaScope::ExpatArenaScope(Arena& arena) : previous_(t_arena) { t_arena = &arena; }
ExpatArenaScope::~ExpatArenaScope() { t_arena = previous_; }

}  // namespace weir::parse
