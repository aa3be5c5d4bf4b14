// Parse throughput of the HTTP/1 parser with field extraction and JSON
// flattening, on ~1 KB API requests, one core. The sink only counts fields,
// so this measures the parser alone (detect is measured separately).
//   http1_parse_bench [cpu-seconds per case]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "parsers/http1/http1_parser.h"
#include "parsers/parser_workspace.h"

namespace {

using namespace weir::parse;

class CountingSink : public TransactionSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    fields += txn.fields.size() - txn.first_new;
    if (txn.point == DecisionPoint::EndOfBody && txn.direction == Direction::Request) ++requests;
    return SinkVerdict::Pass;
  }
  uint64_t fields = 0;
  uint64_t requests = 0;
};

std::string json_request() {
  const std::string body =
      R"({"order":{"id":"ord_8f14e45f","customer":{"id":4711,"email":"jane.doe@example.com",)"
      R"("name":"Jane O'Doe","address":{"street":"12 Main Street","city":"Springfield","zip":"12345"}},)"
      R"("items":[{"sku":"A-100","qty":2,"price":19.99},{"sku":"B-200","qty":1,"price":5.5}],)"
      R"("coupon":"SPRING24","notes":"Leave at the door, ring twice","gift":false}})";
  return "POST /api/v2/orders/ord_8f14e45f/items?expand=customer&dry_run=false HTTP/1.1\r\n"
         "Host: shop.example.com\r\n"
         "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36\r\n"
         "Accept: application/json\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, br\r\n"
         "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0NzExIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJl\r\n"
         "Cookie: session=7f3a9c2e1b; theme=dark; consent=1\r\n"
         "X-Request-Id: 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string get_request() {
  return "GET /api/v2/products?category=garden&sort=price&page=3&per_page=50&q=hose+reel HTTP/1.1\r\n"
         "Host: shop.example.com\r\n"
         "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36\r\n"
         "Accept: application/json\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, br\r\n"
         "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0NzExIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJl\r\n"
         "Cookie: session=7f3a9c2e1b; theme=dark; consent=1; _ga=GA1.2.123456789.1700000000; _gid=GA1.2.987654321.1700000000\r\n"
         "X-Request-Id: 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901\r\nX-Forwarded-For: 198.18.0.10\r\n"
         "Referer: https://shop.example.com/garden?utm_source=newsletter&utm_medium=email&utm_campaign=spring\r\n"
         "If-None-Match: \"5d8c72a5edda8d6a\"\r\nCache-Control: no-cache\r\n\r\n";
}

// Feeds the request `per_feed` times per chunk (1: one request per chunk,
// as on a keep-alive connection; more: pipelined) for `seconds`.
void run(const char* label, const std::string& request, int per_feed, double seconds) {
  ParserWorkspace ws;
  std::string chunk;
  for (int i = 0; i < per_feed; ++i) chunk += request;
  CountingSink sink;
  Http1Parser* parser = new Http1Parser(ws);
  std::string response = "HTTP/1.1 204 No Content\r\n\r\n";
  std::string responses;
  for (int i = 0; i < per_feed; ++i) responses += response;
  uint64_t bytes = 0;
  // CPU time of this thread: the figure stays meaningful on a busy machine.
  const auto cpu_now = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  const double start = cpu_now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int rep = 0; rep < 200; ++rep) {
      StreamChunk c;
      c.bytes = {reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()};
      if (parser->feed(c, sink).status != FeedStatus::Ok) std::abort();
      c.direction = Direction::Response;
      c.bytes = {reinterpret_cast<const uint8_t*>(responses.data()), responses.size()};
      if (parser->feed(c, sink).status != FeedStatus::Ok) std::abort();
      bytes += chunk.size();
    }
    elapsed = cpu_now() - start;
  }
  delete parser;
  std::printf("%-28s %5zu B/req  %8.0f req/s  %7.1f MB/s  %4.1f fields/req\n", label,
              request.size(), sink.requests / elapsed, bytes / elapsed / 1e6,
              static_cast<double>(sink.fields) / static_cast<double>(sink.requests));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  run("POST json, 1 req/chunk", json_request(), 1, seconds);
  run("POST json, 16 pipelined", json_request(), 16, seconds);
  run("GET, 1 req/chunk", get_request(), 1, seconds);
  run("GET, 16 pipelined", get_request(), 16, seconds);
  return 0;
}
