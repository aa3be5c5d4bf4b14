#pragma once
// Per-exporter selection of alerts: minimum severity, classes, server
// addresses (CIDRs) and server ports. An empty list selects everything.

#include "config/weir_config.h"
#include "control/store/store_records.h"

namespace weir::ctl {

bool exporter_selects(const config::ExporterConfig& cfg, const AlertRecord& a);

}  // namespace weir::ctl
