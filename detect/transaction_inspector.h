#pragma once
// TransactionInspector: the detect engine as a parsers TransactionSink. The
// parser calls on_decision() at each decision point; the inspector scans the
// fields new since the previous decision point of the message, carries the
// message's score from headers to body, turns parser findings into
// protocol findings, and answers Block when the verdict stops traffic.
// Holds per-message state (the carried score): use one per flow, or call
// reset() when the parser it serves changes. The full result of the last
// decision (findings for alerts, verdict details) is in last().
// Argument names are attack surface too ("user[$ne]=1", JSON keys such as
// "$where", "<svg onload=...>=1"): a name of a user-input field that holds
// anything but [A-Za-z0-9_.-] and brackets is also inspected as its own
// field of zone query_arg_name (value = the name), the contract RULES.md
// gives rules on that zone.

#include <cstdint>
#include <span>
#include <vector>

#include "detect/engine.h"
#include "parsers/transaction_sink.h"

namespace weir::detect {

class TransactionInspector final : public parse::TransactionSink {
 public:
  /// `max_fields`: the most fields one decision point carries (ParseLimits);
  /// room for them and as many name fields is reserved here, once.
  explicit TransactionInspector(InspectionEngine& engine, size_t max_fields = 2048);
  /// Without an engine every decision passes until set_engine().
  explicit TransactionInspector(size_t max_fields = 2048);

  /// The engine for the next decisions (the dataplane swaps it with the snapshot).
  void set_engine(InspectionEngine* engine) { engine_ = engine; }

  /// The per-message state (score carried from headers to body), for a
  /// caller that serves many flows with one inspector: save it after a
  /// flow's decisions, restore it before the next ones (reset() for a new flow).
  struct Carry {
    bool valid = false;
    uint32_t index = 0;
    parse::Direction direction = parse::Direction::Request;
    uint32_t score = 0;
  };
  Carry carry() const { return {carry_valid_, carry_index_, carry_direction_, carry_score_}; }
  void set_carry(const Carry& c) {
    carry_valid_ = c.valid;
    carry_index_ = c.index;
    carry_direction_ = c.direction;
    carry_score_ = c.score;
  }

  /// Snapshot for the next decisions (the worker sets it after a swap).
  void set_snapshot(const PolicySnapshot* snap) { snap_ = snap; }
  void reset() { carry_valid_ = false; }

  parse::SinkVerdict on_decision(const parse::Transaction& txn) override;

  /// Result of the last on_decision(); findings valid until the next one.
  const InspectionResult& last() const { return last_; }

  /// The path of a request target: origin-form up to '?' or '#'; for
  /// absolute-form ("http://host/p?q") the part after the authority.
  static std::string_view target_path(std::string_view target);

 private:
  InspectionEngine* engine_ = nullptr;
  const PolicySnapshot* snap_ = nullptr;
  InspectionResult last_;
  bool carry_valid_ = false;
  uint32_t carry_index_ = 0;
  parse::Direction carry_direction_ = parse::Direction::Request;
  uint32_t carry_score_ = 0;
  std::vector<parse::Field> with_names_;  ///< new fields + their name fields
};

/// Appends to `out` (up to its capacity, never reallocating) a
/// query_arg_name field for each field of `in` in a user-input zone whose
/// name holds a byte outside [A-Za-z0-9_.-[]]. Returns how many were added.
size_t append_name_fields(std::span<const parse::Field> in, std::vector<parse::Field>& out);
/// Index of the first field of `in` that append_name_fields() would add a
/// name field for; in.size() when none.
size_t first_name_field(std::span<const parse::Field> in);

}  // namespace weir::detect
