// ExportService (see export_service.h).
#include "control/export/export_service.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace weir::ctl {

ExportService::ExportService(Store& store, std::string default_spool_dir)
    : store_(store), default_spool_dir_(std::move(default_spool_dir)) {}

ExportService::~ExportService() { stop(); }

void ExportService::configure(const config::ExportConfig& cfg) {
  std::lock_guard lock(mu_);
  if (configured_ && cfg == current_) return;
  for (auto& e : exporters_) e->stop();
  exporters_.clear();
  current_ = cfg;
  configured_ = true;
  if (cfg.exporters.empty()) return;
  const std::string dir = cfg.spool_dir.empty() ? default_spool_dir_ : cfg.spool_dir;
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("export spool_dir " + dir + ": " + std::strerror(errno));
  std::string errors;
  for (const config::ExporterConfig& e : cfg.exporters) {
    try {
      auto exporter = std::make_unique<AlertExporter>(store_, e, dir);
      exporter->start();
      exporters_.push_back(std::move(exporter));
    } catch (const std::exception& ex) {
      errors += (errors.empty() ? "" : "; ") + std::string("exporter ") + e.name + ": " + ex.what();
    }
  }
  if (!errors.empty()) throw std::runtime_error(errors);
}

void ExportService::stop() {
  std::lock_guard lock(mu_);
  for (auto& e : exporters_) e->stop();
}

std::vector<ExporterStatus> ExportService::status() const {
  std::lock_guard lock(mu_);
  std::vector<ExporterStatus> out;
  for (const auto& e : exporters_) out.push_back(e->status());
  return out;
}

}  // namespace weir::ctl
