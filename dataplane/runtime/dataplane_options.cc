#include "dataplane/runtime/dataplane_options.h"

#include <string_view>

namespace weir::dp {

const char* dataplane_usage() {
  return "usage: weir-dataplane [EAL options] -- [options]\n"
         "  --config FILE          configuration (default: the embedded configs/weir.yaml)\n"
         "  --check-config         validate config, lcores and ports, then exit (0 ok, 2 bad)\n"
         "  --replay IN.pcap       offline: run the pipeline over one capture holding both directions\n"
         "  --replay-out OUT.pcap  offline: write forwarded frames here (required with --replay)\n"
         "  --replay-stats FILE    offline: write counters as JSON\n"
         "  --replay-streams DIR   offline: write each TCP stream as delivered to inspection\n"
         "                         (DIR/<client>_<port>-<server>_<port>.req|.resp)\n"
         "  --client-net CIDR      offline: sources in CIDR are on the client side\n"
         "                         (default: the initiator of each flow is the client)\n"
         "  --state-dir DIR        keep the last config pushed by weir-control in DIR/known-good.yaml and\n"
         "                         boot from it when present (before --config)\n"
         "  --no-control           do not connect to weir-control (benchmarks)\n"
         "  --enable-test-hooks    telemetry commands /weir/test/stall,<worker>,<ms> and\n"
         "                         /weir/test/alert,<worker>,<count> (tests)\n"
         "examples:\n"
         "  weir-dataplane -l 0,1 --no-huge -m 1024 --no-pci --vdev net_af_packet0,iface=veth0 \\\n"
         "      --vdev net_af_packet1,iface=veth1 -- --config /etc/weir/weir.yaml\n"
         "  weir-dataplane --no-huge -m 256 --no-pci -- --replay in.pcap --replay-out out.pcap\n";
}

std::optional<std::string> parse_dataplane_options(int argc, char** argv, DataplaneOptions& out) {
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string& dst) -> bool {
      if (i + 1 >= argc) return false;
      dst = argv[++i];
      return true;
    };
    if (a == "--config") {
      if (!value(out.config_path)) return "--config needs a file";
    } else if (a == "--check-config") {
      out.check_config = true;
    } else if (a == "--enable-test-hooks") {
      out.test_hooks = true;
    } else if (a == "--replay") {
      if (!value(out.replay_in)) return "--replay needs a capture file";
    } else if (a == "--replay-out") {
      if (!value(out.replay_out)) return "--replay-out needs a file";
    } else if (a == "--replay-stats") {
      if (!value(out.replay_stats)) return "--replay-stats needs a file";
    } else if (a == "--replay-streams") {
      if (!value(out.replay_streams)) return "--replay-streams needs a directory";
    } else if (a == "--client-net") {
      if (!value(out.client_net)) return "--client-net needs a CIDR";
    } else if (a == "--state-dir") {
      if (!value(out.state_dir)) return "--state-dir needs a directory";
    } else if (a == "--no-control") {
      out.no_control = true;
    } else if (a == "--help" || a == "-h") {
      return std::string("help");
    } else {
      return "unknown option '" + std::string(a) + "'";
    }
  }
  if (!out.replay_in.empty() && out.replay_out.empty()) return "--replay needs --replay-out";
  if (out.replay_in.empty() && (!out.replay_out.empty() || !out.client_net.empty()))
    return "--replay-out and --client-net only go with --replay";
  return std::nullopt;
}

}  // namespace weir::dp
