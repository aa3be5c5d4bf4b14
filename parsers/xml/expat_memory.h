#pragma once
// expat's memory comes from an Arena instead of the heap: expat takes a
// malloc/realloc/free suite without a context pointer, so the arena in use
// is a thread-local set for the duration of one parse (ExpatArenaScope).
// free() is a no-op; the arena is reset when the next document starts.
// An arena that runs out makes expat fail with XML_ERROR_NO_MEMORY, which
// the inspector reports as a cap.

#include <expat.h>

#include "parsers/arena.h"

namespace weir::parse {

const XML_Memory_Handling_Suite& expat_arena_suite();

class ExpatArenaScope {
 public:
  explicit ExpatArenaScope(Arena& arena);
  ~ExpatArenaScope();
  ExpatArenaScope(const ExpatArenaScope&) = delete;
  ExpatArenaScope& operator=(const ExpatArenaScope&) = delete;

 private:
  Arena* previous_;
};

}  // namespace weir::parse
