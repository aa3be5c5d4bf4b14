// Transform names, the dispatch table and the copy-avoiding runner.

#include "detect/transform/transform.h"

#include <cstring>

namespace weir::detect {
namespace {

using TransformFn = size_t (*)(std::string_view, char*);

struct TransformEntry {
  const char* name;
  TransformFn fn;
};

constexpr TransformEntry kTransforms[] = {
    {"url_decode", &url_decode},
    {"url_decode_once", &url_decode_once},
    {"html_entity_decode", &html_entity_decode},
    {"js_decode", &js_decode},
    {"css_decode", &css_decode},
    {"base64_decode", &base64_decode},
    {"lowercase", &lowercase},
    {"compress_whitespace", &compress_whitespace},
    {"remove_whitespace", &remove_whitespace},
    {"remove_nulls", &remove_nulls},
    {"sql_comment_strip", &sql_comment_strip},
    {"html_comment_strip", &html_comment_strip},
    {"path_normalize", &path_normalize},
    {"utf8_normalize", &utf8_normalize},
};
static_assert(sizeof(kTransforms) / sizeof(kTransforms[0]) ==
              static_cast<size_t>(TransformId::Count));

bool has_any(std::string_view in, const char* set) {
  for (unsigned char c : in)
    if (c != 0 && std::strchr(set, c) != nullptr) return true;
  return false;
}

bool has_byte(std::string_view in, char c) {
  return !in.empty() && std::memchr(in.data(), c, in.size()) != nullptr;
}

}  // namespace

const char* transform_name(TransformId id) {
  auto i = static_cast<size_t>(id);
  return i < static_cast<size_t>(TransformId::Count) ? kTransforms[i].name : "?";
}

bool transform_from_name(std::string_view name, TransformId& out) {
  for (size_t i = 0; i < static_cast<size_t>(TransformId::Count); ++i) {
    if (name == kTransforms[i].name) {
      out = static_cast<TransformId>(i);
      return true;
    }
  }
  return false;
}

bool transform_may_change(TransformId id, std::string_view in) {
  switch (id) {
    case TransformId::UrlDecode:
    case TransformId::UrlDecodeOnce: return has_any(in, "%+");
    case TransformId::HtmlEntityDecode: return has_byte(in, '&');
    case TransformId::JsDecode:
    case TransformId::CssDecode: return has_byte(in, '\\');
    case TransformId::Base64Decode: return true;
    case TransformId::Lowercase:
      for (unsigned char c : in)
        if (c >= 'A' && c <= 'Z') return true;
      return false;
    case TransformId::CompressWhitespace:
    case TransformId::RemoveWhitespace:
      for (unsigned char c : in)
        if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0xC2) return true;
      return false;
    case TransformId::RemoveNulls: return has_byte(in, '\0');
    case TransformId::SqlCommentStrip: return has_any(in, "/-#");
    case TransformId::HtmlCommentStrip: return has_byte(in, '<');
    case TransformId::PathNormalize: return has_any(in, "/\\%;.");
    case TransformId::Utf8Normalize:
      for (unsigned char c : in)
        if (c >= 0x80) return true;
      return false;
    case TransformId::Count: break;
  }
  return false;
}

TransformOutput run_transform(TransformId id, std::string_view in, TransformArena& arena) {
  if (static_cast<size_t>(id) >= static_cast<size_t>(TransformId::Count))
    return {TransformStatus::NotApplicable, {}};
  if (!transform_may_change(id, in)) return {TransformStatus::Ok, in};
  char* out = arena.reserve(in.size());
  if (out == nullptr) return {TransformStatus::ArenaFull, in};
  size_t n = kTransforms[static_cast<size_t>(id)].fn(in, out);
  if (n == kNotApplicable) return {TransformStatus::NotApplicable, {}};
  arena.commit(n);
  return {TransformStatus::Ok, std::string_view(out, n)};
}

size_t encode_utf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    out[0] = '?';
    return 1;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp <= 0x10FFFF) {
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }
  out[0] = '?';
  return 1;
}

}  // namespace weir::detect
