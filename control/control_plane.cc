// ControlPlane (see control_plane.h).
#include "control/control_plane.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>

namespace weir::ctl {

namespace {
std::unique_ptr<Store> open_store(const std::string& state_dir) {
  mkdir(state_dir.c_str(), 0700);
  return std::make_unique<Store>(state_dir + "/weir.db");
}

ipc::Envelope block_add_msg(const BlockRecord& b, int64_t now_ns) {
  ipc::Envelope env;
  env.mutable_block_add()->set_cidr(b.cidr);
  uint32_t ttl = 0;
  if (b.expires_ns > 0) {
    // Remaining time, at least one second, so a re-push never turns an
    // about-to-expire block into a permanent one.
    const int64_t left = (b.expires_ns - now_ns + 999999999) / 1000000000;
    ttl = static_cast<uint32_t>(left < 1 ? 1 : left);
  }
  env.mutable_block_add()->set_ttl_s(ttl);
  return env;
}
}  // namespace

const char* mode_name(Mode m) { return m == Mode::Block ? "block" : "monitor"; }

ControlPlane::ControlPlane(const ControlOptions& options)
    : options_(options),
      store_(open_store(options.state_dir)),
      config_(options.state_dir, options.config_path),
      started_ns_(realtime_now_ns()) {
  if (options_.dataplane_socket.empty()) options_.dataplane_socket = config_.parsed().control.socket;
  InventoryOptions inventory;
  inventory.db_path = options_.state_dir + "/weir.db";
  for (const auto& d : config_.parsed().discovery.custom_detectors) inventory.custom_detector_names.push_back(d.name);
  inventory_ = std::make_unique<Inventory>(inventory, [this](const std::vector<AlertRecord>& alerts) {
    store_->insert_alerts(alerts);
  });
  for (const auto& f : config_.parsed().discovery.flows) inventory_->save_flow(f.name, f.steps, "declared");
  dataplane_ = std::make_unique<DataplaneServer>(*store_, options_.dataplane_socket,
                                                 [this] { return initial_state(); });
  // The workers' API-call observations (ApiCall chunk events) feed the inventory.
  dataplane_->set_observation_sink([this](const detect::ApiObservation& obs) { inventory_->ingest(obs); });
  exports_ = std::make_unique<ExportService>(*store_, options_.state_dir + "/export");
}

void ControlPlane::configure_exports(const config::ExportConfig& cfg) {
  std::string error;
  try {
    exports_->configure(cfg);
  } catch (const std::exception& e) {
    error = e.what();
    fprintf(stderr, "weir-control: export: %s\n", e.what());
  }
  std::lock_guard lock(export_error_mu_);
  export_error_ = error;
}

std::string ControlPlane::export_error() {
  std::lock_guard lock(export_error_mu_);
  return export_error_;
}

ControlPlane::~ControlPlane() { stop(); }

void ControlPlane::start() {
  // Blocks that expired while we were down, and retention, before serving.
  maintain(realtime_now_ns(), true);
  dataplane_->start();
  // A config whose exporters cannot start (unreadable CA file) is a
  // start-up error; after an apply the same failure is reported instead.
  exports_->configure(config_.parsed().exports);
  running_ = true;
  maintenance_ = std::thread([this] {
    int ticks = 0;
    while (running_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (!running_) break;
      try {
        maintain(realtime_now_ns(), ++ticks % 300 == 0);
      } catch (const std::exception& e) {
        fprintf(stderr, "weir-control: maintenance: %s\n", e.what());
      }
    }
  });
}

void ControlPlane::stop() {
  if (running_.exchange(false) && maintenance_.joinable()) maintenance_.join();
  if (exports_) exports_->stop();
  if (dataplane_) dataplane_->stop();
}

std::vector<ipc::Envelope> ControlPlane::initial_state() {
  std::vector<ipc::Envelope> out;
  const ConfigView v = config_.current();
  ipc::Envelope cfg;
  cfg.mutable_config()->set_yaml(v.yaml);
  cfg.mutable_config()->set_generation(v.generation);
  cfg.mutable_config()->set_source(v.source);
  out.push_back(std::move(cfg));
  ipc::Envelope mode_msg;
  mode_msg.mutable_set_mode()->set_block(mode() == Mode::Block);
  out.push_back(std::move(mode_msg));
  const int64_t now = realtime_now_ns();
  for (const BlockRecord& b : store_->list_blocks()) {
    if (b.expires_ns > 0 && b.expires_ns <= now) continue;
    out.push_back(block_add_msg(b, now));
  }
  return out;
}

void ControlPlane::audit(const Caller& who, const std::string& action, const std::string& target,
                         const std::string& detail, const std::string& diff) {
  store_->add_audit({.at_ns = realtime_now_ns(), .uid = who.uid, .user = who.user, .action = action,
                     .target = target, .detail = detail, .diff = diff});
}

ConfigApplyResult ControlPlane::apply_config(const std::string& yaml, const std::string& source,
                                             const std::string& comment, const Caller& who, bool& pushed) {
  pushed = false;
  ConfigApplyResult r = config_.apply(yaml, source, realtime_now_ns());
  if (!r.check.ok) {
    audit(who, "config_refused", source, r.check.message, "");
    return r;
  }
  if (!r.applied) return r;
  audit(who, "config_apply", "generation " + std::to_string(r.generation), comment, r.diff);
  configure_exports(config_.parsed().exports);
  // Declared business flows follow the config (named flows are replaced by name).
  for (const auto& f : config_.parsed().discovery.flows) inventory_->save_flow(f.name, f.steps, "declared");
  ipc::Envelope env;
  env.mutable_config()->set_yaml(yaml);
  env.mutable_config()->set_generation(r.generation);
  env.mutable_config()->set_source(source);
  pushed = dataplane_->push(std::move(env));
  return r;
}

BlockRecord ControlPlane::add_block(const std::string& cidr_text, uint32_t ttl_s, const std::string& reason,
                                    const Caller& who, bool& existed) {
  const int64_t now = realtime_now_ns();
  BlockRecord b{.cidr = cidr_text, .ttl_s = ttl_s, .created_ns = now,
                .expires_ns = ttl_s > 0 ? now + int64_t{ttl_s} * 1000000000LL : 0,
                .reason = reason, .by = who.user};
  existed = store_->put_block(b);
  audit(who, "block", cidr_text, "ttl_s=" + std::to_string(ttl_s) + (reason.empty() ? "" : " " + reason), "");
  dataplane_->push(block_add_msg(b, now));
  return b;
}

std::optional<BlockRecord> ControlPlane::remove_block(const std::string& cidr_text, const Caller& who) {
  auto removed = store_->remove_block(cidr_text);
  if (!removed) return std::nullopt;
  audit(who, "unblock", cidr_text, "", "");
  ipc::Envelope env;
  env.mutable_block_remove()->set_cidr(cidr_text);
  dataplane_->push(std::move(env));
  return removed;
}

Mode ControlPlane::mode() {
  return store_->get_state("mode").value_or("monitor") == "block" ? Mode::Block : Mode::Monitor;
}

Mode ControlPlane::set_mode(Mode m, const Caller& who) {
  const Mode previous = mode();
  store_->set_state("mode", mode_name(m));
  audit(who, "mode", mode_name(m), std::string("was ") + mode_name(previous), "");
  ipc::Envelope env;
  env.mutable_set_mode()->set_block(m == Mode::Block);
  dataplane_->push(std::move(env));
  return previous;
}

ControlPlane::RulesReload ControlPlane::reload_rules(const Caller& who) {
  RulesReload r;
  ipc::Envelope env;
  env.mutable_reload_rules();
  ipc::Ack ack;
  r.status = dataplane_->command(std::move(env), 120000, ack);
  if (r.status == QueryStatus::Ok) {
    r.ok = ack.ok();
    r.message = ack.message();
  } else {
    r.message = r.status == QueryStatus::Timeout ? "the dataplane did not answer within 120 s"
                                                 : "the dataplane is not connected";
  }
  audit(who, r.ok ? "rules_reload" : "rules_reload_refused", "", r.message, "");
  return r;
}

void ControlPlane::maintain(int64_t now_ns, bool retention) {
  const Caller daemon{-1, "weir-control"};
  for (const BlockRecord& b : store_->take_expired_blocks(now_ns)) {
    // Not pushed: the dataplane got the (remaining) TTL with the block and
    // expires it by its own clock; an unblock now would only race that.
    audit(daemon, "block_expired", b.cidr, "ttl_s=" + std::to_string(b.ttl_s), "");
  }
  if (retention) store_->apply_retention(options_.retention, now_ns);
}

}  // namespace weir::ctl
