// TransactionInspector: see transaction_inspector.h.

#include "detect/transaction_inspector.h"

namespace weir::detect {

std::string_view TransactionInspector::target_path(std::string_view target) {
  size_t scheme = target.find("://");
  if (scheme != std::string_view::npos && scheme < target.find_first_of("/?#")) {
    size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  size_t end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

parse::SinkVerdict TransactionInspector::on_decision(const parse::Transaction& txn) {
  if (snap_ == nullptr) {
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
  last_ = engine_->inspect(*snap_, txn.fields.subspan(first), ctx);
  carry_valid_ = true;
  carry_index_ = txn.index;
  carry_direction_ = txn.direction;
  carry_score_ = last_.score;
  return last_.verdict.stops_traffic() ? parse::SinkVerdict::Block : parse::SinkVerdict::Pass;
}

}  // namespace weir::detect
