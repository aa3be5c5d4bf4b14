#include "dataplane/runtime/stream_inspector.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace weir::dp {

namespace {

std::string endpoint(const IpAddress& a, uint16_t port) {
  char buf[INET6_ADDRSTRLEN];
  bool v4 = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; }) && a[10] == 0xff && a[11] == 0xff;
  inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a.data() + 12 : a.data(), buf, sizeof buf);
  return std::string(buf) + "_" + std::to_string(port);
}

}  // namespace

SinkVerdict StreamInspector::on_chunk(const parse::StreamChunk& chunk, uint64_t) {
  bytes_[static_cast<int>(chunk.direction)] += chunk.bytes.size();
  if (!dump_dir_.empty() && flow_ != nullptr && !chunk.bytes.empty()) {
    const FlowKey& k = flow_->key;
    bool lo_client = flow_->initiator_is_lo;
    std::string name = dump_dir_ + "/" + endpoint(lo_client ? k.lo_addr : k.hi_addr, lo_client ? k.lo_port : k.hi_port) +
                       "-" + endpoint(lo_client ? k.hi_addr : k.lo_addr, lo_client ? k.hi_port : k.lo_port) +
                       (chunk.direction == parse::Direction::Request ? ".req" : ".resp");
    if (FILE* f = std::fopen(name.c_str(), "ab")) {
      std::fwrite(chunk.bytes.data(), 1, chunk.bytes.size(), f);
      std::fclose(f);
    }
  }
  return SinkVerdict::Continue;
}

}  // namespace weir::dp
