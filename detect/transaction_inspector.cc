// TransactionInspector: see transaction_inspector.h.

#include "detect/transaction_inspector.h"

#include <algorithm>

namespace weir::detect {
namespace {

bool name_zone(parse::Zone z) {
  switch (z) {
    case parse::Zone::QueryArg:
    case parse::Zone::Cookie:
    case parse::Zone::BodyJson:
    case parse::Zone::BodyForm:
    case parse::Zone::BodyMultipart:
    case parse::Zone::BodyXml:
    case parse::Zone::GraphqlArg:
    case parse::Zone::GraphqlVar:
    case parse::Zone::WsMessage:
      return true;
    default:
      return false;
  }
}

bool plain_name(std::string_view n) {
  for (char c : n) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

size_t append_name_fields(std::span<const parse::Field> in, std::vector<parse::Field>& out) {
  size_t added = 0;
  for (const parse::Field& f : in) {
    if (out.size() == out.capacity()) break;
    if (f.name.empty() || !name_zone(f.zone) || plain_name(f.name)) continue;
    out.push_back({parse::Zone::QueryArgName, f.name, f.name});
    ++added;
  }
  return added;
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
  InspectionContext ctx{.path = target_path(txn.target),
                        .point = txn.point,
                        .carried_score = same_message ? carry_score_ : 0,
                        .parser_findings = txn.findings};
  std::span<const parse::Field> fresh = txn.fields.subspan(first);
  std::span<const parse::Field> fields = fresh;
  with_names_.clear();
  if (fresh.size() <= with_names_.capacity()) {
    with_names_.insert(with_names_.end(), fresh.begin(), fresh.end());
    if (append_name_fields(fresh, with_names_) != 0) fields = with_names_;
  }
  last_ = engine_->inspect(*snap_, fields, ctx);
  carry_valid_ = true;
  carry_index_ = txn.index;
  carry_direction_ = txn.direction;
  carry_score_ = last_.score;
  return last_.verdict.stops_traffic() ? parse::SinkVerdict::Block : parse::SinkVerdict::Pass;
}

}  // namespace weir::detect
