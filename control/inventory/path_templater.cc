// PathTemplater; see path_templater.h.
#include "control/inventory/path_templater.h"

#include <set>

#include "detect/observe/value_shape.h"

namespace weir::ctl {

struct PathTemplater::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  SegmentKind param_kind = SegmentKind::Id;
  bool collapsed = false;
  uint64_t hits = 0;
};

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string singular(std::string_view word) {
  std::string w(word);
  if (w.size() > 3 && w.ends_with("ies")) return w.substr(0, w.size() - 3) + "y";
  if (w.size() > 3 && (w.ends_with("ses") || w.ends_with("xes"))) return w.substr(0, w.size() - 2);
  if (w.size() > 1 && w.back() == 's' && !w.ends_with("ss")) return w.substr(0, w.size() - 1);
  return w;
}

// camelCase from a route word: "order-items" -> "orderItem".
std::string param_word(std::string_view literal) {
  std::string out;
  bool upper = false;
  for (char c : singular(literal)) {
    if (c == '-' || c == '_' || c == '.') {
      upper = !out.empty();
      continue;
    }
    if (!alpha(c) && !digit(c)) continue;
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

}  // namespace

SegmentKind classify_segment(std::string_view s) {
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
    return s == "[email]" ? SegmentKind::Email : SegmentKind::Token;  // redaction markers
  }
  if (s.empty()) return SegmentKind::Literal;
  using detect::ValueFormat;
  switch (detect::infer_format(s)) {
    case ValueFormat::NumericId:
    case ValueFormat::Uuid:
    case ValueFormat::Hex:
      return SegmentKind::Id;
    case ValueFormat::Date:
    case ValueFormat::DateTime:
      return SegmentKind::Date;
    case ValueFormat::Email:
      return SegmentKind::Email;
    case ValueFormat::Jwt:
    case ValueFormat::Base64:
      return SegmentKind::Token;
    default:
      break;
  }
  // Versions stay: v1, v2.1.
  if (s.size() <= 6 && (s[0] == 'v' || s[0] == 'V') && s.size() > 1 && digit(s[1])) return SegmentKind::Literal;
  // Long mixed letter/digit runs without separators are random ids (ObjectIds,
  // Stripe-like "cus_9s6XKzkNRiz8i3", short-link codes).
  size_t digits = 0, letters = 0, seps = 0;
  for (char c : s) {
    if (digit(c)) ++digits;
    else if (alpha(c)) ++letters;
    else if (c == '-' || c == '_') ++seps;
    else return SegmentKind::Literal;
  }
  if (s.size() >= 10 && digits >= 2 && letters >= 2 && seps <= 1) return SegmentKind::Token;
  // "12345-widget" / "order-2024-0001": identifiers with a numeric head or long digit runs.
  if (digits >= 4 && digits * 2 >= s.size()) return SegmentKind::Id;
  return SegmentKind::Literal;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  size_t i = 0;
  while (true) {
    const size_t j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

bool template_matches(std::string_view a, std::string_view b) {
  const auto sa = split_path(a), sb = split_path(b);
  if (sa.size() != sb.size()) return false;
  for (size_t i = 0; i < sa.size(); ++i) {
    const bool pa = sa[i].size() > 1 && sa[i].front() == '{' && sa[i].back() == '}';
    const bool pb = sb[i].size() > 1 && sb[i].front() == '{' && sb[i].back() == '}';
    if (pa || pb) {
      if (sa[i].empty() || sb[i].empty()) return false;
      continue;
    }
    if (sa[i] != sb[i]) return false;
  }
  return true;
}

PathTemplater::PathTemplater() : PathTemplater(Options{}) {}
PathTemplater::PathTemplater(Options options) : options_(options) {}
PathTemplater::~PathTemplater() = default;

std::string PathTemplater::learn(std::string_view host, std::string_view path) { return walk(host, path, true); }

std::string PathTemplater::apply(std::string_view host, std::string_view path) const {
  return const_cast<PathTemplater*>(this)->walk(host, path, false);
}

std::string PathTemplater::walk(std::string_view host, std::string_view path, bool learn) {
  Node* node = nullptr;
  if (auto it = roots_.find(host); it != roots_.end()) {
    node = it->second.get();
  } else if (learn) {
    node = roots_.emplace(std::string(host), std::make_unique<Node>()).first->second.get();
    ++nodes_;
  }
  std::string out;
  std::set<std::string> names;
  std::string_view prev_literal;
  bool any_param = false;
  auto add_param = [&](SegmentKind kind) {
    std::string name;
    switch (kind) {
      case SegmentKind::Date: name = "date"; break;
      case SegmentKind::Email: name = "email"; break;
      case SegmentKind::Slug: name = prev_literal.empty() ? "name" : param_word(prev_literal); break;
      default:
        name = !any_param || prev_literal.empty() ? "id" : param_word(prev_literal) + "Id";
        break;
    }
    if (name.empty()) name = "param";
    std::string unique = name;
    for (int n = 2; names.count(unique); ++n) unique = name + std::to_string(n);
    names.insert(unique);
    any_param = true;
    out += "/{" + unique + "}";
  };
  for (std::string_view seg : split_path(path)) {
    const SegmentKind kind = classify_segment(seg);
    Node* next = nullptr;
    bool as_param = kind != SegmentKind::Literal;
    if (node) {
      auto lit = node->literals.find(seg);
      if (!as_param && lit != node->literals.end()) {
        next = lit->second.get();
      } else if (!as_param && node->collapsed) {
        as_param = true;
      } else if (!as_param && learn) {
        next = node->literals.emplace(std::string(seg), std::make_unique<Node>()).first->second.get();
        ++nodes_;
        if (node->literals.size() > options_.max_literals) {
          collapse(*node);
          lit = node->literals.find(seg);
          if (lit != node->literals.end()) {
            next = lit->second.get();
          } else {
            as_param = true;
          }
        }
      }
      if (as_param) {
        if (!node->param && learn) {
          node->param = std::make_unique<Node>();
          node->param_kind = kind == SegmentKind::Literal ? SegmentKind::Slug : kind;
          ++nodes_;
        }
        next = node->param.get();
      }
    }
    if (learn && next) ++next->hits;
    if (as_param) {
      add_param(node && node->param ? node->param_kind : (kind == SegmentKind::Literal ? SegmentKind::Slug : kind));
    } else {
      out += "/";
      out += seg;
      prev_literal = seg;
    }
    node = next;
  }
  return out.empty() ? "/" : out;
}

void PathTemplater::collapse(Node& node) {
  node.collapsed = true;
  if (!node.param) {
    node.param = std::make_unique<Node>();
    node.param_kind = SegmentKind::Slug;
    ++nodes_;
  }
  for (auto it = node.literals.begin(); it != node.literals.end();) {
    if (it->second->hits >= options_.keep_static_hits) {
      ++it;
      continue;
    }
    merge(*node.param, *it->second);
    it = node.literals.erase(it);
    --nodes_;
  }
  ++generation_;
}

void PathTemplater::merge(Node& into, Node& from) {
  into.hits += from.hits;
  for (auto& [seg, child] : from.literals) {
    auto it = into.literals.find(seg);
    if (it == into.literals.end()) {
      into.literals.emplace(seg, std::move(child));
    } else {
      merge(*it->second, *child);
      --nodes_;
    }
  }
  if (from.param) {
    if (!into.param) {
      into.param = std::move(from.param);
      into.param_kind = from.param_kind;
    } else {
      merge(*into.param, *from.param);
      --nodes_;
    }
  }
  into.collapsed |= from.collapsed;
  if (into.literals.size() > options_.max_literals) collapse(into);
}

}  // namespace weir::ctl
