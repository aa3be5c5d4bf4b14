#pragma once
// The set of alert exporters weir-control runs (config section `export`),
// each on its own thread. Reconfigured as a whole when the section changes
// in an applied config; cursors and spools are kept per exporter name, so
// a renamed exporter starts fresh and an unchanged one resumes.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/weir_config.h"
#include "control/export/alert_exporter.h"
#include "control/store/control_store.h"

namespace weir::ctl {

class ExportService {
 public:
  /// default_spool_dir: used when the config leaves export.spool_dir empty.
  ExportService(Store& store, std::string default_spool_dir);
  ~ExportService();

  /// Stops the running exporters and starts the configured ones. Throws
  /// std::runtime_error when an exporter cannot be set up (the others
  /// keep running; the message names the exporter).
  void configure(const config::ExportConfig& cfg);
  void stop();
  std::vector<ExporterStatus> status() const;

 private:
  Store& store_;
  std::string default_spool_dir_;
  mutable std::mutex mu_;
  config::ExportConfig current_;
  bool configured_ = false;
  std::vector<std::unique_ptr<AlertExporter>> exporters_;
};

}  // namespace weir::ctl
