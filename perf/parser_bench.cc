// Parse throughput of every API-protocol parser on realistic inputs, one
// core, and HTTP/2 against HTTP/1 for the same requests, in one run.
//   parser_bench [cpu-seconds per case] [--no-detect]
//
// Inputs are generated here (deterministic): API requests with browser and
// SDK headers, JSON/GraphQL/SOAP/multipart bodies, gRPC protobuf messages,
// WebSocket JSON messages. Stream parsers (http1, http2, websocket) are fed
// through ParserApi::make + Parser::feed, one connection per pass, both
// directions, in MSS-sized (1448-byte) segments as reassembly delivers
// them; a sink touches every byte of every new field and finding (like the
// fuzz targets' TouchingSink), so lazy views are paid for. Body parsers
// (graphql, xml, multipart, json, content decoding, gRPC messages) are timed
// through their public entry points, and again inside an HTTP/1 POST, where
// the Content-Type picks them as on the wire.
// Every pass checks that each parser returned Ok and saw every message;
// findings on these benign inputs are printed (they should be none).
// Wire builders are the unit tests' (tests/unit/parsers/*): nghttp2's HPACK
// deflater, zlib permessage-deflate, protobuf wire encoding.
#include <brotli/encode.h>
#include <time.h>
#include <zlib.h>

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
#include "tests/unit/parsers/grpc/protobuf_wire.h"
#include "tests/unit/parsers/http2/h2_frame_builder.h"
#include "tests/unit/parsers/websocket/ws_frames.h"

#ifdef WEIR_BENCH_DETECT
#include "cli/inspect_policy.h"
#include "detect/engine.h"
#include "detect/transaction_inspector.h"
#endif

namespace {

using namespace weir::parse;
namespace t = weir::parse::testing;

constexpr size_t kMss = 1448;

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Deterministic generator (xorshift64*): same inputs on every run.
struct Rng {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) { return a[below(N)]; }
  std::string hex(size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(d[below(16)]);
    return s;
  }
};

std::string padded(std::string s) { return s + std::string(64, '\0'); }

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

std::vector<Row> g_rows;

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

struct Flight {
  Direction dir;
  std::string bytes;
};
using Script = std::vector<Flight>;
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
    g_rows.push_back(r);
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
  for (const auto& in : inputs) bytes += in.size() - 64;  // without the padding
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
  g_rows.push_back(r);
  return r;
}

// ---------------------------------------------------------------- inputs

std::string compress_zlib(std::string_view in, int window_bits) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
std::string gzip(std::string_view in) { return compress_zlib(in, 31); }
std::string brotli(std::string_view in) {
  size_t n = BrotliEncoderMaxCompressedSize(in.size()) + 64;
  std::string out(n, '\0');
  BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, in.size(), reinterpret_cast<const uint8_t*>(in.data()),
                        &n, reinterpret_cast<uint8_t*>(out.data()));
  out.resize(n);
  return out;
}

const char* kUserAgents[] = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "shop-ios/4.12.1 (iPhone; iOS 17.2; Scale/3.00)",
    "okhttp/4.12.0",
};
const char* kCategories[] = {"garden", "kitchen", "tools", "outdoor", "books", "toys"};
const char* kCities[] = {"Springfield", "Shelbyville", "Ogdenville", "North Haverbrook"};
const char* kWords[] = {"hose", "reel", "brass", "nozzle", "ceramic", "pot", "rake", "oak",
                        "planter", "trellis", "copper", "watering", "can", "seed", "tray"};

struct ApiRequest {
  std::string method, path, content_type, body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, no host
};

std::string order_json(Rng& rng) {
  std::string items;
  const uint32_t n = 1 + rng.below(4);
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0) items += ",";
    items += R"({"sku":")" + std::string(1, static_cast<char>('A' + rng.below(26))) + "-" +
             std::to_string(100 + rng.below(900)) + R"(","qty":)" + std::to_string(1 + rng.below(5)) +
             R"(,"price":)" + std::to_string(rng.below(10000) / 100.0).substr(0, 5) + "}";
  }
  return R"({"customer":{"id":)" + std::to_string(1000 + rng.below(90000)) +
         R"(,"email":"user)" + std::to_string(rng.below(100000)) + R"(@example.com","address":{"street":")" +
         std::to_string(1 + rng.below(200)) + R"( Main Street","city":")" + rng.pick(kCities) +
         R"(","zip":")" + std::to_string(10000 + rng.below(89999)) + R"("}},"items":[)" + items +
         R"(],"coupon":"SPRING24","notes":"Leave at the door, ring twice","gift":false})";
}

// A mix of what an API gateway sees: 70% GETs (listings, details), 30%
// writes with JSON bodies; per-user tokens and cookies, unique request ids.
std::vector<ApiRequest> api_requests(size_t n) {
  Rng rng;
  std::vector<std::string> tokens, cookies;
  for (int u = 0; u < 16; ++u) {
    tokens.push_back("Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI" + rng.hex(12) +
                     "IiwiaWF0IjoxNzAwMDAwMDAwLCJzY29wZSI6InNob3AifQ." + rng.hex(86));
    cookies.push_back("session=" + rng.hex(32) + "; theme=dark; consent=1; _ga=GA1.2." +
                      std::to_string(rng.next() % 1000000000) + ".1700000000");
  }
  std::vector<ApiRequest> out;
  for (size_t i = 0; i < n; ++i) {
    ApiRequest r;
    const uint32_t user = rng.below(16);
    const uint32_t kind = rng.below(10);
    if (kind < 4) {
      r.method = "GET";
      r.path = std::string("/api/v2/products?category=") + rng.pick(kCategories) + "&sort=price&page=" +
               std::to_string(1 + rng.below(20)) + "&per_page=50&q=" + rng.pick(kWords) + "+" +
               rng.pick(kWords);
    } else if (kind < 6) {
      r.method = "GET";
      r.path = "/api/v2/orders/ord_" + rng.hex(8) + "?expand=customer,items";
    } else if (kind < 7) {
      r.method = "GET";
      r.path = "/api/v2/users/" + std::to_string(1000 + rng.below(90000)) + "/cart";
    } else if (kind < 9) {
      r.method = "POST";
      r.path = "/api/v2/orders";
      r.content_type = "application/json";
      r.body = order_json(rng);
    } else {
      r.method = "PUT";
      r.path = "/api/v2/users/" + std::to_string(1000 + rng.below(90000)) + "/profile";
      r.content_type = "application/json";
      r.body = R"({"display_name":"Jane O'Doe","locale":"en-US","newsletter":true,"phone":"+1-555-)" +
               std::to_string(1000000 + rng.below(8999999)) + R"(","bio":"Gardener, )" +
               rng.pick(kWords) + " and " + rng.pick(kWords) + R"( enthusiast."})";
    }
    r.headers = {{"user-agent", kUserAgents[user % 4]},
                 {"accept", "application/json, text/plain, */*"},
                 {"accept-language", "en-US,en;q=0.9"},
                 {"accept-encoding", "gzip, deflate, br"},
                 {"authorization", tokens[user]},
                 {"cookie", cookies[user]},
                 {"x-request-id", rng.hex(8) + "-" + rng.hex(4) + "-" + rng.hex(4) + "-" + rng.hex(4) +
                                      "-" + rng.hex(12)}};
    if (r.method == "GET") {
      r.headers.emplace_back("referer", "https://shop.example.com/" + std::string(rng.pick(kCategories)));
    } else {
      r.headers.emplace_back("content-type", r.content_type);
      r.headers.emplace_back("content-length", std::to_string(r.body.size()));
      r.headers.emplace_back("origin", "https://shop.example.com");
    }
    out.push_back(std::move(r));
  }
  return out;
}

const std::string kResponseBody = R"({"status":"ok","request_id":"5f60-7182","cached":false})";

std::string h1_request(const ApiRequest& r) {
  std::string s = r.method + " " + r.path + " HTTP/1.1\r\nHost: shop.example.com\r\n";
  for (const auto& [n, v] : r.headers) s += n + ": " + v + "\r\n";
  return s + "\r\n" + r.body;
}

std::string h1_response() {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
         "Content-Length: " + std::to_string(kResponseBody.size()) + "\r\n\r\n" + kResponseBody;
}

// Keep-alive: each request, then its response.
Script h1_script(const std::vector<ApiRequest>& reqs) {
  Script s;
  for (const ApiRequest& r : reqs) {
    s.push_back({Direction::Request, h1_request(r)});
    s.push_back({Direction::Response, h1_response()});
  }
  return s;
}

// One HTTP/2 connection: preface and SETTINGS both ways, then rounds of
// `concurrent` streams (the client's HEADERS [+ DATA] in one flight, the
// server's answers in the next). One HPACK deflater per direction, as
// real peers keep them.
Script h2_script(const std::vector<ApiRequest>& reqs, size_t concurrent) {
  Script s;
  t::HpackEncoder client, server;
  s.push_back({Direction::Request, t::preface() + t::settings({{0x3, 100}, {0x4, 1 << 20}}) +
                                       t::window_update(0, 15 << 20)});
  s.push_back({Direction::Response, t::settings({{0x3, 128}}) + t::settings_ack()});
  s.push_back({Direction::Request, t::settings_ack()});
  uint32_t stream = 1;
  for (size_t i = 0; i < reqs.size(); i += concurrent) {
    std::string out, back;
    const size_t end = std::min(reqs.size(), i + concurrent);
    for (size_t k = i; k < end; ++k, stream += 2) {
      const ApiRequest& r = reqs[k];
      t::HeaderList h{{":method", r.method}, {":scheme", "https"}, {":authority", "shop.example.com"},
                      {":path", r.path}};
      for (const auto& hv : r.headers) h.push_back(hv);
      out += t::headers_frame(stream, client.encode(h), r.body.empty());
      if (!r.body.empty()) out += t::data(stream, r.body);
      back += t::headers_frame(stream,
                               server.encode({{":status", "200"},
                                              {"content-type", "application/json"},
                                              {"cache-control", "no-store"},
                                              {"content-length", std::to_string(kResponseBody.size())}}),
                               false);
      back += t::data(stream, kResponseBody);
    }
    s.push_back({Direction::Request, out});
    s.push_back({Direction::Response, back});
  }
  return s;
}

// A protobuf CreateOrder request: nested customer and address, repeated
// items, strings, varints, a double.
std::string order_proto(Rng& rng) {
  std::string address = t::pb_bytes(1, std::to_string(1 + rng.below(200)) + " Main Street") +
                        t::pb_bytes(2, rng.pick(kCities)) + t::pb_bytes(3, std::to_string(10000 + rng.below(89999)));
  std::string customer = t::pb_varint(1, 1000 + rng.below(90000)) +
                         t::pb_bytes(2, "user" + std::to_string(rng.below(100000)) + "@example.com") +
                         t::pb_bytes(3, "Jane O'Doe") + t::pb_bytes(4, address);
  std::string m = t::pb_bytes(1, "ord_" + rng.hex(8)) + t::pb_bytes(2, customer);
  const uint32_t n = 1 + rng.below(5);
  for (uint32_t i = 0; i < n; ++i) {
    std::string item = t::pb_bytes(1, std::string(rng.pick(kWords)) + "-" + std::to_string(rng.below(1000))) +
                       t::pb_varint(2, 1 + rng.below(5)) + t::pb_fixed64(3, 0x4033FD70A3D70A3Dull) +
                       t::pb_bytes(4, std::string("Garden ") + rng.pick(kWords) + " " + rng.pick(kWords));
    m += t::pb_bytes(3, item);
  }
  return m + t::pb_bytes(4, "SPRING24") + t::pb_bytes(5, "Leave at the door, ring twice") +
         t::pb_varint(6, rng.below(2));
}

// Unary gRPC calls on one HTTP/2 connection; `gzip`: grpc-encoding gzip
// and every message compressed (flag 1).
Script grpc_script(size_t calls, size_t concurrent, bool gzip_messages) {
  Rng rng;
  Script s;
  t::HpackEncoder client, server;
  s.push_back({Direction::Request, t::preface() + t::settings({{0x2, 0}, {0x4, 1 << 20}})});
  s.push_back({Direction::Response, t::settings({{0x3, 128}}) + t::settings_ack()});
  s.push_back({Direction::Request, t::settings_ack()});
  uint32_t stream = 1;
  for (size_t i = 0; i < calls; i += concurrent) {
    std::string out, back;
    for (size_t k = i; k < std::min(calls, i + concurrent); ++k, stream += 2) {
      t::HeaderList h{{":method", "POST"}, {":scheme", "http"}, {":authority", "orders.internal:50051"},
                      {":path", "/shop.v1.OrderService/CreateOrder"}, {"content-type", "application/grpc"},
                      {"te", "trailers"}, {"grpc-accept-encoding", "identity, deflate, gzip"},
                      {"user-agent", "grpc-python/1.51.1 grpc-c/29.0.0 (linux; chttp2)"},
                      {"grpc-timeout", "4999m"}};
      if (gzip_messages) h.emplace_back("grpc-encoding", "gzip");
      const std::string msg = order_proto(rng);
      out += t::headers_frame(stream, client.encode(h), false);
      out += t::data(stream, gzip_messages ? t::grpc_frame(gzip(msg), 1) : t::grpc_frame(msg));
      back += t::headers_frame(stream, server.encode({{":status", "200"}, {"content-type", "application/grpc"}}),
                               false);
      back += t::data(stream, t::grpc_frame(t::pb_bytes(1, "ord_" + rng.hex(8)) + t::pb_varint(2, 1)), false);
      back += t::headers_frame(stream, server.encode({{"grpc-status", "0"}, {"grpc-message", ""}}), true);
    }
    s.push_back({Direction::Request, out});
    s.push_back({Direction::Response, back});
  }
  return s;
}

// A trading/chat style session: client subscribes and sends orders
// (masked), the server pushes ticker updates; 4 messages per flight.
Script websocket_script(size_t messages, bool deflate) {
  Rng rng;
  Script s;
  t::MessageDeflater client_z, server_z;
  const char* symbols[] = {"BTC-USD", "ETH-USD", "SOL-USD", "ADA-EUR", "DOT-EUR"};
  for (size_t i = 0; i < messages; i += 8) {
    std::string out, back;
    for (size_t k = 0; k < 4; ++k) {
      std::string c = R"({"type":"order","id":)" + std::to_string(i + k) + R"(,"symbol":")" + rng.pick(symbols) +
                      R"(","side":")" + (rng.below(2) ? "buy" : "sell") + R"(","qty":)" +
                      std::to_string(1 + rng.below(100)) + R"(,"price":)" + std::to_string(20000 + rng.below(9000)) +
                      R"(,"client_ref":")" + rng.hex(16) + R"(","note":"rebalance )" + rng.pick(kWords) + R"("})";
      std::string v = R"({"type":"ticker","symbol":")" + std::string(rng.pick(symbols)) + R"(","bid":)" +
                      std::to_string(20000 + rng.below(9000)) + R"(.5,"ask":)" + std::to_string(20000 + rng.below(9000)) +
                      R"(.75,"volume_24h":)" + std::to_string(rng.below(1000000)) + R"(,"ts":17000)" +
                      std::to_string(rng.below(1000000)) + R"(,"seq":)" + std::to_string(i + k) + "}";
      t::FrameSpec cf;
      cf.key = static_cast<uint32_t>(rng.next());
      t::FrameSpec sf = t::server();
      if (deflate) {
        cf.rsv = sf.rsv = 0x40;
        c = client_z.compress(c);
        v = server_z.compress(v);
      }
      out += t::frame(c, cf);
      back += t::frame(v, sf);
    }
    s.push_back({Direction::Request, out});
    s.push_back({Direction::Response, back});
  }
  return s;
}

std::vector<std::string> graphql_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    const std::string q =
        i % 2 == 0
            ? R"(query ProductPage($id: ID!, $first: Int = 10, $after: String) { product(id: $id) { id name description(format: MARKDOWN) price { amount currency } images(first: 4) { url(width: 640) alt } ...Reviews reviews(first: $first, after: $after) { edges { node { id rating body author { name avatar(size: 48) } } } pageInfo { hasNextPage endCursor } } } } fragment Reviews on Product { reviewSummary { average count } })"
            : R"(mutation AddToCart($input: AddToCartInput!) { addToCart(input: $input) { cart { id totalQuantity lines(first: 20) @include(if: true) { edges { node { id quantity merchandise { ... on ProductVariant { id title price { amount } } } } } } } userErrors { field message } } })";
    const std::string vars =
        i % 2 == 0 ? R"({"id":"gid://shop/Product/)" + std::to_string(rng.below(100000)) +
                         R"(","first":)" + std::to_string(5 + rng.below(20)) + R"(,"after":")" + rng.hex(24) + R"("})"
                   : R"({"input":{"cartId":"gid://shop/Cart/)" + rng.hex(24) +
                         R"(","lines":[{"merchandiseId":"gid://shop/ProductVariant/)" +
                         std::to_string(rng.below(100000)) + R"(","quantity":)" + std::to_string(1 + rng.below(4)) +
                         R"(,"attributes":[{"key":"gift_note","value":"Happy )" + rng.pick(kWords) + R"( day"}]}]}})";
    std::string json = R"({"operationName":")" + std::string(i % 2 == 0 ? "ProductPage" : "AddToCart") +
                       R"(","query":")" + q + R"(","variables":)" + vars + "}";
    out.push_back(padded(json));
  }
  return out;
}

std::vector<std::string> soap_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string lines;
    for (uint32_t k = 0, m = 2 + rng.below(6); k < m; ++k) {
      lines += R"(<ord:Line number=")" + std::to_string(k + 1) + R"("><ord:Sku>)" + rng.pick(kWords) + "-" +
               std::to_string(rng.below(1000)) + "</ord:Sku><ord:Quantity>" + std::to_string(1 + rng.below(9)) +
               R"(</ord:Quantity><ord:UnitPrice currency="USD">)" + std::to_string(1 + rng.below(300)) +
               ".95</ord:UnitPrice></ord:Line>";
    }
    out.push_back(padded(
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ord="http://example.com/orders/v1">)"
        R"(<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">)"
        R"(<wsse:UsernameToken><wsse:Username>svc-orders</wsse:Username><wsse:Password Type="PasswordDigest">)" +
        rng.hex(28) + R"(</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>)"
        R"(<soap:Body><ord:SubmitOrder><ord:Order id="ord_)" + rng.hex(8) + R"(" channel="b2b">)"
        R"(<ord:Customer><ord:Id>)" + std::to_string(1000 + rng.below(90000)) + R"(</ord:Id><ord:Name>Jane O'Doe</ord:Name>)"
        R"(<ord:Address><ord:Street>12 Main Street</ord:Street><ord:City>)" + rng.pick(kCities) +
        R"(</ord:City></ord:Address></ord:Customer><ord:Lines>)" + lines +
        R"(</ord:Lines><ord:Notes>Deliver to loading dock 4 &amp; call ahead</ord:Notes></ord:Order></ord:SubmitOrder></soap:Body></soap:Envelope>)"));
  }
  return out;
}

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

std::vector<std::string> multipart_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string file;  // a CSV upload of 2-6 KB
    for (uint32_t k = 0, rows = 40 + rng.below(80); k < rows; ++k) {
      file += std::to_string(k) + "," + rng.pick(kWords) + " " + rng.pick(kWords) + "," +
              std::to_string(rng.below(1000)) + "," + rng.hex(10) + "\r\n";
    }
    const std::string d = "--" + kBoundary + "\r\n";
    std::string b = d + "Content-Disposition: form-data; name=\"title\"\r\n\r\nSpring inventory " +
                    std::to_string(i) + "\r\n" + d +
                    "Content-Disposition: form-data; name=\"description\"\r\n\r\nRestock of " + rng.pick(kWords) +
                    " and " + rng.pick(kWords) + " for the garden season.\r\n" + d +
                    "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
                    R"({"source":"upload-form","tags":["spring","restock"],"warehouse":{"id":7,"zone":"B"}})"
                    "\r\n" + d + "Content-Disposition: form-data; name=\"file\"; filename=\"inventory-" +
                    rng.hex(6) + ".csv\"\r\nContent-Type: text/csv\r\n\r\n" + file + "\r\n--" + kBoundary + "--\r\n";
    out.push_back(padded(b));
  }
  return out;
}

// A product listing response-style document (what clients also POST back
// in bulk APIs): 8-20 objects with nested fields, ~2-6 KB.
std::string listing_json(Rng& rng) {
  std::string s = R"({"page":{"number":)" + std::to_string(rng.below(50)) + R"(,"size":50},"items":[)";
  for (uint32_t k = 0, m = 8 + rng.below(12); k < m; ++k) {
    if (k > 0) s += ",";
    s += R"({"id":"prod_)" + rng.hex(10) + R"(","name":")" + rng.pick(kWords) + " " + rng.pick(kWords) +
         R"(","price":{"amount":)" + std::to_string(rng.below(10000)) + R"(,"currency":"USD"},"tags":[")" +
         rng.pick(kCategories) + R"(",")" + rng.pick(kWords) + R"("],"stock":)" + std::to_string(rng.below(500)) +
         R"(,"active":true,"dimensions":{"w":12.5,"h":30,"d":4},"description":"A sturdy )" + rng.pick(kWords) +
         " for every " + rng.pick(kWords) + R"(, made to last."})";
  }
  return s + "]}";
}

std::vector<std::string> json_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(padded(listing_json(rng)));
  return out;
}

// ---------------------------------------------------------------- HTTP/1 POST wrapper

Script h1_posts(const std::string& path, const std::vector<std::string>& bodies,
                const std::string& content_type, const std::string& extra_headers = {}) {
  Script s;
  for (const std::string& padded_body : bodies) {
    const std::string_view body(padded_body.data(), padded_body.size() - 64);
    s.push_back({Direction::Request,
                 "POST " + path + " HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: okhttp/4.12.0\r\n"
                 "Accept: */*\r\nContent-Type: " + content_type + "\r\n" + extra_headers +
                 "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body)});
    s.push_back({Direction::Response, "HTTP/1.1 204 No Content\r\n\r\n"});
  }
  return s;
}

std::string without_padding(const std::string& p) { return p.substr(0, p.size() - 64); }

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
    ws.graphql().inspect_json({gql[i].data(), gql[i].size() - 64}, ws.graphql_policy(), ws.json(), ws.arena(), f,
                              fi, res);
  }, seconds);
  const auto soap = soap_bodies(64);
  run_body("xml soap envelope (expat)", ws, soap, [&](size_t i, FieldList& f, FindingList& fi) {
    XmlResult res;
    ws.xml().inspect({soap[i].data(), soap[i].size() - 64},
                     {.content_type = "text/xml; charset=utf-8",
                      .soap_action = "\"http://example.com/orders/v1/SubmitOrder\""},
                     ws.xml_policy(), ws.arena(), f, fi, res);
  }, seconds);
  const auto mp = multipart_bodies(64);
  const std::string mp_type = "multipart/form-data; boundary=" + kBoundary;
  run_body("multipart form + csv file", ws, mp, [&](size_t i, FieldList& f, FindingList& fi) {
    split_multipart({mp[i].data(), mp[i].size() - 64}, mp_type, false, ws, f, fi);
  }, seconds);
  const auto js = json_bodies(64);
  run_body("json flattener, listing", ws, js, [&](size_t i, FieldList& f, FindingList& fi) {
    ws.json().flatten({js[i].data(), js[i].size() - 64}, Zone::BodyJson, ws.arena(), f, fi);
  }, seconds);
  // Content decoding: MB/s of compressed input; decoded bytes are the JSON above.
  std::vector<std::string> gz, br;
  for (const auto& j : js) {
    gz.push_back(padded(gzip(without_padding(j))));
    br.push_back(padded(brotli(without_padding(j))));
  }
  CodingList gzip_list, br_list;
  append_codings("gzip", false, gzip_list);
  append_codings("br", false, br_list);
  const auto decode_row = [&](const char* label, const std::vector<std::string>& in, const CodingList& list) {
    uint64_t out_bytes = 0, calls = 0;
    const Row r = run_body(label, ws, in, [&](size_t i, FieldList& f, FindingList& fi) {
      const DecodedBody d = ws.decoder().decode(list, {in[i].data(), in[i].size() - 64}, false, fi);
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
      std::span<const uint8_t> rest(reinterpret_cast<const uint8_t*>(in[i].data()), in[i].size() - 64);
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
  }
#else
  if (detect) std::printf("(detect path not built: weirctl's inspect library was not configured)\n");
#endif
  return 0;
}
