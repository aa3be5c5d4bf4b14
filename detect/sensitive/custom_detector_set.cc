// CustomDetectorSet; see custom_detector_set.h.
#include "detect/sensitive/custom_detector_set.h"

#include <hs/hs.h>

namespace weir::detect {

namespace {

std::string normalise_key(std::string_view key) {
  while (!key.empty() && key.back() == ']') {
    const size_t open = key.rfind('[');
    if (open == std::string_view::npos) break;
    key = key.substr(0, open);
  }
  const size_t dot = key.find_last_of(".[");
  if (dot != std::string_view::npos) key = key.substr(dot + 1);
  std::string out;
  for (char c : key) {
    if (c == '_' || c == '-' || c == ' ') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  *static_cast<uint32_t*>(ctx) |= uint32_t{1} << id;
  return 0;
}

}  // namespace

CustomScratch::~CustomScratch() {
  if (scratch_) hs_free_scratch(scratch_);
}

CustomDetectorSet::~CustomDetectorSet() {
  if (db_) hs_free_database(db_);
}

std::unique_ptr<CustomDetectorSet> CustomDetectorSet::compile(
    const std::vector<CustomDetectorConfig>& detectors, std::string& error) {
  std::unique_ptr<CustomDetectorSet> set(new CustomDetectorSet());
  if (detectors.size() > 32) {
    error = "at most 32 custom detectors";
    return nullptr;
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < detectors.size(); ++i) {
    const auto& d = detectors[i];
    if (d.name.empty()) {
      error = "custom detector " + std::to_string(i) + ": name is empty";
      return nullptr;
    }
    if (d.regex.empty() && d.keys.empty()) {
      error = "custom detector '" + d.name + "': needs a regex or key names";
      return nullptr;
    }
    set->names_.push_back(d.name);
    std::vector<std::string> keys;
    for (const auto& k : d.keys) keys.push_back(normalise_key(k));
    set->keys_.push_back(std::move(keys));
    if (!d.regex.empty()) {
      exprs.push_back(d.regex.c_str());
      flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY);
      ids.push_back(static_cast<unsigned>(i));
    }
  }
  if (!exprs.empty()) {
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                         HS_MODE_BLOCK, nullptr, &set->db_, &err) != HS_SUCCESS) {
      const int bad = err && err->expression >= 0 ? err->expression : 0;
      error = "custom detector '" + detectors[ids[static_cast<size_t>(bad)]].name +
              "': " + (err && err->message ? err->message : "does not compile");
      hs_free_compile_error(err);
      return nullptr;
    }
  }
  return set;
}

bool CustomDetectorSet::prepare(CustomScratch& scratch) const {
  if (!db_) return true;
  return hs_alloc_scratch(db_, &scratch.scratch_) == HS_SUCCESS;
}

uint32_t CustomDetectorSet::match_mask(std::string_view key, std::string_view value,
                                       CustomScratch& scratch) const {
  uint32_t mask = 0;
  bool any_keys = false;
  for (const auto& k : keys_) any_keys |= !k.empty();
  if (any_keys && !key.empty()) {
    // Normalise into a stack buffer: this runs on the worker.
    while (!key.empty() && key.back() == ']') {
      const size_t open = key.rfind('[');
      if (open == std::string_view::npos) break;
      key = key.substr(0, open);
    }
    const size_t dot = key.find_last_of(".[");
    if (dot != std::string_view::npos) key = key.substr(dot + 1);
    char buf[64];
    size_t n = 0;
    bool fits = true;
    for (char c : key) {
      if (c == '_' || c == '-' || c == ' ') continue;
      if (n == sizeof buf) {
        fits = false;
        break;
      }
      buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (fits) {
      const std::string_view norm(buf, n);
      for (size_t i = 0; i < keys_.size(); ++i)
        for (const auto& k : keys_[i])
          if (k == norm) mask |= uint32_t{1} << i;
    }
  }
  if (db_ && scratch.scratch_ && !value.empty())
    hs_scan(db_, value.data(), static_cast<unsigned>(value.size()), 0, scratch.scratch_, &on_match, &mask);
  return mask;
}

}  // namespace weir::detect
