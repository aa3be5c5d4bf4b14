#pragma once
// HsCompileCache: content-addressed cache of compiled Hyperscan block-mode
// databases, so a ruleset reload (or a process start, with a cache
// directory) does not recompile databases whose patterns did not change.
// Compiling the default ruleset costs seconds of CPU; deserializing a
// database costs microseconds.
//
// The key is the exact compile input: Hyperscan version, the host
// platform (hs_populate_platform), mode, and every (expression, flags, id).
// Entries store the full key and are compared byte for byte, so a hash
// collision can never return a wrong database. Config time only
// (allocates, may do file I/O); thread-safe, so databases of one ruleset
// can be compiled in parallel.

#include <hs/hs.h>

#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <vector>

namespace weir::detect {

struct HsCompileInput {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  unsigned mode = HS_MODE_BLOCK;
};

struct HsCompileCacheStats {
  uint64_t memory_hits = 0;
  uint64_t disk_hits = 0;
  uint64_t misses = 0;  ///< compiled (successfully or not)
};

class HsCompileCache {
 public:
  /// Memory budget for serialized databases; the oldest entries go first.
  explicit HsCompileCache(size_t max_bytes = size_t{256} << 20);

  /// The process-wide cache SignatureDatabase::build uses. Its disk
  /// directory is $WEIR_HS_CACHE_DIR when set (read at first use).
  static HsCompileCache& shared();

  /// Persist entries as files `<dir>/<hash>.hsdb` too (created on demand);
  /// empty = memory only. Unreadable or stale files are ignored.
  void set_directory(std::string dir);

  /// hs_compile_multi with the cache in front. Same contract: on
  /// HS_COMPILER_ERROR `*error` is set (free with hs_free_compile_error).
  /// Parallel calls for one input compile it once: the later ones wait and
  /// take the result from memory.
  hs_error_t compile(const HsCompileInput& in, hs_database_t** db, hs_compile_error_t** error);

  HsCompileCacheStats stats() const;
  void clear();

  /// The key bytes of an input (exposed for tests).
  static std::string key_of(const HsCompileInput& in);

 private:
  struct Entry {
    std::string key;
    std::string bytes;  ///< hs_serialize_database output
  };
  bool lookup_memory(const std::string& key, std::string* bytes);
  bool lookup_disk(const std::string& key, std::string* bytes);
  void remember(const std::string& key, const std::string& bytes);
  void persist(const std::string& key, const std::string& bytes) const;
  std::string path_of(const std::string& key) const;

  mutable std::mutex mutex_;
  size_t max_bytes_;
  size_t used_bytes_ = 0;
  std::list<Entry> entries_;  // most recent first
  std::string dir_;
  HsCompileCacheStats stats_;
  std::vector<std::string> in_flight_;  // keys being looked up or compiled now
  std::condition_variable in_flight_done_;
};

}  // namespace weir::detect
