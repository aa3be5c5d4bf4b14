#pragma once
// OfflineInspector: one connection's client bytes through the same path
// the dataplane runs per flow — protocol sniffed from the first bytes
// (HTTP/1, or HTTP/2 from its preface), a fresh parser from the registry on
// a per-thread ParserWorkspace, upgrades followed as the dataplane follows
// them (h2c prior knowledge; WebSocket after a 101), the
// TransactionInspector as its sink, one InspectionEngine bound to a
// compiled PolicySnapshot — and the request's outcome copied out (the
// engine's findings are views valid only inside one decision). Bodies go
// to their parser by content type inside the protocol parsers
// (parsers/http1/body_fields.cc), exactly as on the wire.
// Used by `weirctl inspect` for a file or a corpus and timed by
// perf/inspect_bench.py through it. One per thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/corpus_request.h"
#include "config/weir_config.h"
#include "detect/engine.h"
#include "detect/policy_snapshot.h"
#include "detect/transaction_inspector.h"
#include "parsers/parse_http_request.h"
#include "parsers/parser_workspace.h"
#include "parsers/websocket/websocket_handshake.h"

namespace weir::cli {

// OfflineInspector writes every member of a record it reuses (on_decision()):
// a member added here must be assigned there too.
struct FindingRecord {
  std::string rule;
  std::string message;
  std::string field_name;
  std::string excerpt;
  parse::Zone zone = parse::Zone::Count;  ///< Count: a parser finding (the message, no field)
  detect::AttackClass attack_class = detect::AttackClass::Other;
  detect::Severity severity = detect::Severity::Notice;
  uint16_t score = 0;
  bool excerpt_truncated = false;
};

/// Zone text for output: the zone name, or "protocol" for parser findings.
const char* finding_zone_name(const FindingRecord& f);

struct RequestOutcome {
  /// The strongest verdict over the request's decision points.
  detect::VerdictAction action = detect::VerdictAction::Pass;
  uint32_t score = 0;      ///< anomaly score, headers and body together
  uint32_t decisions = 0;  ///< decision points reached (0: incomplete request)
  parse::FeedStatus feed_status = parse::FeedStatus::Ok;
  std::string parse_error;  ///< name of the parser finding that stopped it
  bool scan_error = false;  ///< the engine reported a scratch or scan error
  /// Engine counters summed over the decision points (fields, hs_scan
  /// calls ...): where the time of a slow request goes.
  detect::InspectionStats stats;
  std::vector<FindingRecord> findings;

  bool blocked() const {
    return action == detect::VerdictAction::Drop || action == detect::VerdictAction::Reset ||
           action == detect::VerdictAction::Block;
  }
  /// Blocked in block mode; alerted on in monitor mode (nothing blocks there).
  bool detected() const { return action != detect::VerdictAction::Pass; }
};

/// sum += s, counter by counter.
void accumulate_stats(detect::InspectionStats& sum, const detect::InspectionStats& s);

class OfflineInspector final : private parse::TransactionSink {
 public:
  /// `graphql` / `xml`: the parser policies (config `parsers:`), as the
  /// dataplane gives them to its workers' workspaces.
  explicit OfflineInspector(std::shared_ptr<const detect::PolicySnapshot> snapshot,
                            const parse::GraphqlPolicy& graphql = {}, const parse::XmlPolicy& xml = {});
  /// The config's whole parser setup (`parsers:` policies and gRPC
  /// descriptor sets, `apis:` per-API policies), kept alive here and read
  /// as a worker reads its live config generation's.
  OfflineInspector(std::shared_ptr<const detect::PolicySnapshot> snapshot,
                   std::shared_ptr<const config::ParsersConfig> parsers);

  /// Parses and inspects one connection's client bytes: an HTTP/1 request
  /// (pipelined requests in `raw` are all inspected) or an HTTP/2 connection
  /// starting with the preface; `out` is overwritten, its storage reused.
  void inspect(std::string_view raw, RequestOutcome& out);
  /// A corpus request; a WebSocket record's Upgrade is answered with a 101
  /// (its ws_extensions) and its frames are inspected message by message.
  void inspect(const CorpusRequest& request, RequestOutcome& out);

  /// Bytes the client sent for `request` (what speed is measured over).
  static size_t wire_bytes(const CorpusRequest& request) {
    return request.raw.size() + request.ws_frames.size();
  }

  const detect::PolicySnapshot& snapshot() const { return *snapshot_; }
  /// The engine's cache of clean header values (detect/clean_value_cache.h):
  /// emptied, and used or not from now on.
  void reset_clean_cache(bool use = true) { engine_.reset_clean_cache(use); }

 private:
  parse::SinkVerdict on_decision(const parse::Transaction& txn) override;
  void run(std::string_view raw, const CorpusRequest* websocket, RequestOutcome& out);
  parse::Parser* make(const char* name);
  /// Feeds one chunk; a fatal parse error goes through the engine as in the
  /// dataplane. Returns the feed's result.
  parse::FeedResult feed(parse::Parser& parser, const parse::StreamChunk& chunk, RequestOutcome& out);

  std::shared_ptr<const detect::PolicySnapshot> snapshot_;
  parse::ParserWorkspace workspace_;
  detect::InspectionEngine engine_;
  detect::TransactionInspector inspector_;
  RequestOutcome* current_ = nullptr;
  size_t reused_findings_ = 0;  ///< records of current_->findings written by this run
  parse::WebSocketHandshakeRecord ws_record_;
  std::unique_ptr<std::byte[]> storage_;  ///< one parser at a time, any protocol
  void* parser_state_ = nullptr;          ///< storage_ aligned for every parser
  std::string handshake_response_;
  std::shared_ptr<const config::ParsersConfig> parsers_;  ///< the workspace's tables point into it
};

}  // namespace weir::cli
