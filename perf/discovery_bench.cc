// API discovery cost, in one run: (1) per request on the worker, the HTTP/1
// parse of a request/response pair with discovery off (parse only) and on
// (sampler admit + observation build + wire encode + split into ApiCall
// chunk events when admitted, and with the sampler forced open, the full
// cost of every request; the rte_ring enqueue of the 2-3 chunks is not in
// it: no EAL here); (2) control-plane ingest rate (records/s): chunks
// reassembled, decoded and ingested into the inventory.
//
// Usage: discovery_bench [iterations] [always]   (default 200000; "always"
// runs only the every-request mode, for a profiler)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "control/api_call_reassembler.h"
#include "control/inventory/inventory.h"
#include "dataplane/events/api_call_chunks.h"
#include "detect/observe/endpoint_sampler.h"
#include "detect/observe/observation_builder.h"
#include "detect/observe/observation_codec.h"
#include "parsers/http1/http1_parser.h"
#include "parsers/transaction_sink.h"

namespace {

using Clock = std::chrono::steady_clock;

enum class Mode { Off, Sampled, Always };

class BenchSink final : public weir::parse::TransactionSink {
 public:
  BenchSink(Mode mode, weir::detect::EndpointSampler& sampler) : mode_(mode), sampler_(sampler) {}
  weir::parse::SinkVerdict on_decision(const weir::parse::Transaction& txn) override {
    if (mode_ == Mode::Off || txn.point != weir::parse::DecisionPoint::EndOfBody) return weir::parse::SinkVerdict::Pass;
    if (txn.direction == weir::parse::Direction::Request) {
      const uint64_t key = weir::detect::endpoint_sampling_key(txn.host, txn.method, txn.target);
      admitted_ = mode_ == Mode::Always || sampler_.admit(key, now_ns_);
      if (admitted_) weir::detect::observe_request(txn, ctx_, obs_);
    } else if (admitted_) {
      weir::detect::observe_response(txn, 1200, ctx_, obs_);
      const size_t n = weir::detect::encode(obs_, wire_);
      bytes_ += n;
      chunks_ += weir::dp::split_api_call({wire_.data(), n}, static_cast<uint32_t>(emitted_), events_.data(),
                                          events_.size());
      ++emitted_;
    }
    return weir::parse::SinkVerdict::Pass;
  }
  uint64_t now_ns_ = 0;
  uint64_t emitted_ = 0;
  uint64_t bytes_ = 0;
  uint64_t chunks_ = 0;

 private:
  Mode mode_;
  weir::detect::EndpointSampler& sampler_;
  weir::detect::ObservationContext ctx_;
  weir::detect::ApiObservation obs_;
  bool admitted_ = false;
  std::vector<uint8_t> wire_ = std::vector<uint8_t>(weir::detect::max_encoded_observation_size());
  std::vector<weir::dp::Event> events_ =
      std::vector<weir::dp::Event>(weir::dp::api_call_chunk_count(weir::detect::max_encoded_observation_size()));
};

std::string make_request(int i) {
  const std::string body = R"({"items":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1}],"note":"gift","email":"a@example.com"})";
  return "POST /api/v1/users/" + std::to_string(i % 1000) +
         "/orders?expand=true HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: bench\r\nAccept: */*\r\n"
         "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kResponse = [] {
  const std::string body =
      R"({"id":"550e8400-e29b-41d4-a716-446655440000","status":"created","total":12.5,"card":"4111111111111111","items":[{"sku":"A-1"},{"sku":"B-2"}]})";
  return "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}();

weir::parse::StreamChunk chunk(const std::string& s, weir::parse::Direction d) {
  weir::parse::StreamChunk c;
  c.direction = d;
  c.bytes = {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
  return c;
}

double run(Mode mode, const std::vector<std::string>& requests, int iterations, uint64_t& emitted, uint64_t& bytes) {
  weir::parse::ParserWorkspace ws;
  weir::detect::EndpointSampler sampler(100, 200);
  BenchSink sink(mode, sampler);
  const auto resp = chunk(kResponse, weir::parse::Direction::Response);
  const auto t0 = Clock::now();
  for (int i = 0; i < iterations; ++i) {
    // One connection per request pair keeps the parser state simple; the
    // parser object is per flow in the dataplane too.
    weir::parse::Http1Parser parser(ws);
    sink.now_ns_ = static_cast<uint64_t>(i) * 1000;  // 1M requests/s of simulated time
    parser.feed(chunk(requests[static_cast<size_t>(i) % requests.size()], weir::parse::Direction::Request), sink);
    parser.feed(resp, sink);
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
  emitted = sink.emitted_;
  bytes = sink.bytes_;
  return ns / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 200000;
  std::vector<std::string> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(make_request(i));
  uint64_t e0 = 0, b0 = 0, e1 = 0, b1 = 0, e2 = 0, b2 = 0;
  run(Mode::Off, requests, iterations / 10, e0, b0);  // warm-up
  if (argc > 2 && std::string(argv[2]) == "always") {  // profiling aid: the full-cost mode only
    std::printf("every request: %.0f ns\n", run(Mode::Always, requests, iterations, e2, b2));
    return 0;
  }
  const double off = run(Mode::Off, requests, iterations, e0, b0);
  const double sampled = run(Mode::Sampled, requests, iterations, e1, b1);
  const double always = run(Mode::Always, requests, iterations, e2, b2);
  std::printf("worker, per request/response pair (%d pairs, 1M req/s simulated on one endpoint):\n", iterations);
  std::printf("  discovery off:              %8.0f ns\n", off);
  std::printf("  discovery on, sampled:      %8.0f ns  (+%.0f ns; %llu observations = %.4f%%)\n", sampled,
              sampled - off, static_cast<unsigned long long>(e1), 100.0 * static_cast<double>(e1) / iterations);
  std::printf("  discovery on, every request:%8.0f ns  (+%.0f ns; %.0f bytes/observation)\n", always, always - off,
              e2 ? static_cast<double>(b2) / static_cast<double>(e2) : 0.0);

  // Control plane: decode + ingest (in memory; persistence is batched).
  std::vector<weir::detect::ApiObservation> observations(64);
  {
    weir::parse::ParserWorkspace ws;
    weir::detect::EndpointSampler sampler(1, 1);
    for (size_t k = 0; k < observations.size(); ++k) {
      struct Capture final : weir::parse::TransactionSink {
        weir::detect::ApiObservation* out;
        weir::detect::ObservationContext ctx;
        weir::parse::SinkVerdict on_decision(const weir::parse::Transaction& t) override {
          if (t.point != weir::parse::DecisionPoint::EndOfBody) return weir::parse::SinkVerdict::Pass;
          if (t.direction == weir::parse::Direction::Request) weir::detect::observe_request(t, ctx, *out);
          else weir::detect::observe_response(t, 900, ctx, *out);
          return weir::parse::SinkVerdict::Pass;
        }
      } cap;
      cap.out = &observations[k];
      cap.ctx.client_key = k % 8 + 1;
      weir::parse::Http1Parser parser(ws);
      parser.feed(chunk(make_request(static_cast<int>(k)), weir::parse::Direction::Request), cap);
      parser.feed(chunk(kResponse, weir::parse::Direction::Response), cap);
    }
  }
  std::vector<std::vector<uint8_t>> wire;
  for (const auto& o : observations) {
    std::vector<uint8_t> buf(weir::detect::max_encoded_observation_size());
    buf.resize(weir::detect::encode(o, buf));
    wire.push_back(std::move(buf));
  }
  // As weir-control receives them: each record's chunk events (ids and
  // sequences as one worker's ring stamps them).
  struct Chunk {
    uint64_t id, seq;
    uint32_t rule_id;
    std::string text;
  };
  std::vector<std::vector<Chunk>> chunked;
  uint64_t seq = 0;
  size_t chunk_total = 0;
  for (size_t k = 0; k < wire.size(); ++k) {
    std::vector<weir::dp::Event> evs(weir::dp::kApiCallMaxChunks);
    const size_t n = weir::dp::split_api_call(wire[k], static_cast<uint32_t>(k), evs.data(), evs.size());
    std::vector<Chunk> c;
    for (size_t j = 0; j < n; ++j) c.push_back({0, 0, evs[j].rule_id, std::string(evs[j].text_view())});
    chunk_total += n;
    chunked.push_back(std::move(c));
  }
  weir::ctl::Inventory inv(weir::ctl::InventoryOptions{}, nullptr);
  weir::ctl::ApiCallReassembler reassembler;
  std::vector<uint8_t> record;
  auto decoded = std::make_unique<weir::detect::ApiObservation>();
  const int records = iterations;
  const auto t0 = Clock::now();
  for (int i = 0; i < records; ++i) {
    for (Chunk& c : chunked[static_cast<size_t>(i) % chunked.size()]) {
      c.seq = seq++;
      c.id = weir::dp::make_event_id(1, 0, c.seq);
      if (!reassembler.add(c.id, c.seq, c.rule_id, c.text, record)) continue;
      if (weir::detect::decode(record, *decoded) != weir::detect::DecodeStatus::Ok) return 1;
      inv.ingest(*decoded);
    }
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("control plane: reassemble + decode + ingest %d records (%.1f chunks each): %.0f records/s "
              "(%zu endpoints, %llu dropped)\n",
              records, static_cast<double>(chunk_total) / static_cast<double>(chunked.size()), records / s,
              inv.endpoints().size(), static_cast<unsigned long long>(reassembler.stats().dropped));
  return 0;
}
