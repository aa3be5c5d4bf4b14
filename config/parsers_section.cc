// The `parsers:` section: the GraphQL and XML policies every worker's
// ParserWorkspace (and `weirctl inspect --config`) checks requests against,
// on top of the parsers' defaults, and the gRPC descriptor sets that name
// protobuf fields. Upper bounds are the parsers' own hard caps (nesting the
// parser keeps state for), so a configured limit is never silently larger
// than what is enforced.
//
// Descriptor sets are read and built here, when the config is parsed (at
// start, on a push from weir-control, by weirctl): a bad file is a config
// error at its list entry's line, and workers only ever get a finished,
// read-only ProtosetNames.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/config_sections.h"

namespace weir::config {
namespace {

// The whole file, or fails at the entry's line with the OS's reason.
std::string read_file(const YamlReader& entry, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) entry.fail("cannot read " + path + ": " + std::strerror(errno));
  std::string out;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      entry.fail("cannot read " + path + ": " + std::strerror(saved));
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void read_grpc(const YamlReader& g, const std::string& base_dir, ParsersConfig& out) {
  g.expect_map({"protosets"});
  const auto list = g.child("protosets");
  if (!list) return;
  auto names = std::make_shared<parse::ProtosetNames>();
  out.protosets.clear();
  for (const YamlReader& entry : list->items()) {
    std::string path = entry.as_string();
    if (path.front() != '/') path = base_dir + "/" + path;
    std::string error;
    if (!names->load(read_file(entry, path), &error)) entry.fail(path + ": " + error);
    out.protosets.push_back(std::move(path));
  }
  if (!out.protosets.empty()) out.protoset_names = std::move(names);
}

}  // namespace

void read_graphql_policy(const YamlReader& g, parse::GraphqlPolicy& p) {
  g.expect_map({"max_depth", "max_aliases", "max_batch", "max_fields", "max_directives", "introspection"});
  g.read_uint("max_depth", p.max_depth, 1, 128);  // GraphqlDocument::kMaxNesting
  g.read_uint("max_aliases", p.max_aliases, 0, 100000);
  g.read_uint("max_batch", p.max_batch, 1, 1000);
  g.read_uint("max_fields", p.max_fields, 1, 1000000);
  g.read_uint("max_directives", p.max_directives, 0, 100000);
  g.read_bool("introspection", p.allow_introspection);
}

void read_xml_policy(const YamlReader& x, parse::XmlPolicy& p) {
  x.expect_map({"max_depth", "max_attributes", "max_amplification", "amplification_threshold"});
  x.read_uint("max_depth", p.max_depth, 1, 256);  // XmlInspector::kMaxDepth
  x.read_uint("max_attributes", p.max_attributes, 1, 100000);
  if (auto a = x.child("max_amplification")) p.max_amplification = static_cast<float>(a->as_uint(1, 1000));
  x.read_uint("amplification_threshold", p.amplification_threshold, 1024, uint64_t{1} << 30);
}

void read_parsers(const YamlReader& section, const std::string& base_dir, ParsersConfig& out) {
  section.expect_map({"graphql", "xml", "grpc"});
  if (auto g = section.child("graphql")) read_graphql_policy(*g, out.graphql);
  if (auto x = section.child("xml")) read_xml_policy(*x, out.xml);
  if (auto g = section.child("grpc")) read_grpc(*g, base_dir, out);
}

}  // namespace weir::config
