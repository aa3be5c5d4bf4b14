// walk_json(); see json_shape_walker.h.
#include "detect/observe/json_shape_walker.h"

#include <cstring>

namespace weir::detect {

namespace {

class Walker {
 public:
  Walker(std::string_view doc, JsonLeafFn fn, void* ctx) : p_(doc.data()), end_(doc.data() + doc.size()), fn_(fn), ctx_(ctx) {}

  JsonWalkStatus run() {
    ws();
    if (p_ == end_) return JsonWalkStatus::Malformed;
    if (!value(0, 0)) return status_;
    return JsonWalkStatus::Ok;
  }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool fail(JsonWalkStatus s) {
    status_ = s;
    return false;
  }
  // After an object member or array element: a ',' (more follows) or the
  // closing `close` (more clear) is taken; anything else is Malformed.
  bool separator(char close, bool& more) {
    ws();
    if (p_ == end_ || (*p_ != ',' && *p_ != close)) return fail(JsonWalkStatus::Malformed);
    more = *p_++ == ',';
    return true;
  }
  bool emit(size_t path_len, std::string_view text, ValueType t) {
    if (!fn_({{path_, path_len}, text, t}, ctx_)) return fail(JsonWalkStatus::Stopped);
    return true;
  }
  // Appends to the path; a path past the buffer is cut (shapes still merge).
  size_t append(size_t len, std::string_view part) {
    const size_t n = std::min(part.size(), sizeof path_ - len);
    std::memcpy(path_ + len, part.data(), n);
    return len + n;
  }
  bool string(std::string_view& out) {
    if (p_ == end_ || *p_ != '"') return fail(JsonWalkStatus::Malformed);
    const char* start = ++p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') ++p_;
      ++p_;
    }
    if (p_ >= end_) return fail(JsonWalkStatus::Malformed);
    out = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return true;
  }
  bool value(size_t path_len, int depth) {
    if (depth > kJsonWalkMaxDepth) return fail(JsonWalkStatus::TooDeep);
    ws();
    if (p_ == end_) return fail(JsonWalkStatus::Malformed);
    const char c = *p_;
    if (c == '{') return object(path_len, depth);
    if (c == '[') return array(path_len, depth);
    if (c == '"') {
      std::string_view s;
      return string(s) && emit(path_len, s, ValueType::String);
    }
    const char* start = p_;
    while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' &&
           *p_ != '\t')
      ++p_;
    const std::string_view lit(start, static_cast<size_t>(p_ - start));
    if (lit.empty()) return fail(JsonWalkStatus::Malformed);
    const ValueShape shape = infer_shape(lit);
    if (lit != "null" && lit != "true" && lit != "false" && shape.type != ValueType::Integer &&
        shape.type != ValueType::Number)
      return fail(JsonWalkStatus::Malformed);
    return emit(path_len, lit, shape.type);
  }
  bool object(size_t path_len, int depth) {
    ++p_;
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return emit(path_len, "{}", ValueType::Object);
    }
    while (true) {
      ws();
      std::string_view key;
      if (!string(key)) return false;
      ws();
      if (p_ == end_ || *p_ != ':') return fail(JsonWalkStatus::Malformed);
      ++p_;
      size_t len = path_len ? append(path_len, ".") : path_len;
      len = append(len, key);
      if (!value(len, depth + 1)) return false;
      bool more = false;
      if (!separator('}', more)) return false;
      if (!more) return true;
    }
  }
  bool array(size_t path_len, int depth) {
    ++p_;
    ws();
    const size_t len = append(path_len, "[]");
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return emit(path_len, "[]", ValueType::Array);
    }
    while (true) {
      if (!value(len, depth + 1)) return false;
      bool more = false;
      if (!separator(']', more)) return false;
      if (!more) return true;
    }
  }

  const char* p_;
  const char* end_;
  JsonLeafFn fn_;
  void* ctx_;
  JsonWalkStatus status_ = JsonWalkStatus::Ok;
  char path_[128];
};

}  // namespace

JsonWalkStatus walk_json(std::string_view doc, JsonLeafFn fn, void* ctx) {
  Walker w(doc, fn, ctx);
  return w.run();
}

}  // namespace weir::detect
