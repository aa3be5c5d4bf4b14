// observe_http_exchange(); see http_exchange_observer.h.
#include "detect/observe/http_exchange_observer.h"

#include "parsers/http1/http1_parser.h"
#include "parsers/transaction_sink.h"

namespace weir::detect {

namespace {

class ObservingSink final : public parse::TransactionSink {
 public:
  ObservingSink(const ObservationContext& ctx, uint32_t latency_us, ApiObservation& out)
      : ctx_(ctx), latency_us_(latency_us), out_(out) {}

  parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
    if (txn.point != parse::DecisionPoint::EndOfBody || txn.index != 0) return parse::SinkVerdict::Pass;
    if (txn.direction == parse::Direction::Request) {
      observe_request(txn, ctx_, out_);
      request_done = true;
    } else if (request_done) {
      observe_response(txn, latency_us_, ctx_, out_);
    }
    return parse::SinkVerdict::Pass;
  }

  bool request_done = false;

 private:
  const ObservationContext& ctx_;
  uint32_t latency_us_;
  ApiObservation& out_;
};

parse::StreamChunk chunk_of(std::string_view raw, parse::Direction dir) {
  parse::StreamChunk c;
  c.direction = dir;
  c.bytes = {reinterpret_cast<const uint8_t*>(raw.data()), raw.size()};
  c.end_of_stream = true;
  return c;
}

}  // namespace

bool observe_http_exchange(std::string_view raw_request, std::string_view raw_response, uint32_t latency_us,
                           const ObservationContext& ctx, parse::ParserWorkspace& workspace, ApiObservation& out) {
  parse::Http1Parser parser(workspace);
  ObservingSink sink(ctx, latency_us, out);
  // The request side is not closed: a closed request side would be read as
  // the client giving up before the response.
  parse::StreamChunk req = chunk_of(raw_request, parse::Direction::Request);
  req.end_of_stream = false;
  parser.feed(req, sink);
  if (!sink.request_done) return false;
  if (!raw_response.empty()) parser.feed(chunk_of(raw_response, parse::Direction::Response), sink);
  return true;
}

}  // namespace weir::detect
