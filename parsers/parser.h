#pragma once
// Parser: the per-flow L7 parser interface. The stream layer feeds in-order
// chunks per direction; at each decision point the parser calls its sink
// synchronously and returns the sink's verdict to the caller in FeedResult.
// Per-flow state is a fixed-size object placed by the caller (ParserApi::make);
// message buffers are borrowed from the per-worker ParserWorkspace.

#include <cstddef>
#include <cstdint>

#include "parsers/parser_finding.h"
#include "parsers/stream_chunk.h"
#include "parsers/transaction.h"
#include "parsers/transaction_sink.h"

namespace weir::parse {

class ParserWorkspace;

enum class FeedStatus : uint8_t {
  Ok,             ///< every byte handled; feed more
  Blocked,        ///< the sink returned Block; the flow must not go on
  ParseError,     ///< unparseable/ambiguous stream; recommended verdict: reset
  Upgraded,       ///< the stream left this protocol (see FeedResult::upgrade)
  ResourceLimit,  ///< the worker's buffer pool is exhausted (memory-cap policy)
};

const char* feed_status_name(FeedStatus s);

struct FeedResult {
  FeedStatus status = FeedStatus::Ok;
  /// Bytes of the chunk this parser took. Ok: all of them. Blocked: up to and
  /// including the unit that was blocked. Upgraded: up to the end of the
  /// message that switched protocols (the rest belongs to the next parser).
  /// ParseError/ResourceLimit: up to the start of the failing message.
  uint32_t consumed = 0;
  /// How many times the sink was called during this feed.
  uint32_t decisions = 0;
  UpgradeKind upgrade = UpgradeKind::None;
  /// The cause when status is ParseError or ResourceLimit.
  ParserFinding error{};
};

class Parser {
 public:
  virtual ~Parser() = default;
  /// Parses `chunk`; calls `sink` at every decision point reached. After a
  /// status other than Ok every later feed returns the same status with
  /// consumed == 0.
  virtual FeedResult feed(const StreamChunk& chunk, TransactionSink& sink) = 0;
};

/// Constructs a parser in caller-provided storage of ParserApi::state_size
/// bytes aligned to state_align; destroy it with destroy_parser().
using MakeParserFn = Parser* (*)(void* storage, ParserWorkspace& workspace);

/// One entry of the parser plug-in table (parsers/registry.cc).
struct ParserApi {
  const char* name = nullptr;
  size_t state_size = 0;
  size_t state_align = 0;
  MakeParserFn make = nullptr;
};

/// Runs the destructor (which gives borrowed buffers back); storage stays the caller's.
inline void destroy_parser(Parser* p) {
  if (p != nullptr) p->~Parser();
}

}  // namespace weir::parse
