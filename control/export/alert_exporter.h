#pragma once
// One alert exporter: a thread that follows the store from its persisted
// cursor, selects alerts (alert_filter), formats them for its target and
// delivers them. A failed delivery puts the payload (and everything after
// it) into the exporter's on-disk spool; the spool is retried with
// exponential backoff and jitter and drained in order before new alerts
// go out directly. The cursor moves only after alerts were delivered or
// spooled (fdatasync'ed): at-least-once across receiver outages and
// weir-control restarts, with the event id in every payload so receivers
// can de-duplicate. Ingestion never waits on an exporter: it only reads
// the store.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/weir_config.h"
#include "control/export/delivery_target.h"
#include "control/export/export_spool.h"
#include "control/export/retry_backoff.h"
#include "control/store/control_store.h"

namespace weir::ctl {

/// Delivery counters of one exporter (since weir-control started).
struct ExporterStatus {
  std::string name;
  std::string type;    ///< jsonl | syslog | webhook
  std::string target;  ///< path, address or URL
  uint64_t sent = 0;      ///< payloads the receiver took
  uint64_t failed = 0;    ///< delivery attempts that failed
  uint64_t retried = 0;   ///< delivery attempts of spooled payloads
  uint64_t spooled = 0;   ///< payloads written to the spool
  uint64_t dropped = 0;   ///< given up: rejected by the receiver (4xx) or pushed out of a full spool
  uint64_t filtered = 0;  ///< alerts this exporter's filters skipped
  uint64_t spool_records = 0;
  uint64_t spool_bytes = 0;
  int64_t cursor = 0;          ///< last alert id handed on
  int64_t last_sent_ns = 0;    ///< 0: never
  int64_t next_retry_ns = 0;   ///< 0: no retry pending
  std::string last_error;      ///< "" when the last attempt worked
};

class AlertExporter {
 public:
  /// Opens the spool (SPOOL_DIR/NAME.spool) and the target; throws
  /// std::runtime_error when either cannot be set up.
  AlertExporter(Store& store, const config::ExporterConfig& cfg, const std::string& spool_dir);
  ~AlertExporter();

  void start();
  void stop();
  /// One pass (tests drive it without the thread): drain due spool
  /// records, then hand on new alerts. Returns true if anything moved.
  bool run_once(int64_t now_ns);
  ExporterStatus status() const;

 private:
  void loop();
  void fail(const std::string& error, int64_t now_ns);
  bool drain_spool(int64_t now_ns);
  bool pull_new(int64_t now_ns);
  void spool_payloads(const std::vector<std::string>& payloads);

  Store& store_;
  config::ExporterConfig cfg_;
  std::unique_ptr<DeliveryTarget> target_;
  ExportSpool spool_;
  RetryBackoff backoff_;
  int64_t cursor_ = 0;
  int64_t next_retry_ns_ = 0;

  mutable std::mutex mu_;  // guards status_ (read by the admin API)
  ExporterStatus status_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace weir::ctl
