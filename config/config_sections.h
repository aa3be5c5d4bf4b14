#pragma once
// One reader per top-level section of weir.yaml. Each checks its keys, types
// and ranges and fills the struct, keeping the struct's defaults for absent
// keys. Cross-section checks live in parse_config (weir_config.cc). Internal
// to config/.

#include <vector>

#include "config/weir_config.h"
#include "config/yaml_reader.h"

namespace weir::config {

void read_dataplane(const YamlReader& section, DataplaneConfig& out);
void read_pairs(const YamlReader& section, std::vector<PortPairConfig>& out);
void read_flow(const YamlReader& section, FlowConfig& out);
void read_stream(const YamlReader& section, StreamConfig& out);
void read_defrag(const YamlReader& section, DefragConfig& out);
void read_rules(const YamlReader& section, RulesConfig& out);
void read_scope(const YamlReader& section, ScopeConfig& out);
void read_exceptions(const YamlReader& section, ExceptionConfig& out);
void read_watchdog(const YamlReader& section, WatchdogConfig& out);
void read_telemetry(const YamlReader& section, TelemetryConfig& out);
void read_control(const YamlReader& section, ControlConfig& out);
// export_section.cc, admin_section.cc (control-plane sections)
void read_export(const YamlReader& section, ExportConfig& out);
void read_remote_admin(const YamlReader& section, RemoteAdminConfig& out);
void read_metrics(const YamlReader& section, MetricsConfig& out);
// discovery_section.cc (API inventory)
void read_discovery(const YamlReader& section, DiscoveryConfig& out);
// parsers_section.cc (GraphQL and XML policies, gRPC descriptor sets read
// from files under `base_dir`)
void read_parsers(const YamlReader& section, const std::string& base_dir, ParsersConfig& out);
void read_graphql_policy(const YamlReader& section, parse::GraphqlPolicy& p);
void read_xml_policy(const YamlReader& section, parse::XmlPolicy& p);
// apis_section.cc (per-API parser policies over the global ones)
void read_apis(const YamlReader& section, ParsersConfig& out);

}  // namespace weir::config
