// TransactionInspector: see transaction_inspector.h.

#include "detect/transaction_inspector.h"

#include <algorithm>

namespace weir::detect {
namespace {

constexpr uint32_t zone_bit(parse::Zone z) { return uint32_t{1} << static_cast<unsigned>(z); }

constexpr uint32_t kNameZones =
    zone_bit(parse::Zone::QueryArg) | zone_bit(parse::Zone::Cookie) | zone_bit(parse::Zone::BodyJson) |
    zone_bit(parse::Zone::BodyForm) | zone_bit(parse::Zone::BodyMultipart) |
    zone_bit(parse::Zone::BodyXml) | zone_bit(parse::Zone::GraphqlArg) |
    zone_bit(parse::Zone::GraphqlVar) | zone_bit(parse::Zone::WsMessage);
static_assert(static_cast<unsigned>(parse::Zone::Count) <= 32);

bool name_zone(parse::Zone z) { return (kNameZones & zone_bit(z)) != 0; }

// Every user-input field name goes through here: a table, not a chain of
// comparisons per byte.
struct PlainNameTable {
  bool ok[256] = {};
  constexpr PlainNameTable() {
    for (int c = 'a'; c <= 'z'; ++c) ok[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) ok[c] = true;
    for (int c = '0'; c <= '9'; ++c) ok[c] = true;
    for (char c : {'_', '.', '-', '[', ']'}) ok[static_cast<unsigned char>(c)] = true;
  }
};
constexpr PlainNameTable kPlainName;

bool plain_name(std::string_view n) {
  for (char c : n)
    if (!kPlainName.ok[static_cast<unsigned char>(c)]) return false;
  return true;
}

bool needs_name_field(const parse::Field& f) {
  return !f.name.empty() && name_zone(f.zone) && !plain_name(f.name);
}

}  // namespace

size_t append_name_fields(std::span<const parse::Field> in, std::vector<parse::Field>& out) {
  size_t added = 0;
  for (const parse::Field& f : in) {
    if (out.size() == out.capacity()) break;
    if (!needs_name_field(f)) continue;
    out.push_back({parse::Zone::QueryArgName, f.name, f.name});
    ++added;
  }
  return added;
}

size_t first_name_field(std::span<const parse::Field> in) {
  for (size_t i = 0; i < in.size(); ++i)
    if (needs_name_field(in[i])) return i;
  return in.size();
}

TransactionInspector::TransactionInspector(InspectionEngine& engine, size_t max_fields)
    : engine_(&engine) {
  with_names_.reserve(2 * max_fields);
}

TransactionInspector::TransactionInspector(size_t max_fields) { with_names_.reserve(2 * max_fields); }

// std::string_view::find_first_of("?#") runs memchr over the set once per
// byte of the target; one memchr per wanted byte is a fraction of that
// (npos is the largest size_t, so the minimum is the first of either).
std::string_view TransactionInspector::target_path(std::string_view target) {
  size_t scheme = target.find("://");
  if (scheme != std::string_view::npos &&
      scheme < std::min({target.find('/'), target.find('?'), target.find('#')})) {
    size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  size_t end = std::min(target.find('?'), target.find('#'));
  return end == std::string_view::npos ? target : target.substr(0, end);
}

parse::SinkVerdict TransactionInspector::on_decision(const parse::Transaction& txn) {
  if (snap_ == nullptr || engine_ == nullptr) {
    last_ = InspectionResult{};
    return parse::SinkVerdict::Pass;
  }
  bool same_message = carry_valid_ && carry_index_ == txn.index &&
                      carry_direction_ == txn.direction;
  size_t first = txn.first_new <= txn.fields.size() ? txn.first_new : txn.fields.size();
  // The path only serves exception endpoints: no exceptions, no parsing.
  InspectionContext ctx{.path = snap_->exceptions().empty() ? std::string_view{} : target_path(txn.target),
                        .point = txn.point,
                        .carried_score = same_message ? carry_score_ : 0,
                        .parser_findings = txn.findings};
  std::span<const parse::Field> fresh = txn.fields.subspan(first);
  std::span<const parse::Field> fields = fresh;
  // Most decisions carry no name that needs a field of its own: their
  // fields are inspected in place, not copied first.
  const size_t named = first_name_field(fresh);
  if (named < fresh.size() && fresh.size() < with_names_.capacity()) {
    with_names_.clear();
    with_names_.insert(with_names_.end(), fresh.begin(), fresh.end());
    append_name_fields(fresh.subspan(named), with_names_);
    fields = with_names_;
  }
  last_ = engine_->inspect(*snap_, fields, ctx);
  carry_valid_ = true;
  carry_index_ = txn.index;
  carry_direction_ = txn.direction;
  carry_score_ = last_.score;
  return last_.verdict.stops_traffic() ? parse::SinkVerdict::Block : parse::SinkVerdict::Pass;
}

}  // namespace weir::detect
