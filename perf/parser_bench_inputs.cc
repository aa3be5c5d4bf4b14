// Inputs of perf/parser_bench: see parser_bench_inputs.h. Wire encoders
// are the unit tests' (nghttp2's HPACK deflater, zlib permessage-deflate,
// protobuf wire format).
#include "perf/parser_bench_inputs.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>

#include "tests/unit/parsers/grpc/protobuf_wire.h"
#include "tests/unit/parsers/http2/h2_frame_builder.h"
#include "tests/unit/parsers/websocket/ws_frames.h"

namespace weir::perf {

using parse::Direction;
namespace t = weir::parse::testing;

const char kMultipartBoundary[] = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

namespace {

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

}  // namespace

std::string gzip(std::string_view in) { return compress_zlib(in, 31); }
std::string brotli(std::string_view in) {
  size_t n = BrotliEncoderMaxCompressedSize(in.size()) + 64;
  std::string out(n, '\0');
  BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, in.size(), reinterpret_cast<const uint8_t*>(in.data()),
                        &n, reinterpret_cast<uint8_t*>(out.data()));
  out.resize(n);
  return out;
}

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

Script grpc_empty_message_script(size_t frames) {
  Script s;
  t::HpackEncoder client;
  const t::HeaderList h{{":method", "POST"}, {":scheme", "http"}, {":authority", "orders.internal:50051"},
                        {":path", "/shop.v1.OrderService/StreamOrders"}, {"content-type", "application/grpc"},
                        {"te", "trailers"}};
  s.push_back({Direction::Request, t::preface() + t::settings() + t::headers_frame(1, client.encode(h), false)});
  s.push_back({Direction::Response, t::settings() + t::settings_ack()});
  std::string payload;
  while (payload.size() + 5 <= 16384) payload += t::grpc_frame("");
  for (size_t i = 0; i < frames; ++i) s.push_back({Direction::Request, t::data(1, payload, i + 1 == frames)});
  return s;
}

Script websocket_empty_message_script(size_t messages) {
  Script s;
  std::string out;
  for (size_t i = 0; i < messages; ++i) out += t::frame("");
  s.push_back({Direction::Request, out});
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



std::vector<std::string> multipart_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string file;  // a CSV upload of 2-6 KB
    for (uint32_t k = 0, rows = 40 + rng.below(80); k < rows; ++k) {
      file += std::to_string(k) + "," + rng.pick(kWords) + " " + rng.pick(kWords) + "," +
              std::to_string(rng.below(1000)) + "," + rng.hex(10) + "\r\n";
    }
    const std::string d = "--" + std::string(kMultipartBoundary) + "\r\n";
    std::string b = d + "Content-Disposition: form-data; name=\"title\"\r\n\r\nSpring inventory " +
                    std::to_string(i) + "\r\n" + d +
                    "Content-Disposition: form-data; name=\"description\"\r\n\r\nRestock of " + rng.pick(kWords) +
                    " and " + rng.pick(kWords) + " for the garden season.\r\n" + d +
                    "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
                    R"({"source":"upload-form","tags":["spring","restock"],"warehouse":{"id":7,"zone":"B"}})"
                    "\r\n" + d + "Content-Disposition: form-data; name=\"file\"; filename=\"inventory-" +
                    rng.hex(6) + ".csv\"\r\nContent-Type: text/csv\r\n\r\n" + file + "\r\n--" + std::string(kMultipartBoundary) + "--\r\n";
    out.push_back(padded(b));
  }
  return out;
}

namespace {

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

}  // namespace

std::vector<std::string> json_bodies(size_t n) {
  Rng rng;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(padded(listing_json(rng)));
  return out;
}

// ---------------------------------------------------------------- HTTP/1 POST wrapper

Script h1_posts(const std::string& path, const std::vector<std::string>& bodies,
                const std::string& content_type, const std::string& extra_headers) {
  Script s;
  for (const std::string& padded_body : bodies) {
    const std::string_view body = unpadded(padded_body);
    s.push_back({Direction::Request,
                 "POST " + path + " HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: okhttp/4.12.0\r\n"
                 "Accept: */*\r\nContent-Type: " + content_type + "\r\n" + extra_headers +
                 "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body)});
    s.push_back({Direction::Response, "HTTP/1.1 204 No Content\r\n\r\n"});
  }
  return s;
}


}  // namespace weir::perf
