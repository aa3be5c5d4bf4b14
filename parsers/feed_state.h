#pragma once
// FeedState: where a stream parser stands between feeds, and the FeedResult
// each state gives. The contract in parser.h (after a status other than Ok,
// every later feed repeats it with consumed == 0) and the status of the state
// a feed ends in are written here once for the http1, http2 and websocket
// parsers. Inline: both run on every feed.

#include <cstdint>

#include "parsers/parser.h"

namespace weir::parse {

/// Active takes bytes; every other state is settled for good. Http2Parser and
/// WebSocketParser never enter Upgraded (their streams do not change protocol).
enum class FeedState : uint8_t { Active, Blocked, Failed, Upgraded, OutOfMemory };

/// For a parser already settled: fills `result` (status, and the error or the
/// upgrade target, consumed == 0) and returns true, so feed() returns it as is.
/// For an Active parser: returns false and leaves `result` alone.
inline bool refuse_when_settled(FeedState state, const ParserFinding& error, UpgradeKind upgrade,
                                FeedResult& result) {
  if (state == FeedState::Active) [[likely]] return false;  // one test on the hot path
  switch (state) {
    case FeedState::Active: return false;
    case FeedState::Blocked: result.status = FeedStatus::Blocked; return true;
    case FeedState::Failed:
      result.status = FeedStatus::ParseError;
      result.error = error;
      return true;
    case FeedState::Upgraded:
      result.status = FeedStatus::Upgraded;
      result.upgrade = upgrade;
      return true;
    case FeedState::OutOfMemory:
      result.status = FeedStatus::ResourceLimit;
      result.error = error;
      return true;
  }
  return false;
}

/// The bytes a feed took, by the state it ends in (see FeedResult::consumed).
struct FeedStop {
  uint32_t chunk = 0;    ///< Active: the whole chunk
  uint32_t stopped = 0;  ///< Blocked/Upgraded: up to the end of the unit blocked or switched
  uint32_t failed = 0;   ///< Failed/OutOfMemory: up to the start of the failing unit
};

/// Fills status, consumed and the error or upgrade target of `result` for the
/// state a feed ends in; `result.decisions` (counted during the feed) stays.
inline void finish_feed(FeedState state, const FeedStop& stop, const ParserFinding& error,
                        UpgradeKind upgrade, FeedResult& result) {
  if (state == FeedState::Active) [[likely]] {
    result.status = FeedStatus::Ok;
    result.consumed = stop.chunk;
    return;
  }
  switch (state) {
    case FeedState::Active:
      result.status = FeedStatus::Ok;
      result.consumed = stop.chunk;
      break;
    case FeedState::Blocked:
      result.status = FeedStatus::Blocked;
      result.consumed = stop.stopped;
      break;
    case FeedState::Upgraded:
      result.status = FeedStatus::Upgraded;
      result.upgrade = upgrade;
      result.consumed = stop.stopped;
      break;
    case FeedState::Failed:
    case FeedState::OutOfMemory:
      result.status = state == FeedState::Failed ? FeedStatus::ParseError : FeedStatus::ResourceLimit;
      result.error = error;
      result.consumed = stop.failed;
      break;
  }
}

}  // namespace weir::parse
