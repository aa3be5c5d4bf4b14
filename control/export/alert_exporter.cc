// AlertExporter (see alert_exporter.h).
#include "control/export/alert_exporter.h"

#include <chrono>
#include <cstdio>

#include "control/export/alert_filter.h"

namespace weir::ctl {

namespace {
constexpr int kBatch = 256;
constexpr size_t kSpoolBatch = 64;

int64_t now_realtime_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* type_name(config::ExporterType t) {
  switch (t) {
    case config::ExporterType::JsonLines: return "jsonl";
    case config::ExporterType::Syslog: return "syslog";
    case config::ExporterType::Webhook: return "webhook";
  }
  return "?";
}
}  // namespace

AlertExporter::AlertExporter(Store& store, const config::ExporterConfig& cfg, const std::string& spool_dir)
    : store_(store),
      cfg_(cfg),
      target_(make_delivery_target(cfg)),
      spool_(spool_dir + "/" + cfg.name + ".spool", uint64_t{cfg.spool_max_mb} << 20),
      backoff_(cfg.retry_initial_ms, cfg.retry_max_ms) {
  const std::string key = cfg_.name;
  cursor_ = store_.export_cursor(key);
  if (cursor_ == 0) {
    // A new exporter starts with the alerts raised from now on, not the
    // whole history (which may be a million rows for a new webhook).
    cursor_ = store_.newest_alert_id();
    store_.set_export_cursor(key, cursor_);
  }
  status_.name = cfg_.name;
  status_.type = type_name(cfg_.type);
  status_.target = cfg_.type == config::ExporterType::JsonLines ? cfg_.path
                   : cfg_.type == config::ExporterType::Syslog  ? cfg_.address
                                                                : cfg_.url;
  status_.cursor = cursor_;
  status_.spool_records = spool_.records();
  status_.spool_bytes = spool_.bytes();
}

AlertExporter::~AlertExporter() { stop(); }

void AlertExporter::start() {
  running_ = true;
  thread_ = std::thread([this] { loop(); });
}

void AlertExporter::stop() {
  if (running_.exchange(false) && thread_.joinable()) thread_.join();
}

ExporterStatus AlertExporter::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void AlertExporter::fail(const std::string& error, int64_t now_ns) {
  next_retry_ns_ = now_ns + int64_t{backoff_.next_delay_ms()} * 1000000;
  std::lock_guard lock(mu_);
  status_.failed++;
  status_.last_error = error;
  status_.next_retry_ns = next_retry_ns_;
}

void AlertExporter::spool_payloads(const std::vector<std::string>& payloads) {
  const uint64_t dropped = spool_.append(payloads);
  std::lock_guard lock(mu_);
  status_.spooled += payloads.size();
  status_.dropped += dropped;
  status_.spool_records = spool_.records();
  status_.spool_bytes = spool_.bytes();
}

bool AlertExporter::drain_spool(int64_t now_ns) {
  bool moved = false;
  while (!spool_.empty() && now_ns >= next_retry_ns_) {
    const std::vector<std::string> batch = spool_.peek(kSpoolBatch);
    size_t done = 0, sent = 0, rejected = 0;
    std::string error;
    bool failed = false;
    for (const std::string& p : batch) {
      {
        std::lock_guard lock(mu_);
        status_.retried++;
      }
      const Delivery d = target_->deliver(p, error);
      if (d == Delivery::Retry) {
        failed = true;
        break;
      }
      ++done;
      (d == Delivery::Ok ? sent : rejected)++;
    }
    target_->flush();
    if (done > 0) {
      spool_.pop(done);
      moved = true;
      std::lock_guard lock(mu_);
      status_.sent += sent;
      status_.dropped += rejected;
      status_.spool_records = spool_.records();
      status_.spool_bytes = spool_.bytes();
      if (sent > 0) status_.last_sent_ns = now_ns;
      if (!failed && rejected == 0) status_.last_error.clear();
      if (rejected > 0) status_.last_error = error;
    }
    if (failed) {
      fail(error, now_ns);
      return moved;
    }
    backoff_.reset();
    next_retry_ns_ = 0;
    std::lock_guard lock(mu_);
    status_.next_retry_ns = 0;
  }
  return moved;
}

bool AlertExporter::pull_new(int64_t now_ns) {
  AlertQuery q;
  q.after_id = cursor_;
  q.limit = kBatch;
  const std::vector<AlertRecord> rows = store_.list_alerts(q);
  if (rows.empty()) return false;
  std::vector<std::string> payloads;
  uint64_t filtered = 0;
  for (const AlertRecord& a : rows) {
    if (exporter_selects(cfg_, a)) {
      payloads.push_back(target_->format(a));
    } else {
      ++filtered;
    }
  }
  // Older payloads wait in the spool: keep the order, do not jump the queue.
  size_t next = 0;
  uint64_t sent = 0, rejected = 0;
  std::string error;
  bool failed = false;
  if (spool_.empty() && now_ns >= next_retry_ns_) {
    for (; next < payloads.size(); ++next) {
      const Delivery d = target_->deliver(payloads[next], error);
      if (d == Delivery::Retry) {
        failed = true;
        break;
      }
      (d == Delivery::Ok ? sent : rejected)++;
    }
    target_->flush();
  }
  if (next < payloads.size())
    spool_payloads(std::vector<std::string>(payloads.begin() + static_cast<std::ptrdiff_t>(next), payloads.end()));
  cursor_ = rows.back().id;
  store_.set_export_cursor(cfg_.name, cursor_);
  {
    std::lock_guard lock(mu_);
    status_.sent += sent;
    status_.dropped += rejected;
    status_.filtered += filtered;
    status_.cursor = cursor_;
    if (sent > 0) status_.last_sent_ns = now_ns;
    if (rejected > 0) status_.last_error = error;
    else if (!failed && sent > 0) status_.last_error.clear();
  }
  if (failed) fail(error, now_ns);
  return true;
}

bool AlertExporter::run_once(int64_t now_ns) {
  const bool drained = drain_spool(now_ns);
  const bool pulled = pull_new(now_ns);
  return drained || pulled;
}

void AlertExporter::loop() {
  while (running_) {
    bool moved = false;
    try {
      moved = run_once(now_realtime_ns());
    } catch (const std::exception& e) {
      // A store or spool I/O error: say so, wait, try again; the cursor
      // has not moved past anything undelivered.
      fprintf(stderr, "weir-control: exporter %s: %s\n", cfg_.name.c_str(), e.what());
      std::lock_guard lock(mu_);
      status_.last_error = e.what();
    }
    if (moved) continue;
    // Wake on a new alert, or in time for the next retry, or to notice stop().
    int64_t wait_ms = 200;
    if (!spool_.empty() && next_retry_ns_ > 0) {
      const int64_t left = (next_retry_ns_ - now_realtime_ns()) / 1000000;
      wait_ms = std::max<int64_t>(1, std::min<int64_t>(wait_ms, left));
    }
    const auto t0 = std::chrono::steady_clock::now();
    const bool more = store_.wait_for_alerts(cursor_, std::chrono::milliseconds(wait_ms));
    // After Store::interrupt_waits (shutdown) the wait returns at once:
    // pace the loop instead of spinning until stop().
    if (!more && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace weir::ctl
