// weir-control: the control-plane daemon. Parses options, builds the
// ControlPlane (store + live config + dataplane link) and the admin API
// server, then waits for SIGINT/SIGTERM. Start-up errors are printed with
// what to fix and exit 1; without --foreground it detaches only after both
// sockets are listening, so a failing start is never silent.

#include <getopt.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "config/weir_config.h"
#include "control/admin/admin_api.h"
#include "control/admin/admin_http_server.h"
#include "control/control_plane.h"

namespace {

void usage(std::ostream& out) {
  out << "Usage: weir-control [options]\n"
         "  --config FILE            initial config (default: embedded; a config applied\n"
         "                           later is kept in STATE-DIR/live.yaml and wins)\n"
         "  --state-dir DIR          store and live config (default /var/lib/weir)\n"
         "  --admin-socket PATH      admin API socket, mode 0600 (default /run/weir/admin.sock)\n"
         "  --dataplane-socket PATH  dataplane socket (default: the config's control.socket)\n"
         "  --retention-days N       delete alerts and audit entries older than N days (default 30, 0 = keep)\n"
         "  --retention-max-alerts N keep at most N alerts (default 1000000, 0 = no limit)\n"
         "  --foreground             do not detach\n"
         "  --test-hooks             enable POST /v1/test/observations (tests only)\n"
         "  --help\n";
}

bool parse_count(const char* text, int64_t& out) {
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < 0) return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  weir::ctl::ControlOptions opts;
  bool foreground = false;
  static const option kLong[] = {
      {"config", required_argument, nullptr, 'c'},     {"state-dir", required_argument, nullptr, 's'},
      {"admin-socket", required_argument, nullptr, 'a'}, {"dataplane-socket", required_argument, nullptr, 'd'},
      {"retention-days", required_argument, nullptr, 'r'}, {"retention-max-alerts", required_argument, nullptr, 'm'},
      {"foreground", no_argument, nullptr, 'f'},       {"test-hooks", no_argument, nullptr, 't'},       {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case 'c': opts.config_path = optarg; break;
      case 's': opts.state_dir = optarg; break;
      case 'a': opts.admin_socket = optarg; break;
      case 'd': opts.dataplane_socket = optarg; break;
      case 'r':
        if (!parse_count(optarg, opts.retention.max_age_s)) {
          std::cerr << "weir-control: --retention-days needs a number >= 0\n";
          return 1;
        }
        opts.retention.max_age_s *= 86400;
        break;
      case 'm':
        if (!parse_count(optarg, opts.retention.max_alerts)) {
          std::cerr << "weir-control: --retention-max-alerts needs a number >= 0\n";
          return 1;
        }
        break;
      case 'f': foreground = true; break;
      case 't': opts.test_hooks = true; break;
      case 'h': usage(std::cout); return 0;
      default: usage(std::cerr); return 1;
    }
  }
  if (optind < argc) {
    std::cerr << "weir-control: unexpected argument '" << argv[optind] << "'\n";
    usage(std::cerr);
    return 1;
  }

  // Detach first (threads do not survive fork); the parent waits on a pipe
  // for "ready" or the start-up error.
  int ready[2] = {-1, -1};
  if (!foreground) {
    if (pipe(ready) != 0) return 1;
    const pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid > 0) {
      close(ready[1]);
      std::string msg;
      char buf[512];
      ssize_t n;
      while ((n = read(ready[0], buf, sizeof buf)) > 0) msg.append(buf, static_cast<size_t>(n));
      if (msg == "ready") return 0;
      std::cerr << (msg.empty() ? "weir-control: failed to start\n" : msg);
      return 1;
    }
    close(ready[0]);
    setsid();
  }
  auto report = [&](const std::string& msg) {
    if (ready[1] >= 0) {
      (void)!write(ready[1], msg.data(), msg.size());
      close(ready[1]);
      ready[1] = -1;
    } else {
      std::cerr << msg;
    }
  };

  // Signals are taken synchronously by main; every thread inherits the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<weir::ctl::ControlPlane> cp;
  std::unique_ptr<weir::ctl::AdminApi> api;
  std::unique_ptr<weir::ctl::AdminHttpServer> http;
  std::unique_ptr<weir::ctl::AdminHttpServer> remote;   // admin.listen: TLS + tokens
  std::unique_ptr<weir::ctl::AdminHttpServer> metrics;  // metrics.listen: plain /metrics
  try {
    cp = std::make_unique<weir::ctl::ControlPlane>(opts);
    cp->start();
    api = std::make_unique<weir::ctl::AdminApi>(*cp);
    http = std::make_unique<weir::ctl::AdminHttpServer>(
        opts.admin_socket, [&](const weir::ctl::HttpRequest& r, const weir::ctl::PeerCred& p) {
          return api->handle(r, p);
        });
    http->start();
    auto handler = [&](const weir::ctl::HttpRequest& r, const weir::ctl::PeerCred& p) { return api->handle(r, p); };
    // Listeners are read from the config at start; changing them needs a restart.
    const weir::config::Config cfg = cp->config().parsed();
    if (!cfg.admin.listen.empty()) {
      remote = std::make_unique<weir::ctl::AdminHttpServer>(
          weir::ctl::TcpListenSpec{weir::ctl::AdminTransport::Tls, cfg.admin.listen, cfg.admin.tls_cert,
                                   cfg.admin.tls_key},
          handler);
      remote->start();
    }
    if (!cfg.metrics.listen.empty()) {
      metrics = std::make_unique<weir::ctl::AdminHttpServer>(
          weir::ctl::TcpListenSpec{weir::ctl::AdminTransport::Metrics, cfg.metrics.listen, "", ""}, handler);
      metrics->start();
    }
  } catch (const weir::config::ConfigError& e) {
    report("weir-control: invalid config: " + weir::config::format_error(e) + "\n");
    return 1;
  } catch (const std::exception& e) {
    report(std::string("weir-control: ") + e.what() + "\n");
    return 1;
  }
  std::fprintf(stderr, "weir-control: admin API on %s%s%s%s%s, dataplane socket %s, config generation %llu (%s)\n",
               opts.admin_socket.c_str(), remote ? " and https://" : "",
               remote ? cp->config().parsed().admin.listen.c_str() : "", metrics ? ", metrics on http://" : "",
               metrics ? cp->config().parsed().metrics.listen.c_str() : "", cp->options().dataplane_socket.c_str(),
               static_cast<unsigned long long>(cp->config().current().generation),
               cp->config().current().source.c_str());
  if (!foreground) {
    report("ready");
    // Detached: stdio must not hold the caller's terminal or pipes open.
    if (FILE* f = std::freopen("/dev/null", "r", stdin)) (void)f;
    if (FILE* f = std::freopen("/dev/null", "w", stdout)) (void)f;
    if (FILE* f = std::freopen("/dev/null", "w", stderr)) (void)f;
  }

  int sig = 0;
  sigwait(&sigs, &sig);
  std::fprintf(stderr, "weir-control: signal %d, stopping\n", sig);
  cp->store().interrupt_waits();
  if (remote) remote->stop();
  if (metrics) metrics->stop();
  http->stop();
  cp->stop();
  return 0;
}
