#pragma once
// PathTemplater: learns path templates from observed paths, per host.
// A segment that is an identifier by its shape (number, UUID, hex/hash,
// date, e-mail, a redaction marker such as "[email]", long random tokens)
// becomes a parameter at once; a position whose distinct literal values
// pass `max_literals` becomes a parameter too (slugs, file names), except
// the literals already seen at least `keep_static_hits` times, which stay
// static routes (/users/me next to /users/{id}). Memory is bounded by the
// number of distinct routes: identifiers never create nodes, and a position
// holds at most max_literals literals before it collapses.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir::ctl {

enum class SegmentKind : uint8_t { Literal, Id, Date, Email, Token, Slug };

/// How a single segment looks on its own (Literal when it looks like a route word).
SegmentKind classify_segment(std::string_view segment);

class PathTemplater {
 public:
  struct Options {
    size_t max_literals = 24;
    uint64_t keep_static_hits = 20;
  };

  PathTemplater();
  explicit PathTemplater(Options options);
  ~PathTemplater();

  /// Learns from `path` (no query) and returns its template ("/users/{id}").
  std::string learn(std::string_view host, std::string_view path);
  /// The template under what was learned so far, without learning.
  std::string apply(std::string_view host, std::string_view path) const;

  /// Grows whenever a position collapsed into a parameter: templates
  /// returned before may have changed (the inventory re-keys then).
  uint64_t generation() const { return generation_; }
  size_t node_count() const { return nodes_; }

 private:
  struct Node;
  std::string walk(std::string_view host, std::string_view path, bool learn);
  void collapse(Node& node);
  void merge(Node& into, Node& from);

  Options options_;
  std::map<std::string, std::unique_ptr<Node>, std::less<>> roots_;
  uint64_t generation_ = 0;
  size_t nodes_ = 0;
};

/// Splits "/a/b" into {"a","b"}; "/" gives {""}.
std::vector<std::string_view> split_path(std::string_view path);

/// True when the two templates name the same route: a "{...}" segment on
/// either side matches any segment.
bool template_matches(std::string_view a, std::string_view b);

}  // namespace weir::ctl
