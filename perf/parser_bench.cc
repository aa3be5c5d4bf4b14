// Parse throughput of every API-protocol parser on realistic inputs, one
// core, and HTTP/2 against HTTP/1 for the same requests, in one run.
//   parser_bench [cpu-seconds per case] [--no-detect]
//
// Inputs are generated (deterministic, parser_bench_inputs.cc): API
// requests with browser and SDK headers, JSON/GraphQL/SOAP/multipart bodies,
// gRPC protobuf messages, WebSocket JSON messages. Stream parsers (http1, http2, websocket) are fed
// through ParserApi::make + Parser::feed, one connection per pass, both
// directions, in MSS-sized (1448-byte) segments as reassembly delivers
// them; a sink touches every byte of every new field and finding (like the
// fuzz targets' TouchingSink), so lazy views are paid for. Body parsers
// (graphql, xml, multipart, json, content decoding, gRPC messages) are timed
// through their public entry points, and again inside an HTTP/1 POST, where
// the Content-Type picks them as on the wire.
// Every pass checks that each parser returned Ok and saw every message;
// findings on these benign inputs are printed (they should be none).
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "parsers/encoding/content_coding.h"
#include "parsers/grpc/grpc_body_fields.h"
#include "parsers/grpc/grpc_framer.h"
#include "parsers/grpc/grpc_message_fields.h"
#include "parsers/http2/http2_parser.h"
#include "parsers/multipart/multipart_splitter.h"
#include "parsers/parser_workspace.h"
#include "parsers/registry.h"
#include "parsers/websocket/websocket_parser.h"
#include "perf/parser_bench_inputs.h"
#include "tests/unit/parsers/grpc/protobuf_wire.h"

#ifdef WEIR_BENCH_DETECT
#include "cli/inspect_policy.h"
#include "detect/engine.h"
#include "detect/transaction_inspector.h"
#endif

namespace {

using namespace weir::parse;
using namespace weir::perf;
namespace t = weir::parse::testing;

constexpr size_t kMss = 1448;

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// ---------------------------------------------------------------- sinks

struct Counts {
  uint64_t fields = 0, messages = 0, checksum = 0;
  std::set<std::string> findings;  // names seen (benign inputs: should stay empty)
};

void touch(std::span<const Field> fields, Counts& c) {
  for (const Field& f : fields) {
    for (char ch : f.name) c.checksum += static_cast<uint8_t>(ch);
    for (char ch : f.value) c.checksum += static_cast<uint8_t>(ch);
  }
  c.fields += fields.size();
}

// Touches every new field; counts units: requests complete (EndOfBody) or
// messages (EndOfMessage) of the request side, of either side for WebSocket;
// forwards to `inner` (the detect engine) when set.
class BenchSink final : public TransactionSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    touch(txn.fields.subspan(txn.first_new), counts);
    for (const ParserFinding& f : txn.findings) {
      counts.checksum += f.detail.size();
      if (counts.findings.size() < 8) counts.findings.emplace(f.name);
    }
    if (txn.point == unit_point &&
        (txn.direction == Direction::Request || txn.protocol == Protocol::WebSocket)) {
      ++counts.messages;
    }
    if (inner != nullptr && inner->on_decision(txn) != SinkVerdict::Pass) ++blocked;
    return SinkVerdict::Pass;
  }
  Counts counts;
  TransactionSink* inner = nullptr;
  uint64_t blocked = 0;
  /// What one unit is: a request (EndOfBody) or a gRPC/WebSocket message.
  DecisionPoint unit_point = DecisionPoint::EndOfBody;
};

// ---------------------------------------------------------------- results

struct Row {
  std::string label;
  double unit_bytes = 0, units_per_s = 0, mb_per_s = 0, fields_per_unit = 0;
};

void print_row(const Row& r, const char* unit) {
  std::printf("%-40s %7.0f B/%-4s %10.0f %-4s/s %8.1f MB/s %6.1f fields/%s\n", r.label.c_str(),
              r.unit_bytes, unit, r.units_per_s, unit, r.mb_per_s, r.fields_per_unit, unit);
  std::fflush(stdout);
}

void report_findings(const std::string& label, const Counts& c) {
  if (c.findings.empty()) return;
  std::printf("  note: %s raised findings on benign input:", label.c_str());
  for (const auto& f : c.findings) std::printf(" %s", f.c_str());
  std::printf("\n");
}

// ---------------------------------------------------------------- stream runner

using MakeFn = std::function<Parser*(void* storage, ParserWorkspace& ws)>;

class StreamBench {
 public:
  explicit StreamBench(ParserWorkspace& ws) : ws_(ws) {
    size_t size = 0, align = alignof(std::max_align_t);
    for (const ParserApi& api : parser_registry()) {
      size = std::max(size, api.state_size);
      align = std::max(align, api.state_align);
    }
    storage_ = std::make_unique<std::byte[]>(size + align);
    const auto base = reinterpret_cast<uintptr_t>(storage_.get());
    state_ = reinterpret_cast<void*>((base + align - 1) / align * align);
  }

  // One pass = one connection: a fresh parser, every flight in MSS segments.
  // Returns false (after printing why) when the parser did not take it all.
  bool pass(const MakeFn& make, const Script& script, BenchSink& sink) {
    Parser* p = make(state_, ws_);
    bool ok = true;
    for (const Flight& f : script) {
      for (size_t pos = 0; pos < f.bytes.size() && ok; pos += kMss) {
        const size_t n = std::min(kMss, f.bytes.size() - pos);
        StreamChunk c;
        c.direction = f.dir;
        c.bytes = {reinterpret_cast<const uint8_t*>(f.bytes.data() + pos), n};
        const FeedResult r = p->feed(c, sink);
        if (r.status != FeedStatus::Ok || r.consumed != n) {
          std::fprintf(stderr, "feed: %s (%.*s: %.*s)\n", feed_status_name(r.status),
                       static_cast<int>(r.error.name.size()), r.error.name.data(),
                       static_cast<int>(r.error.detail.size()), r.error.detail.data());
          ok = false;
        }
      }
    }
    destroy_parser(p);
    return ok;
  }

  // Repeats the connection for `seconds` of CPU time. `units` = request
  // messages (or WebSocket messages) per pass, checked against the sink.
  Row run(const std::string& label, const MakeFn& make, const Script& script, uint64_t units,
          double seconds, TransactionSink* inner = nullptr, const char* unit = "req") {
    size_t bytes = 0;
    for (const Flight& f : script) bytes += f.bytes.size();
    BenchSink sink;
    sink.inner = inner;
    if (std::strcmp(unit, "msg") == 0) sink.unit_point = DecisionPoint::EndOfMessage;
    uint64_t passes = 0;
    const double start = cpu_now();
    double elapsed = 0;
    while (elapsed < seconds || passes == 0) {
      if (!pass(make, script, sink)) std::exit(1);
      ++passes;
      if (sink.counts.messages != passes * units) {
        std::fprintf(stderr, "%s: %llu messages after %llu passes, expected %llu each\n",
                     label.c_str(), static_cast<unsigned long long>(sink.counts.messages),
                     static_cast<unsigned long long>(passes), static_cast<unsigned long long>(units));
        std::exit(1);
      }
      elapsed = cpu_now() - start;
    }
    Row r{label, static_cast<double>(bytes) / static_cast<double>(units),
          static_cast<double>(passes * units) / elapsed,
          static_cast<double>(passes * bytes) / elapsed / 1e6,
          static_cast<double>(sink.counts.fields) / static_cast<double>(passes * units)};
    print_row(r, unit);
    report_findings(label, sink.counts);
    if (sink.blocked != 0) {
      std::printf("  note: %s: %llu decisions blocked by the engine\n", label.c_str(),
                  static_cast<unsigned long long>(sink.blocked / passes));
    }
    return r;
  }

 private:
  ParserWorkspace& ws_;
  std::unique_ptr<std::byte[]> storage_;
  void* state_ = nullptr;
};

MakeFn registry_parser(const char* name) {
  const ParserApi* api = find_parser(name);
  if (api == nullptr) std::abort();
  return [api](void* s, ParserWorkspace& ws) { return api->make(s, ws); };
}

// ---------------------------------------------------------------- body runner

// Times `fn(i, fields, findings)` over `inputs` round robin.
Row run_body(const std::string& label, ParserWorkspace& ws, const std::vector<std::string>& inputs,
             const std::function<void(size_t, FieldList&, FindingList&)>& fn, double seconds,
             const char* unit = "msg") {
  size_t bytes = 0;
  for (const auto& in : inputs) bytes += in.size() - kPadding;
  Counts counts;
  uint64_t passes = 0;
  const double start = cpu_now();
  double elapsed = 0;
  while (elapsed < seconds || passes == 0) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      ws.arena().reset();
      FieldList fields(ws.arena(), ws.limits().max_fields);
      FindingList findings(ws.arena(), 32);
      fn(i, fields, findings);
      if (fields.size() == 0) {
        std::fprintf(stderr, "%s: input %zu gave no fields\n", label.c_str(), i);
        std::exit(1);
      }
      touch(fields.view(), counts);
      for (const ParserFinding& f : findings.view()) {
        if (counts.findings.size() < 8) counts.findings.emplace(f.name);
      }
    }
    ++passes;
    elapsed = cpu_now() - start;
  }
  const double units = static_cast<double>(passes * inputs.size());
  Row r{label, static_cast<double>(bytes) / static_cast<double>(inputs.size()), units / elapsed,
        static_cast<double>(passes * bytes) / elapsed / 1e6,
        static_cast<double>(counts.fields) / units};
  print_row(r, unit);
  report_findings(label, counts);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  bool detect = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-detect") == 0) detect = false;
    else seconds = std::atof(argv[i]);
  }
  ParseLimits limits;
  WorkspaceSizes sizes;
  ParserWorkspace ws(limits, sizes);
  StreamBench bench(ws);
  const size_t kN = 512;  // requests per connection

  std::printf("== stream parsers (ParserApi + feed, both directions, %zu-byte segments) ==\n", kMss);
  const std::vector<ApiRequest> reqs = api_requests(kN);
  const Script h1 = h1_script(reqs);
  const Script h2 = h2_script(reqs, 16);
  const Row r1 = bench.run("http1 keep-alive, API mix", registry_parser("http1"), h1, kN, seconds);
  const Row r2 = bench.run("http2 16 streams in flight, same reqs", registry_parser("http2"), h2, kN, seconds);
  const MakeFn h2_parser = [](void* s, ParserWorkspace& w) -> Parser* {
    return new (s) Http2Parser(w, Http2Parser::Start::ClientPreface);
  };
  bench.run("grpc over h2, unary CreateOrder", h2_parser, grpc_script(256, 16, false), 256, seconds,
            nullptr, "msg");
  bench.run("grpc over h2, gzip messages", h2_parser, grpc_script(256, 16, true), 256, seconds, nullptr,
            "msg");
  const auto ws_parser = [](const char* ext) -> MakeFn {
    return [ext](void* s, ParserWorkspace& w) {
      return make_websocket_parser_for(s, w, {.path = "/ws/trade", .host = "shop.example.com", .extensions = ext});
    };
  };
  bench.run("websocket masked JSON", ws_parser(""), websocket_script(512, false), 512, seconds, nullptr,
            "msg");
  bench.run("websocket permessage-deflate", ws_parser("permessage-deflate"), websocket_script(512, true),
            512, seconds, nullptr, "msg");

  std::printf("\n== body parsers (public entry points) ==\n");
  const auto gql = graphql_bodies(64);
  run_body("graphql json envelope", ws, gql, [&](size_t i, FieldList& f, FindingList& fi) {
    GraphqlResult res;
    ws.graphql().inspect_json(unpadded(gql[i]), ws.graphql_policy(), ws.json(), ws.arena(), f,
                              fi, res);
  }, seconds);
  const auto soap = soap_bodies(64);
  run_body("xml soap envelope (expat)", ws, soap, [&](size_t i, FieldList& f, FindingList& fi) {
    XmlResult res;
    ws.xml().inspect(unpadded(soap[i]),
                     {.content_type = "text/xml; charset=utf-8",
                      .soap_action = "\"http://example.com/orders/v1/SubmitOrder\""},
                     ws.xml_policy(), ws.arena(), f, fi, res);
  }, seconds);
  const auto mp = multipart_bodies(64);
  const std::string mp_type = std::string("multipart/form-data; boundary=") + kMultipartBoundary;
  run_body("multipart form + csv file", ws, mp, [&](size_t i, FieldList& f, FindingList& fi) {
    split_multipart(unpadded(mp[i]), mp_type, false, ws, f, fi);
  }, seconds);
  const auto js = json_bodies(64);
  run_body("json flattener, listing", ws, js, [&](size_t i, FieldList& f, FindingList& fi) {
    ws.json().flatten(unpadded(js[i]), Zone::BodyJson, ws.arena(), f, fi);
  }, seconds);
  // Content decoding: MB/s of compressed input; decoded bytes are the JSON above.
  std::vector<std::string> gz, br;
  for (const auto& j : js) {
    gz.push_back(padded(gzip(unpadded(j))));
    br.push_back(padded(brotli(unpadded(j))));
  }
  CodingList gzip_list, br_list;
  append_codings("gzip", false, gzip_list);
  append_codings("br", false, br_list);
  const auto decode_row = [&](const char* label, const std::vector<std::string>& in, const CodingList& list) {
    uint64_t out_bytes = 0, calls = 0;
    const Row r = run_body(label, ws, in, [&](size_t i, FieldList& f, FindingList& fi) {
      const DecodedBody d = ws.decoder().decode(list, unpadded(in[i]), false, fi);
      out_bytes += d.bytes.size();
      ++calls;
      f.add(Zone::BodyRaw, {}, d.bytes);
    }, seconds);
    std::printf("  (decoded: %.0f B/msg, %.1f MB/s of output)\n", static_cast<double>(out_bytes) / calls,
                r.units_per_s * static_cast<double>(out_bytes) / static_cast<double>(calls) / 1e6);
  };
  decode_row("content decoder, gzip json", gz, gzip_list);
  decode_row("content decoder, brotli json", br, br_list);
  // gRPC messages alone: the framer over a stream of framed messages, then
  // each message through add_grpc_message_fields (as the HTTP/2 parser does).
  std::vector<std::string> grpc_plain, grpc_gz;
  {
    Rng rng;
    for (int i = 0; i < 64; ++i) {
      const std::string m = order_proto(rng);
      grpc_plain.push_back(padded(t::grpc_frame(m)));
      grpc_gz.push_back(padded(t::grpc_frame(gzip(m), 1)));
    }
  }
  const auto grpc_row = [&](const char* label, const std::vector<std::string>& in, std::string_view encoding) {
    run_body(label, ws, in, [&](size_t i, FieldList& f, FindingList& fi) {
      GrpcFramer framer;
      std::span<const uint8_t> rest(reinterpret_cast<const uint8_t*>(in[i].data()), in[i].size() - kPadding);
      std::span<const uint8_t> msg;
      bool done = false;
      while (!rest.empty() && !done) rest = rest.subspan(framer.next(rest, msg, done));
      GrpcMessageInfo info{.flags = framer.flags(), .length = framer.length(), .encoding = encoding};
      add_grpc_message_fields({reinterpret_cast<const char*>(msg.data()), msg.size()}, info, Direction::Request,
                              ws, kDefaultProtobufDepth, f, fi);
    }, seconds);
  };
  grpc_row("grpc message, protobuf", grpc_plain, "");
  grpc_row("grpc message, gzip protobuf", grpc_gz, "gzip");

  std::printf("\n== body parsers inside an HTTP/1 POST (feed; Content-Type picks the parser) ==\n");
  const MakeFn http1 = registry_parser("http1");
  bench.run("http1 + graphql", http1, h1_posts("/graphql", gql, "application/json"), gql.size(), seconds);
  bench.run("http1 + soap", http1,
            h1_posts("/soap/orders", soap, "text/xml; charset=utf-8",
                     "SOAPAction: \"http://example.com/orders/v1/SubmitOrder\"\r\n"),
            soap.size(), seconds);
  bench.run("http1 + multipart", http1, h1_posts("/api/v2/uploads", mp, mp_type), mp.size(), seconds);
  bench.run("http1 + json", http1, h1_posts("/api/v2/products/bulk", js, "application/json"), js.size(), seconds);
  bench.run("http1 + gzip json", http1,
            h1_posts("/api/v2/products/bulk", gz, "application/json", "Content-Encoding: gzip\r\n"), gz.size(),
            seconds);
  bench.run("http1 + brotli json", http1,
            h1_posts("/api/v2/products/bulk", br, "application/json", "Content-Encoding: br\r\n"), br.size(),
            seconds);
  bench.run("http1 + grpc-web", http1,
            h1_posts("/shop.v1.OrderService/CreateOrder", grpc_plain, "application/grpc-web+proto"),
            grpc_plain.size(), seconds);

  // Every message is a decision point: the smallest messages bound what
  // an attacker gets per byte sent.
  std::printf("\n== worst case: empty messages (a decision each) ==\n");
  bench.run("grpc over h2, empty messages", h2_parser, grpc_empty_message_script(16), 16 * (16384 / 5), seconds,
            nullptr, "msg");
  bench.run("websocket, empty masked messages", ws_parser(""), websocket_empty_message_script(4096), 4096,
            seconds, nullptr, "msg");

  std::printf("\n== HTTP/2 vs HTTP/1, the same %zu requests per connection ==\n", kN);
  std::printf("parse + fields:    http1 %.0f req/s, http2 %.0f req/s, http2/http1 = %.2f (bytes on the wire: %.0f vs %.0f per request)\n",
              r1.units_per_s, r2.units_per_s, r2.units_per_s / r1.units_per_s, r1.unit_bytes, r2.unit_bytes);
#ifdef WEIR_BENCH_DETECT
  if (detect) {
    // The full path as the dataplane and `weirctl inspect` run it: the
    // default ruleset compiled into a PolicySnapshot, one InspectionEngine,
    // a TransactionInspector as the parser's sink.
    const weir::cli::InspectPolicy policy = weir::cli::load_inspect_policy({});
    weir::detect::InspectionEngine engine;
    engine.bind(*policy.snapshot);
    weir::detect::TransactionInspector inspector(engine, limits.max_fields);
    inspector.set_snapshot(policy.snapshot.get());
    std::printf("detect: %zu rules from %s\n", policy.rule_count, policy.rules_source.c_str());
    const Row d1 = bench.run("http1 + detect", registry_parser("http1"), h1, kN, seconds, &inspector);
    inspector.reset();
    const Row d2 = bench.run("http2 + detect", registry_parser("http2"), h2, kN, seconds, &inspector);
    std::printf("parse + detect:    http1 %.0f req/s, http2 %.0f req/s, http2/http1 = %.2f\n", d1.units_per_s,
                d2.units_per_s, d2.units_per_s / d1.units_per_s);
    inspector.reset();
    bench.run("grpc empty messages + detect", h2_parser, grpc_empty_message_script(16), 16 * (16384 / 5),
              seconds, &inspector, "msg");
    inspector.reset();
    bench.run("websocket empty messages + detect", ws_parser(""), websocket_empty_message_script(4096), 4096,
              seconds, &inspector, "msg");
  }
#else
  if (detect) std::printf("(detect path not built: weirctl's inspect library was not configured)\n");
#endif
  return 0;
}
