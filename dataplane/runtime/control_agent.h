#pragma once
// ControlAgent: the runtime's side of the control link, on the main lcore.
// Applies what weir-control sends down (live config through RCU, blocklist
// edits, monitor/block mode, flow queries answered by the workers), supplies
// the counters it sends up, expires blocklist TTLs, and keeps the last
// known-good config on disk so the dataplane can boot without weir-control.

#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/events/control_link.h"
#include "dataplane/runtime/blocklist.h"
#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/main_loop.h"

namespace weir::dp {

class ControlAgent final : public CommandHandler, public CounterSource, public ServiceHook {
 public:
  /// `state_dir` holds known-good.yaml (empty: not kept).
  ControlAgent(DataplaneContext& ctx, std::string state_dir);
  /// Creates the link and the event rings; false with `err` on failure.
  bool start(std::string& err);

  // ServiceHook
  void poll(uint64_t now_tsc) override;
  // CommandHandler
  CommandResult on_config(const std::string& yaml, uint64_t generation) override;
  CommandResult on_block(const config::Cidr& cidr, uint32_t ttl_s) override;
  CommandResult on_unblock(const config::Cidr& cidr) override;
  CommandResult on_mode(bool block) override;
  CommandResult on_reload_rules() override;
  void on_flow_query(const FlowQuery& query, FlowQueryReply& reply) override;
  // CounterSource
  void snapshot(std::vector<std::pair<std::string, uint64_t>>& out) override;

  ControlLink* link() { return link_.get(); }

  /// Path of the known-good snapshot in `state_dir` ("" when none is kept).
  static std::string known_good_path(const std::string& state_dir);

 private:
  void publish_blocklist();

  DataplaneContext& ctx_;
  std::string state_dir_;
  std::unique_ptr<ControlLink> link_;
  BlocklistEditor blocks_;
  uint64_t blocklist_generation_ = 0;
  uint64_t next_expiry_check_tsc_ = 0;
  uint64_t config_generation_ = 0;
  uint64_t config_applied_ = 0;
  uint64_t config_rejected_ = 0;
  uint64_t rules_reloads_ = 0;
  uint64_t rules_reload_failed_ = 0;
  uint64_t rules_reload_us_ = 0;  ///< the last successful reload
  uint64_t rules_count_ = 0;
  std::unique_ptr<config::Config> live_config_;  ///< owned copy of the last pushed config
};

}  // namespace weir::dp
