// Recursive descent over the lexer, one token of look-ahead. Every recursive
// production passes through enter()/leave(), so the native stack depth is
// bounded by GraphqlDocumentCaps::kMaxNesting whatever the input.
#include "parsers/graphql/graphql_document.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "parsers/graphql/graphql_fragment_graph.h"
#include "parsers/graphql/graphql_lexer.h"
#include "parsers/graphql/graphql_string_value.h"

namespace weir::parse {
namespace {

// Field names are built in a fixed buffer: a segment pushed past its end is
// left out of the name (the value is still emitted).
class NameBuilder {
 public:
  size_t mark() const { return len_; }
  void reset_to(size_t m) { len_ = m; }
  void push(std::string_view sep, std::string_view seg) {
    if (len_ + sep.size() + seg.size() > sizeof(buf_)) return;
    if (len_ > 0) {
      std::memcpy(buf_ + len_, sep.data(), sep.size());
      len_ += sep.size();
    }
    std::memcpy(buf_ + len_, seg.data(), seg.size());
    len_ += seg.size();
  }
  void push_index(uint32_t i) {
    char d[16];
    d[0] = '[';
    auto r = std::to_chars(d + 1, d + sizeof(d) - 1, i);
    *r.ptr = ']';
    const std::string_view s(d, static_cast<size_t>(r.ptr - d) + 1);
    if (len_ + s.size() > sizeof(buf_)) return;
    std::memcpy(buf_ + len_, s.data(), s.size());
    len_ += s.size();
  }
  std::string_view view() const { return {buf_, len_}; }

 private:
  char buf_[512];
  size_t len_ = 0;
};

class DocumentParser {
 public:
  DocumentParser(const GraphqlDocumentRequest& req, const GraphqlPolicy& policy,
                 GraphqlScratch& scratch, Arena& arena, FieldList& fields, FindingList& findings,
                 GraphqlOperationList& ops)
      : req_(req), policy_(policy), scratch_(scratch), arena_(arena), fields_(fields),
        findings_(findings), ops_(ops), lex_(req.document) {}

  GraphqlStatus run(bool& introspection);

 private:
  using Caps = GraphqlDocumentCaps;

  GqlToken advance() { return cur_ = lex_.next(); }
  bool fail(const char* why) {
    if (error_ == nullptr) error_ = cur_ == GqlToken::Error ? lex_.error() : why;
    return false;
  }
  bool expect(GqlToken k, const char* why) {
    if (cur_ != k) return fail(why);
    advance();
    return true;
  }
  bool is_name(std::string_view n) const { return cur_ == GqlToken::Name && lex_.text() == n; }
  bool enter() {
    if (++nesting_ > Caps::kMaxNesting) {
      too_deep_ = true;
      return fail("nesting deeper than the parser cap");
    }
    return true;
  }
  void leave() { --nesting_; }

  void emit(std::string_view value);
  bool parse_definition();
  bool parse_operation();
  bool parse_fragment();
  bool parse_variable_definitions();
  bool parse_type();
  bool parse_directives();
  bool parse_arguments();
  bool parse_value();
  bool parse_selection_set(uint32_t level);
  bool parse_selection(uint32_t level);
  GqlDefinition* new_definition();
  void record_operations();
  void check_limits(const GqlDefinition& d);

  const GraphqlDocumentRequest& req_;
  const GraphqlPolicy& policy_;
  GraphqlScratch& scratch_;
  Arena& arena_;
  FieldList& fields_;
  FindingList& findings_;
  GraphqlOperationList& ops_;
  GraphqlLexer lex_;
  GqlToken cur_ = GqlToken::End;
  const char* error_ = nullptr;
  bool too_deep_ = false;
  bool field_cap_ = false;
  bool too_complex_ = false;
  bool introspection_ = false;
  uint32_t nesting_ = 0;
  Zone zone_ = Zone::GraphqlArg;
  NameBuilder name_;

  GqlDefinition* defs_ = nullptr;
  uint32_t def_count_ = 0;
  GqlSpread* spreads_ = nullptr;
  uint32_t spread_count_ = 0;
};

void DocumentParser::emit(std::string_view value) {
  // One slot stays free for the raw document should the parse fail later.
  if (fields_.size() + 1 >= fields_.capacity()) {
    field_cap_ = true;
    return;
  }
  fields_.add(zone_, arena_.copy(name_.view()), value);
}

GqlDefinition* DocumentParser::new_definition() {
  if (def_count_ >= Caps::kMaxDefinitions) {
    too_complex_ = true;
    fail("too many definitions");
    return nullptr;
  }
  GqlDefinition* d = &defs_[def_count_++];
  *d = GqlDefinition{};
  d->spread_begin = d->spread_end = spread_count_;
  return d;
}

bool DocumentParser::parse_definition() {
  if (cur_ == GqlToken::BraceL) {
    // Query shorthand: an anonymous query without keyword.
    GqlDefinition* d = new_definition();
    if (d == nullptr) return false;
    name_.reset_to(0);
    name_.push("", "query");
    if (!parse_selection_set(0)) return false;
    defs_[def_count_ - 1].spread_end = spread_count_;
    return true;
  }
  if (is_name("query") || is_name("mutation") || is_name("subscription")) return parse_operation();
  if (is_name("fragment")) return parse_fragment();
  return fail("expected an operation or a fragment definition");
}

bool DocumentParser::parse_operation() {
  GqlDefinition* d = new_definition();
  if (d == nullptr) return false;
  const std::string_view keyword = lex_.text();
  d->type = keyword == "mutation"       ? GraphqlOperationType::Mutation
            : keyword == "subscription" ? GraphqlOperationType::Subscription
                                        : GraphqlOperationType::Query;
  advance();
  if (cur_ == GqlToken::Name) {
    d->name = lex_.text();
    advance();
  }
  if (cur_ == GqlToken::ParenL && !parse_variable_definitions()) return false;
  // Variable definitions name their defaults "$var"; arguments start here.
  name_.reset_to(0);
  name_.push("", d->name.empty() ? keyword : d->name);
  if (!parse_directives()) return false;
  if (!parse_selection_set(0)) return false;
  defs_[def_count_ - 1].spread_end = spread_count_;
  return true;
}

bool DocumentParser::parse_fragment() {
  GqlDefinition* d = new_definition();
  if (d == nullptr) return false;
  d->is_fragment = true;
  advance();
  if (cur_ != GqlToken::Name || lex_.text() == "on") return fail("expected a fragment name");
  d->name = lex_.text();
  advance();
  if (!is_name("on")) return fail("expected 'on' after the fragment name");
  advance();
  if (!expect(GqlToken::Name, "expected a type condition")) return false;
  name_.reset_to(0);
  name_.push("", "...");
  name_.push("", d->name);
  if (!parse_directives()) return false;
  if (!parse_selection_set(0)) return false;
  defs_[def_count_ - 1].spread_end = spread_count_;
  return true;
}

bool DocumentParser::parse_variable_definitions() {
  advance();  // (
  do {
    if (!expect(GqlToken::Dollar, "expected '$' in a variable definition")) return false;
    if (cur_ != GqlToken::Name) return fail("expected a variable name");
    const std::string_view var = lex_.text();
    advance();
    if (!expect(GqlToken::Colon, "expected ':' after the variable")) return false;
    if (!parse_type()) return false;
    // Defaults are variable values the client chose: graphql_var "$name".
    name_.reset_to(0);
    name_.push("", "$");
    name_.push("", var);
    if (cur_ == GqlToken::Equals) {
      advance();
      zone_ = Zone::GraphqlVar;
      const bool ok = parse_value();
      zone_ = Zone::GraphqlArg;
      if (!ok) return false;
    }
    if (!parse_directives()) return false;
  } while (cur_ != GqlToken::ParenR && cur_ != GqlToken::End && cur_ != GqlToken::Error);
  return expect(GqlToken::ParenR, "expected ')' after the variable definitions");
}

bool DocumentParser::parse_type() {
  if (!enter()) return false;
  bool ok;
  if (cur_ == GqlToken::BracketL) {
    advance();
    ok = parse_type() && expect(GqlToken::BracketR, "expected ']' in a list type");
  } else {
    ok = expect(GqlToken::Name, "expected a type name");
  }
  if (ok && cur_ == GqlToken::Bang) advance();
  leave();
  return ok;
}

bool DocumentParser::parse_directives() {
  while (cur_ == GqlToken::At) {
    advance();
    if (cur_ != GqlToken::Name) return fail("expected a directive name");
    // Every caller is inside a definition (operation, variables, selections).
    ++defs_[def_count_ - 1].local_directives;
    const size_t m = name_.mark();
    name_.push(".@", lex_.text());
    advance();
    if (cur_ == GqlToken::ParenL && !parse_arguments()) return false;
    name_.reset_to(m);
  }
  return true;
}

bool DocumentParser::parse_arguments() {
  advance();  // (
  do {
    if (cur_ != GqlToken::Name) return fail("expected an argument name");
    const size_t m = name_.mark();
    name_.push(".", lex_.text());
    advance();
    if (!expect(GqlToken::Colon, "expected ':' after the argument name")) return false;
    if (!parse_value()) return false;
    name_.reset_to(m);
  } while (cur_ != GqlToken::ParenR && cur_ != GqlToken::End && cur_ != GqlToken::Error);
  return expect(GqlToken::ParenR, "expected ')' after the arguments");
}

bool DocumentParser::parse_value() {
  switch (cur_) {
    case GqlToken::Dollar: {
      const char* start = lex_.text().data();
      advance();
      if (cur_ != GqlToken::Name) return fail("expected a variable name");
      const std::string_view n = lex_.text();
      // "$id" as written; "$ id" (legal) is rebuilt without the gap.
      if (n.data() == start + 1) {
        emit({start, n.size() + 1});
      } else if (auto* p = static_cast<char*>(arena_.allocate(n.size() + 1, 1))) {
        p[0] = '$';
        std::memcpy(p + 1, n.data(), n.size());
        emit({p, n.size() + 1});
      }
      advance();
      return true;
    }
    case GqlToken::Int:
    case GqlToken::Float:
    case GqlToken::Name:  // true, false, null, enum values
      emit(lex_.text());
      advance();
      return true;
    case GqlToken::String:
    case GqlToken::BlockString:
      emit(graphql_string_value(lex_.text(), cur_, arena_));
      advance();
      return true;
    case GqlToken::BracketL: {
      if (!enter()) return false;
      advance();
      uint32_t index = 0;
      while (cur_ != GqlToken::BracketR) {
        const size_t m = name_.mark();
        name_.push_index(index++);
        if (!parse_value()) return false;
        name_.reset_to(m);
      }
      advance();
      leave();
      return true;
    }
    case GqlToken::BraceL: {
      if (!enter()) return false;
      advance();
      while (cur_ != GqlToken::BraceR) {
        if (cur_ != GqlToken::Name) return fail("expected an object field name");
        const size_t m = name_.mark();
        name_.push(".", lex_.text());
        advance();
        if (!expect(GqlToken::Colon, "expected ':' in an object value")) return false;
        if (!parse_value()) return false;
        name_.reset_to(m);
      }
      advance();
      leave();
      return true;
    }
    default:
      return fail("expected a value");
  }
}

bool DocumentParser::parse_selection_set(uint32_t level) {
  if (cur_ != GqlToken::BraceL) return fail("expected '{'");
  if (!enter()) return false;
  advance();
  do {
    if (!parse_selection(level)) return false;
  } while (cur_ != GqlToken::BraceR && cur_ != GqlToken::End && cur_ != GqlToken::Error);
  if (!expect(GqlToken::BraceR, "expected '}'")) return false;
  leave();
  return true;
}

bool DocumentParser::parse_selection(uint32_t level) {
  GqlDefinition& d = defs_[def_count_ - 1];
  if (cur_ == GqlToken::Spread) {
    advance();
    if (cur_ == GqlToken::Name && lex_.text() != "on") {
      if (spread_count_ >= Caps::kMaxSpreads) {
        too_complex_ = true;
        return fail("too many fragment spreads");
      }
      spreads_[spread_count_++] = GqlSpread{lex_.text(), level, -1};
      advance();
      return parse_directives();
    }
    // Inline fragment: same level, optional type condition.
    if (is_name("on")) {
      advance();
      if (!expect(GqlToken::Name, "expected a type condition")) return false;
    }
    if (!parse_directives()) return false;
    return parse_selection_set(level);
  }
  if (cur_ != GqlToken::Name) return fail("expected a field");
  std::string_view field = lex_.text();
  advance();
  if (cur_ == GqlToken::Colon) {
    // "alias: field": paths use the schema field, the alias only counts.
    advance();
    if (cur_ != GqlToken::Name) return fail("expected a field name after the alias");
    field = lex_.text();
    advance();
    ++d.local_aliases;
  }
  ++d.local_fields;
  if (level + 1 > d.local_depth) d.local_depth = level + 1;
  if (field == "__schema" || field == "__type") introspection_ = true;
  const size_t m = name_.mark();
  name_.push(".", field);
  if (cur_ == GqlToken::ParenL && !parse_arguments()) return false;
  if (!parse_directives()) return false;
  if (cur_ == GqlToken::BraceL && !parse_selection_set(level + 1)) return false;
  name_.reset_to(m);
  return true;
}

void DocumentParser::check_limits(const GqlDefinition& d) {
  auto detail = [&](const char* what, uint32_t got, uint32_t limit) -> std::string_view {
    char buf[96];
    const int n = std::snprintf(buf, sizeof(buf), "%s %u > %u", what, got, limit);
    const std::string_view s = arena_.copy({buf, std::min(static_cast<size_t>(n > 0 ? n : 0), sizeof(buf) - 1)});
    return s.empty() ? std::string_view(what) : s;
  };
  if (d.depth > policy_.max_depth)
    add_finding_once(findings_, "graphql.max_depth", detail("depth", d.depth, policy_.max_depth),
                     FindingSeverity::Fatal);
  if (d.aliases > policy_.max_aliases)
    add_finding_once(findings_, "graphql.max_aliases",
                     detail("aliases", d.aliases, policy_.max_aliases), FindingSeverity::Fatal);
  if (d.fields > policy_.max_fields)
    add_finding_once(findings_, "graphql.max_fields",
                     detail("fields", d.fields, policy_.max_fields), FindingSeverity::Fatal);
  if (d.directives > policy_.max_directives)
    add_finding_once(findings_, "graphql.max_directives",
                     detail("directives", d.directives, policy_.max_directives),
                     FindingSeverity::Fatal);
}

void DocumentParser::record_operations() {
  uint32_t op_count = 0;
  int32_t chosen = -1;
  for (uint32_t i = 0; i < def_count_; ++i) {
    if (defs_[i].is_fragment) continue;
    ++op_count;
    if (req_.operation_name.empty() ? op_count == 1 : defs_[i].name == req_.operation_name) {
      if (chosen < 0) chosen = static_cast<int32_t>(i);
    }
  }
  if (req_.operation_name.empty() && op_count > 1) chosen = -1;
  if (chosen < 0) {
    add_finding_once(findings_, "graphql.operation_not_selected",
                     op_count == 0               ? "document has no operation"
                     : req_.operation_name.empty() ? "several operations and no operationName"
                                                 : "operationName names no operation",
                     FindingSeverity::Notice);
  }
  for (uint32_t i = 0; i < def_count_; ++i) {
    const GqlDefinition& d = defs_[i];
    if (d.is_fragment) continue;
    check_limits(d);
    GraphqlOperation op;
    op.type = d.type;
    op.name = d.name;
    op.persisted_hash = req_.persisted_hash;
    op.selected = static_cast<int32_t>(i) == chosen;
    op.request_index = req_.request_index;
    op.depth = d.depth;
    op.fields = d.fields;
    op.aliases = d.aliases;
    op.directives = d.directives;
    ops_.push(op);
  }
}

GraphqlStatus DocumentParser::run(bool& introspection) {
  defs_ = scratch_.defs();
  spreads_ = scratch_.spreads();
  const uint32_t first_field = fields_.size();
  auto raw = [&](GraphqlStatus st) {
    if (fields_.size() >= fields_.capacity() && fields_.size() > first_field) {
      fields_.truncate(fields_.size() - 1);
    }
    fields_.add(Zone::GraphqlArg, {}, req_.document);
    return st;
  };
  advance();
  if (cur_ == GqlToken::End) fail("empty document");
  while (error_ == nullptr && cur_ != GqlToken::End) parse_definition();
  if (introspection_) {
    introspection = true;
    if (!policy_.allow_introspection) {
      add_finding_once(findings_, "graphql.introspection", "__schema/__type queried",
                       FindingSeverity::Fatal);
    }
  }
  if (error_ != nullptr) {
    if (too_deep_) {
      add_finding_once(findings_, "graphql.max_depth", "nesting deeper than the parser cap",
                       FindingSeverity::Anomaly);
      return raw(GraphqlStatus::Capped);
    }
    if (too_complex_) {
      add_finding_once(findings_, "graphql.too_complex", error_, FindingSeverity::Anomaly);
      return raw(GraphqlStatus::Capped);
    }
    add_finding_once(findings_, "graphql.parse_error", error_, FindingSeverity::Anomaly);
    return raw(GraphqlStatus::Malformed);
  }
  const FragmentGraphReport g = measure_fragment_graph(
      {defs_, def_count_}, {spreads_, spread_count_}, scratch_.graph());
  if (g.cycle) {
    add_finding_once(findings_, "graphql.fragment_cycle", g.cycle_name, FindingSeverity::Fatal);
  }
  if (g.unknown_fragment) {
    add_finding_once(findings_, "graphql.unknown_fragment", g.unknown_name,
                     FindingSeverity::Anomaly);
  }
  record_operations();
  if (field_cap_) {
    add_finding_once(findings_, "graphql.field_cap", "more arguments than max_fields",
                     FindingSeverity::Anomaly);
    return raw(GraphqlStatus::Capped);
  }
  return GraphqlStatus::Ok;
}

}  // namespace

void add_finding_once(FindingList& findings, std::string_view name, std::string_view detail,
                      FindingSeverity severity) {
  for (const ParserFinding& f : findings.view()) {
    if (f.name == name) return;
  }
  findings.add(name, detail, severity);
}

GraphqlScratch::GraphqlScratch()
    : defs_(new GqlDefinition[GraphqlDocumentCaps::kMaxDefinitions]),
      spreads_(new GqlSpread[GraphqlDocumentCaps::kMaxSpreads]),
      stack_defs_(new uint32_t[GraphqlDocumentCaps::kMaxDefinitions]),
      stack_cursor_(new uint32_t[GraphqlDocumentCaps::kMaxDefinitions]),
      color_(new uint8_t[GraphqlDocumentCaps::kMaxDefinitions]),
      name_table_(new uint16_t[FragmentGraphScratch::kNameTableSize]) {}

GraphqlStatus inspect_graphql_document(const GraphqlDocumentRequest& req,
                                       const GraphqlPolicy& policy, GraphqlScratch& scratch,
                                       Arena& arena, FieldList& fields, FindingList& findings,
                                       GraphqlOperationList& ops, bool& introspection) {
  DocumentParser parser(req, policy, scratch, arena, fields, findings, ops);
  return parser.run(introspection);
}

const char* graphql_operation_type_name(GraphqlOperationType t) {
  switch (t) {
    case GraphqlOperationType::Query: return "query";
    case GraphqlOperationType::Mutation: return "mutation";
    case GraphqlOperationType::Subscription: return "subscription";
  }
  return "unknown";
}

}  // namespace weir::parse
