// HsCompileCache: see hs_compile_cache.h.

#include "detect/signature/hs_compile_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace weir::detect {
namespace {

constexpr char kFileMagic[8] = {'W', 'E', 'I', 'R', 'H', 'S', 'C', '1'};

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_bytes(std::string& out, const void* p, size_t n) {
  put_u64(out, n);
  out.append(static_cast<const char*>(p), n);
}

uint64_t fnv1a(const std::string& s, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

hs_database_t* deserialize(const std::string& bytes) {
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return nullptr;
  return db;
}

}  // namespace

HsCompileCache::HsCompileCache(size_t max_bytes) : max_bytes_(max_bytes) {}

HsCompileCache& HsCompileCache::shared() {
  static HsCompileCache* cache = [] {
    auto* c = new HsCompileCache();
    if (const char* d = std::getenv("WEIR_HS_CACHE_DIR"); d != nullptr && *d != '\0')
      c->set_directory(d);
    return c;
  }();
  return *cache;
}

void HsCompileCache::set_directory(std::string dir) {
  std::lock_guard<std::mutex> lock(mutex_);
  dir_ = std::move(dir);
}

std::string HsCompileCache::key_of(const HsCompileInput& in) {
  std::string key;
  const char* version = hs_version();
  put_bytes(key, version, std::strlen(version));
  hs_platform_info_t plat{};
  hs_populate_platform(&plat);
  put_u64(key, plat.tune);
  put_u64(key, plat.cpu_features);
  put_u64(key, in.mode);
  put_u64(key, in.expressions.size());
  for (size_t i = 0; i < in.expressions.size(); ++i) {
    put_bytes(key, in.expressions[i], std::strlen(in.expressions[i]));
    put_u64(key, in.flags[i]);
    put_u64(key, in.ids[i]);
  }
  return key;
}

std::string HsCompileCache::path_of(const std::string& key) const {
  char name[48];
  std::snprintf(name, sizeof name, "%016llx%016llx.hsdb",
                static_cast<unsigned long long>(fnv1a(key, 14695981039346656037ull)),
                static_cast<unsigned long long>(fnv1a(key, 0x9e3779b97f4a7c15ull)));
  return dir_ + "/" + name;
}

bool HsCompileCache::lookup_memory(const std::string& key, std::string* bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key != key) continue;
    *bytes = it->bytes;
    entries_.splice(entries_.begin(), entries_, it);
    ++stats_.memory_hits;
    return true;
  }
  return false;
}

bool HsCompileCache::lookup_disk(const std::string& key, std::string* bytes) {
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dir_.empty()) return false;
    path = path_of(key);
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t head = sizeof kFileMagic + 8;
  if (all.size() < head || std::memcmp(all.data(), kFileMagic, sizeof kFileMagic) != 0)
    return false;
  uint64_t klen = 0;
  for (int i = 0; i < 8; ++i)
    klen |= uint64_t{static_cast<unsigned char>(all[sizeof kFileMagic + i])} << (8 * i);
  if (klen != key.size() || all.size() < head + klen ||
      all.compare(head, klen, key) != 0)
    return false;  // another input with the same hash, or a torn file
  *bytes = all.substr(head + klen);
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.disk_hits;
  return true;
}

void HsCompileCache::remember(const std::string& key, const std::string& bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (key.size() + bytes.size() > max_bytes_) return;
  for (const Entry& e : entries_)
    if (e.key == key) return;  // a parallel compile of the same input won
  entries_.push_front({key, bytes});
  used_bytes_ += key.size() + bytes.size();
  while (used_bytes_ > max_bytes_) {
    used_bytes_ -= entries_.back().key.size() + entries_.back().bytes.size();
    entries_.pop_back();
  }
}

// Written to a temporary name and renamed, so a concurrent reader (another
// process starting) sees the whole file or none.
void HsCompileCache::persist(const std::string& key, const std::string& bytes) const {
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dir_.empty()) return;
    path = path_of(key);
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp" + std::to_string(::getpid()) + "." +
                    std::to_string(reinterpret_cast<uintptr_t>(&bytes));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return;
    f.write(kFileMagic, sizeof kFileMagic);
    std::string len;
    put_u64(len, key.size());
    f.write(len.data(), static_cast<std::streamsize>(len.size()));
    f.write(key.data(), static_cast<std::streamsize>(key.size()));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

hs_error_t HsCompileCache::compile(const HsCompileInput& in, hs_database_t** db,
                                   hs_compile_error_t** error) {
  *db = nullptr;
  *error = nullptr;
  std::string key = key_of(in);
  std::string bytes;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    in_flight_done_.wait(lock,
                         [&] { return std::find(in_flight_.begin(), in_flight_.end(), key) == in_flight_.end(); });
    in_flight_.push_back(key);
  }
  struct Release {
    HsCompileCache& c;
    const std::string& key;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(c.mutex_);
        c.in_flight_.erase(std::find(c.in_flight_.begin(), c.in_flight_.end(), key));
      }
      c.in_flight_done_.notify_all();
    }
  } release{*this, key};
  if (lookup_memory(key, &bytes)) {
    if ((*db = deserialize(bytes)) != nullptr) return HS_SUCCESS;
  } else if (lookup_disk(key, &bytes)) {
    if ((*db = deserialize(bytes)) != nullptr) {
      remember(key, bytes);
      return HS_SUCCESS;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.misses;
  }
  hs_error_t rc = hs_compile_multi(in.expressions.data(), in.flags.data(), in.ids.data(),
                                   static_cast<unsigned>(in.expressions.size()), in.mode, nullptr,
                                   db, error);
  if (rc != HS_SUCCESS) return rc;
  char* raw = nullptr;
  size_t len = 0;
  if (hs_serialize_database(*db, &raw, &len) == HS_SUCCESS) {
    bytes.assign(raw, len);
    std::free(raw);  // hs_serialize_database uses the default (malloc) allocator
    remember(key, bytes);
    persist(key, bytes);
  }
  return HS_SUCCESS;
}

HsCompileCacheStats HsCompileCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void HsCompileCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  used_bytes_ = 0;
  stats_ = {};
}

}  // namespace weir::detect
