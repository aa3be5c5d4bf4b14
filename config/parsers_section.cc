// The `parsers:` section: the GraphQL and XML policies every worker's
// ParserWorkspace (and `weirctl inspect --config`) checks requests against,
// on top of the parsers' defaults. Upper bounds are the parsers' own hard
// caps (nesting the parser keeps state for), so a configured limit is never
// silently larger than what is enforced.

#include "config/config_sections.h"

namespace weir::config {

void read_parsers(const YamlReader& section, ParsersConfig& out) {
  section.expect_map({"graphql", "xml"});
  if (auto g = section.child("graphql")) {
    g->expect_map({"max_depth", "max_aliases", "max_batch", "max_fields", "max_directives", "introspection"});
    parse::GraphqlPolicy& p = out.graphql;
    g->read_uint("max_depth", p.max_depth, 1, 128);  // GraphqlDocument::kMaxNesting
    g->read_uint("max_aliases", p.max_aliases, 0, 100000);
    g->read_uint("max_batch", p.max_batch, 1, 1000);
    g->read_uint("max_fields", p.max_fields, 1, 1000000);
    g->read_uint("max_directives", p.max_directives, 0, 100000);
    g->read_bool("introspection", p.allow_introspection);
  }
  if (auto x = section.child("xml")) {
    x->expect_map({"max_depth", "max_attributes", "max_amplification", "amplification_threshold"});
    parse::XmlPolicy& p = out.xml;
    x->read_uint("max_depth", p.max_depth, 1, 256);  // XmlInspector::kMaxDepth
    x->read_uint("max_attributes", p.max_attributes, 1, 100000);
    if (auto a = x->child("max_amplification")) p.max_amplification = static_cast<float>(a->as_uint(1, 1000));
    x->read_uint("amplification_threshold", p.amplification_threshold, 1024, uint64_t{1} << 30);
  }
}

}  // namespace weir::config
