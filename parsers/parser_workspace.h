#pragma once
// ParserWorkspace: everything a worker's parsers share — the scratch Arena,
// the slab pools for heads and bodies, the JSON flattener (simdjson parsers
// sized once) and the limits. One per worker, built at start-up; parsers of
// that worker's flows borrow from it and never allocate on their own.

#include <cstddef>

#include "parsers/api_policy_table.h"
#include "parsers/arena.h"
#include "parsers/bounded_heap.h"
#include "parsers/encoding/content_decoder.h"
#include "parsers/graphql/graphql_inspector.h"
#include "parsers/json/json_flattener.h"
#include "parsers/parse_limits.h"
#include "parsers/slab_pool.h"
#include "parsers/xml/xml_inspector.h"
#include "parsers/xml/xml_policy.h"

namespace weir::parse {

class ProtosetNames;

struct WorkspaceSizes {
  size_t arena_bytes = 1 << 20;
  /// Flows that may hold a partial head / a body at the same time.
  size_t head_slabs = 1024;
  size_t body_slabs = 256;
  /// Variable-size per-flow memory (HTTP/2 streams, HPACK, zlib): BoundedHeap.
  size_t heap_bytes = 16 << 20;
  /// Flows that may hold a WebSocket inflater (permessage-deflate with
  /// context takeover keeps one per direction for the whole connection).
  size_t inflate_slabs = 64;
  /// Bump arena of the body decoder's brotli instance (its ring buffer).
  size_t brotli_memory_bytes = 8 << 20;
};

class ParserWorkspace {
 public:
  explicit ParserWorkspace(const ParseLimits& limits = {}, const WorkspaceSizes& sizes = {});
  ParserWorkspace(const ParserWorkspace&) = delete;
  ParserWorkspace& operator=(const ParserWorkspace&) = delete;

  const ParseLimits& limits() const { return limits_; }
  Arena& arena() { return arena_; }
  SlabPool& head_slabs() { return head_slabs_; }
  /// Body slabs hold limits().max_body_inspect bytes plus simdjson padding.
  SlabPool& body_slabs() { return body_slabs_; }
  JsonFlattener& json() { return json_; }
  BoundedHeap& heap() { return heap_; }
  /// Content decoding of bodies (gzip, deflate, br) with bomb caps.
  ContentDecoder& decoder() { return decoder_; }
  /// GraphQL and XML bodies (one inspector each per worker) and their limits.
  GraphqlInspector& graphql() { return graphql_; }
  XmlInspector& xml() { return xml_; }
  GraphqlPolicy& graphql_policy() { return graphql_policy_; }
  XmlPolicy& xml_policy() { return xml_policy_; }
  /// Per-API policies (config `apis:`) over the global ones above, and the
  /// gRPC descriptor sets (config `parsers.grpc.protosets`): read-only
  /// tables built at configuration time, owned by the caller (the worker's
  /// live config generation); null: none. Read at each decision.
  void set_api_policies(const ApiPolicyTable* apis) { apis_ = apis; }
  void set_protoset(const ProtosetNames* names) { protoset_ = names; }
  const ProtosetNames* protoset() const { return protoset_; }
  /// The policies of the request to `host` + `target` (first matching API,
  /// else the global ones). A scan of a few entries; no allocation.
  const GraphqlPolicy& graphql_policy_for(std::string_view host, std::string_view target) const {
    const ApiPolicy* api = apis_ != nullptr ? apis_->match(host, target) : nullptr;
    return api != nullptr ? api->graphql : graphql_policy_;
  }
  const XmlPolicy& xml_policy_for(std::string_view host, std::string_view target) const {
    const ApiPolicy* api = apis_ != nullptr ? apis_->match(host, target) : nullptr;
    return api != nullptr ? api->xml : xml_policy_;
  }
  /// InflateStream::kMemoryBytes slabs for per-flow inflaters (WebSocket).
  SlabPool& inflate_slabs() { return inflate_slabs_; }

 private:
  ParseLimits limits_;
  Arena arena_;
  SlabPool head_slabs_;
  SlabPool body_slabs_;
  JsonFlattener json_;
  BoundedHeap heap_;
  ContentDecoder decoder_;
  GraphqlInspector graphql_;
  XmlInspector xml_;
  GraphqlPolicy graphql_policy_;
  XmlPolicy xml_policy_;
  const ApiPolicyTable* apis_ = nullptr;
  const ProtosetNames* protoset_ = nullptr;
  SlabPool inflate_slabs_;
};

}  // namespace weir::parse
