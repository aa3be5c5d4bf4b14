// weir-dataplane: the DPDK primary. EAL arguments first, then ours behind "--".
// Exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage.

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "config/weir_config.h"
#include "dataplane/runtime/detection_generation.h"
#include "detect/signature/rule_error.h"
#include "detect/signature/rule_loader.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "dataplane/runtime/control_agent.h"
#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/dataplane_options.h"
#include "dataplane/runtime/main_loop.h"
#include "dataplane/runtime/pcap_replay.h"
#include "dataplane/runtime/telemetry_endpoints.h"
#include "dataplane/runtime/worker.h"

namespace {

weir::dp::DataplaneContext* g_ctx = nullptr;

void on_signal(int) {
  if (g_ctx != nullptr) g_ctx->quit.store(true);
}

int worker_entry(void* arg) { return static_cast<weir::dp::Worker*>(arg)->run(); }

[[noreturn]] void config_exit(const std::string& line) {
  std::fprintf(stderr, "weir-dataplane: %s\n", line.c_str());
  std::exit(2);
}

std::string at(const weir::config::Config& cfg, int line, const char* key) {
  return cfg.source + ":" + std::to_string(line) + ": " + key + ": ";
}

// Lcores named in the config must be enabled in EAL's -l/--lcores list.
void check_lcores(const weir::config::Config& cfg, bool replay) {
  if (replay) return;
  const auto& dp = cfg.dataplane;
  if (dp.main_lcore != rte_get_main_lcore())
    config_exit(at(cfg, dp.main_lcore_line, "dataplane.main_lcore") + "lcore " + std::to_string(dp.main_lcore) +
                " is not EAL's main lcore (" + std::to_string(rte_get_main_lcore()) +
                "); the first lcore of -l is the main one");
  for (unsigned lc : dp.workers) {
    if (lc >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lc))
      config_exit(at(cfg, dp.workers_line, "dataplane.workers") + "lcore " + std::to_string(lc) +
                  " does not exist or is not in EAL's lcore list (-l); " + std::to_string(rte_lcore_count()) +
                  " lcores enabled");
  }
  if (dp.workers.size() > weir::dp::kMaxWorkers)
    config_exit(at(cfg, dp.workers_line, "dataplane.workers") + "at most " +
                std::to_string(weir::dp::kMaxWorkers) + " workers");
}

rte_mempool* make_pool(const weir::config::Config& cfg, unsigned n_workers, bool replay) {
  const auto& dp = cfg.dataplane;
  // Room for the largest frame the MTU allows (QinQ + FCS slack), so frames are
  // never chained and decode reads them in place.
  uint32_t frame_max = dp.mtu + 14 + 8 + 4;
  uint32_t room = frame_max < RTE_MBUF_DEFAULT_DATAROOM ? RTE_MBUF_DEFAULT_DATAROOM : frame_max;
  if (replay && room < 16384) room = 16384;
  // Every descriptor ring and hand-off ring can hold mbufs at once.
  uint64_t need = static_cast<uint64_t>(cfg.pairs.size()) * 2 * n_workers * (dp.rx_ring + dp.tx_ring) +
                  static_cast<uint64_t>(n_workers) * n_workers * dp.handoff_ring +
                  static_cast<uint64_t>(n_workers + 1) * (dp.mbuf_cache + 2 * weir::dp::Worker::kMaxBurst * 4);
  uint64_t n = dp.mbufs;
  if (replay) n = 1024;  // replay holds one frame at a time
  if (!replay && n < need) {
    std::fprintf(stderr,
                 "weir-dataplane: dataplane.mbufs %u is below what the rings can hold (%lu); using %lu\n",
                 dp.mbufs, static_cast<unsigned long>(need), static_cast<unsigned long>(need));
    n = need;
  }
  rte_mempool* pool = rte_pktmbuf_pool_create("weir_mbufs", static_cast<unsigned>(n), dp.mbuf_cache, 0,
                                              static_cast<uint16_t>(room + RTE_PKTMBUF_HEADROOM),
                                              static_cast<int>(rte_socket_id()));
  if (pool == nullptr) {
    std::fprintf(stderr, "weir-dataplane: cannot create a pool of %lu mbufs of %u bytes: %s (raise -m?)\n",
                 static_cast<unsigned long>(n), room, rte_strerror(rte_errno));
    std::exit(1);
  }
  return pool;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace weir;
  // Our options are behind "--"; read them first so config errors need no EAL.
  int sep = argc;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--") == 0) {
      sep = i;
      break;
    }
  dp::DataplaneOptions opt;
  if (auto err = dp::parse_dataplane_options(sep < argc ? argc - sep - 1 : 0, argv + sep + 1, opt)) {
    if (*err == "help") {
      std::fputs(dp::dataplane_usage(), stdout);
      return 0;
    }
    std::fprintf(stderr, "weir-dataplane: %s\n%s", err->c_str(), dp::dataplane_usage());
    return 2;
  }
  const bool replay = !opt.replay_in.empty();
  config::Config cfg;
  try {
    // Boot order: the last config weir-control pushed (it may be down now),
    // then --config, then the embedded default.
    std::string known_good = dp::ControlAgent::known_good_path(opt.state_dir);
    if (!replay && !opt.check_config && !known_good.empty() && access(known_good.c_str(), R_OK) == 0) {
      cfg = config::load_config_file(known_good);
      std::fprintf(stderr, "weir-dataplane: booting from the last known-good config %s\n", known_good.c_str());
    } else if (!opt.config_path.empty()) {
      cfg = config::load_config_file(opt.config_path);
    } else {
      cfg = config::parse_config(config::embedded_default_config(), "<embedded weir.yaml>");
    }
  } catch (const config::ConfigError& e) {
    config_exit(config::format_error(e));
  }

  int eal_argc = sep;
  int consumed = rte_eal_init(eal_argc, argv);
  if (consumed < 0) {
    std::fprintf(stderr, "weir-dataplane: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
    return 1;
  }
  check_lcores(cfg, replay);
  if (!replay) {
    dp::PortSetupResult names = dp::check_port_names(cfg);
    if (!names.ok) config_exit(names.error);
  }
  // Rules are config: an error in them stops the start like any config error.
  std::unique_ptr<detect::StreamSignatureDatabase> stream_db;
  std::unique_ptr<dp::DetectionGeneration> detection;
  const unsigned n_workers = replay ? 1 : static_cast<unsigned>(cfg.dataplane.workers.size());
  if (std::string rules_dir = config::resolve_rules_dir(cfg); !rules_dir.empty()) {
    if (access(rules_dir.c_str(), R_OK | X_OK) != 0)
      config_exit(at(cfg, cfg.rules.dir_line, "rules.dir") + "cannot read folder " + rules_dir + ": " +
                  std::strerror(errno));
    try {
      detect::RuleSet rules = detect::load_rules_dir(rules_dir);
      stream_db = detect::StreamSignatureDatabase::build(rules);
    } catch (const detect::RuleError& e) {
      config_exit(e.what());
    }
    dp::DetectionBuild built = dp::build_detection(rules_dir, n_workers, 1);
    if (!built.result) config_exit(built.error);
    detection = std::move(built.result);
  }
  if (opt.check_config) {
    std::printf("%s: ok\n", cfg.source.c_str());
    rte_eal_cleanup();
    return 0;
  }

  dp::DataplaneContext ctx;
  g_ctx = &ctx;
  ctx.cfg = &cfg;
  ctx.test_hooks = opt.test_hooks;
  ctx.stream_db = stream_db.get();
  ctx.tsc_hz = replay ? 1000000000ull : rte_get_tsc_hz();  // replay: capture time in ns is the clock
  ctx.n_workers = n_workers;

  unsigned qsbr_threads = ctx.n_workers;
  size_t qsbr_size = rte_rcu_qsbr_get_memsize(qsbr_threads);
  ctx.qsbr = static_cast<rte_rcu_qsbr*>(rte_zmalloc("weir_qsbr", qsbr_size, RTE_CACHE_LINE_SIZE));
  if (ctx.qsbr == nullptr || rte_rcu_qsbr_init(ctx.qsbr, qsbr_threads) != 0) {
    std::fprintf(stderr, "weir-dataplane: RCU initialisation failed\n");
    return 1;
  }
  ctx.blocklist = std::make_unique<dp::RcuPublisher<dp::BlocklistSnapshot>>(ctx.qsbr);
  ctx.blocklist->publish(std::make_unique<dp::BlocklistSnapshot>());
  ctx.policy = std::make_unique<dp::RcuPublisher<dp::LivePolicy>>(ctx.qsbr);
  ctx.policy->publish(std::make_unique<dp::LivePolicy>(cfg, 0));
  ctx.detection = std::make_unique<dp::RcuPublisher<dp::DetectionGeneration>>(ctx.qsbr);
  if (detection) ctx.detection->publish(std::move(detection));

  rte_mempool* pool = make_pool(cfg, ctx.n_workers, replay);
  ctx.pool = pool;

  if (replay) {
    int rc = dp::run_replay(ctx, opt, pool);
    ctx.workers.clear();
    rte_eal_cleanup();
    return rc;
  }

  static const rte_mbuf_dynfield kRxTscField = {.name = "weir_rx_tsc", .size = sizeof(uint64_t),
                                                .align = alignof(uint64_t), .flags = 0};
  static const rte_mbuf_dynflag kRxTscFlag = {.name = "weir_rx_tsc_valid", .flags = 0};
  ctx.rx_tsc_dynfield = rte_mbuf_dynfield_register(&kRxTscField);
  int flag_bit = rte_mbuf_dynflag_register(&kRxTscFlag);
  if (ctx.rx_tsc_dynfield < 0 || flag_bit < 0) {
    ctx.rx_tsc_dynfield = -1;
    std::fprintf(stderr, "weir-dataplane: no mbuf dynfield/dynflag: time-in-box not measured\n");
  } else {
    ctx.rx_tsc_flag = uint64_t{1} << flag_bit;
  }

  dp::PortSetupResult ports = dp::setup_port_pairs(cfg, ctx.n_workers, pool, ctx.pairs, ctx.port_map);
  if (!ports.ok) {
    std::fprintf(stderr, "weir-dataplane: %s\n", ports.error.c_str());
    return ports.config_error ? 2 : 1;
  }
  for (unsigned from = 0; from < ctx.n_workers; ++from)
    for (unsigned to = 0; to < ctx.n_workers; ++to) {
      if (from == to) continue;
      std::string name = "weir_ho_" + std::to_string(from) + "_" + std::to_string(to);
      ctx.handoff[from][to] = rte_ring_create(name.c_str(), cfg.dataplane.handoff_ring,
                                              static_cast<int>(rte_socket_id()), RING_F_SP_ENQ | RING_F_SC_DEQ);
      if (ctx.handoff[from][to] == nullptr) {
        std::fprintf(stderr, "weir-dataplane: cannot create hand-off ring: %s\n", rte_strerror(rte_errno));
        return 1;
      }
    }
  for (unsigned i = 0; i < ctx.n_workers; ++i)
    ctx.workers.push_back(std::make_unique<dp::Worker>(i, cfg.dataplane.workers[i], ctx));
  std::unique_ptr<dp::ControlAgent> agent;
  if (!opt.no_control) {
    agent = std::make_unique<dp::ControlAgent>(ctx, opt.state_dir);
    std::string err;
    if (!agent->start(err)) {
      std::fprintf(stderr, "weir-dataplane: control link: %s\n", err.c_str());
      return 1;
    }
  }
  dp::register_telemetry(ctx);

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  for (auto& w : ctx.workers) {
    if (int rc = rte_eal_remote_launch(worker_entry, w.get(), w->lcore()); rc != 0) {
      std::fprintf(stderr, "weir-dataplane: cannot launch worker on lcore %u: %s\n", w->lcore(), rte_strerror(-rc));
      ctx.quit.store(true);
      break;
    }
  }
  std::fprintf(stderr, "weir-dataplane: %u worker(s), %zu pair(s), config %s; running\n", ctx.n_workers,
               ctx.pairs.size(), cfg.source.c_str());
  std::fflush(stderr);

  dp::run_main_loop(ctx, agent.get());

  rte_eal_mp_wait_lcore();
  std::fprintf(stderr, "weir-dataplane: stopping\n");
  dp::close_port_pairs(ctx.pairs);
  ctx.workers.clear();
  ctx.event_rings.clear();
  agent.reset();
  ctx.blocklist.reset();
  ctx.policy.reset();
  ctx.detection.reset();
  rte_free(ctx.qsbr);
  rte_eal_cleanup();
  return 0;
}
