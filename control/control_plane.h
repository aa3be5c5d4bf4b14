#pragma once
// weir-control's core, shared by the admin API and the daemon: the store,
// the live config, the dataplane link and the operations on them (config
// apply, blocks, mode), each audited with who did it. A maintenance thread
// expires blocks (~1/s) and applies store retention (~1/min).

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "control/dataplane_server.h"
#include "control/inventory/inventory.h"
#include "control/export/export_service.h"
#include "control/live_config.h"
#include "control/store/control_store.h"

namespace weir::ctl {

struct ControlOptions {
  std::string config_path;     ///< --config ("" = embedded default)
  std::string state_dir = "/var/lib/weir";
  std::string admin_socket = "/run/weir/admin.sock";
  std::string dataplane_socket;  ///< "" = the config's control.socket
  RetentionPolicy retention;
  bool test_hooks = false;  ///< --test-hooks: POST /v1/test/observations (tests only)
};

/// Who is asking: the admin socket peer (SO_PEERCRED).
struct Caller {
  int64_t uid = -1;
  std::string user;
};

enum class Mode : uint8_t { Monitor, Block };
const char* mode_name(Mode m);

class ControlPlane {
 public:
  /// Opens the store under state_dir and loads the live config; throws
  /// config::ConfigError / StoreError / std::runtime_error (start-up errors).
  explicit ControlPlane(const ControlOptions& options);
  ~ControlPlane();

  /// Starts the dataplane listener and the maintenance thread.
  void start();
  void stop();

  Store& store() { return *store_; }
  Inventory& inventory() { return *inventory_; }
  LiveConfig& config() { return config_; }
  DataplaneServer& dataplane() { return *dataplane_; }
  ExportService& exports() { return *exports_; }
  /// Why the last (re)configuration of the exporters failed; "" when it worked.
  std::string export_error();
  const ControlOptions& options() const { return options_; }
  int64_t started_ns() const { return started_ns_; }

  /// Validates, applies, persists, audits (refusals too) and pushes.
  ConfigApplyResult apply_config(const std::string& yaml, const std::string& source,
                                 const std::string& comment, const Caller& who, bool& pushed);

  /// Adds or replaces a block; `cidr_text` must already be canonical.
  BlockRecord add_block(const std::string& cidr_text, uint32_t ttl_s, const std::string& reason,
                        const Caller& who, bool& existed);
  std::optional<BlockRecord> remove_block(const std::string& cidr_text, const Caller& who);

  Mode mode();
  Mode set_mode(Mode m, const Caller& who);  ///< returns the previous mode

  /// Asks the dataplane to reload its rules folder and waits (up to 120 s)
  /// for the outcome; audited either way. Unavailable/Timeout: nothing known.
  struct RulesReload {
    QueryStatus status = QueryStatus::Unavailable;
    bool ok = false;
    std::string message;  ///< "generation N: R rules from DIR compiled in T ms", or the loader's error
  };
  RulesReload reload_rules(const Caller& who);

  /// One maintenance pass (also called by tests): expire blocks, retention.
  void maintain(int64_t now_ns, bool retention);

 private:
  std::vector<ipc::Envelope> initial_state();
  void configure_exports(const config::ExportConfig& cfg);
  void audit(const Caller& who, const std::string& action, const std::string& target,
             const std::string& detail, const std::string& diff);

  ControlOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Inventory> inventory_;  ///< after store_: its alerts go there
  LiveConfig config_;
  std::unique_ptr<DataplaneServer> dataplane_;
  std::unique_ptr<ExportService> exports_;
  std::mutex export_error_mu_;
  std::string export_error_;
  int64_t started_ns_ = 0;
  std::atomic<bool> running_{false};
  std::thread maintenance_;
};

}  // namespace weir::ctl
