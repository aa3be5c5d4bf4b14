// Stream signature throughput: random cleartext scanned in 1460-byte chunks
// (one MSS) over many concurrent flow directions, as a worker would see it.
// Prints state bytes per flow direction and MB/s.
//   weir-stream-sig-bench [rules.yaml] [total_mb] [flows]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"
#include "detect/stream_signature/stream_scanner.h"
#include "detect/stream_signature/stream_scratch.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "detect/stream_signature/stream_state_pool.h"

namespace {

struct CountingSink : weir::detect::StreamMatchSink {
  uint64_t findings = 0;
  void on_stream_finding(const weir::detect::StreamFinding&) override { ++findings; }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace weir::detect;
  const std::string path = argc > 1 ? argv[1] : "configs/rules/stream.yaml";
  const size_t total_mb = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 256;
  const uint32_t flows = argc > 3 ? static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 10)) : 1024;
  constexpr size_t kChunk = 1460;

  RuleSet rs;
  try {
    load_rules_file(path, rs);
  } catch (const RuleError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  auto db = StreamSignatureDatabase::build(rs);
  StreamStatePool pool(db->stream_state_bytes(), flows);
  StreamScratch scratch;
  if (!pool.bind_to_this_thread() || !scratch.prepare(*db)) {
    std::fprintf(stderr, "pool or scratch setup failed\n");
    return 1;
  }
  std::printf("rules %zu patterns %zu state_bytes %zu pool_block %zu scanner_bytes %zu\n",
              db->rules().size(), db->pattern_count(), db->stream_state_bytes(),
              pool.block_stride(), sizeof(StreamScanner));

  // Protocol-looking text: words, CRLFs, digits, some punctuation.
  std::mt19937_64 rng(42);
  const char alphabet[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789:/.$*\r\n<>;-_";
  std::string data(16u << 20, ' ');
  for (char& c : data) c = alphabet[rng() % (sizeof(alphabet) - 1)];

  std::vector<StreamScanner> scanners(flows);
  for (StreamScanner& s : scanners) s.open(*db);
  CountingSink sink;
  const size_t total = total_mb << 20;
  size_t pos = 0;
  uint32_t flow = 0;
  std::vector<uint64_t> offset(flows, 0);
  auto t0 = std::chrono::steady_clock::now();
  for (size_t done = 0; done < total; done += kChunk) {
    if (pos + kChunk > data.size()) pos = (pos * 7 + 13) % (data.size() - kChunk);
    StreamScanner& s = scanners[flow];
    s.scan(scratch, std::string_view(data.data() + pos, kChunk), offset[flow], sink);
    offset[flow] += kChunk;
    pos += kChunk;
    flow = (flow + 1) % flows;
  }
  auto t1 = std::chrono::steady_clock::now();
  for (StreamScanner& s : scanners) s.close(scratch, sink);
  const double sec = std::chrono::duration<double>(t1 - t0).count();
  std::printf("scanned %zu MB in %u flows, 1460-byte chunks: %.1f MB/s (%.0f ns/chunk), "
              "findings %lu, pool in use after close %u\n",
              total_mb, flows, static_cast<double>(total) / 1e6 / sec,
              sec * 1e9 / (static_cast<double>(total) / kChunk),
              static_cast<unsigned long>(sink.findings), pool.in_use());
  return 0;
}
