#pragma once
// Field names and types from a compiled descriptor set (a serialized
// google.protobuf.FileDescriptorSet: `protoc --descriptor_set_out=x.protoset
// --include_imports`). Loading builds a libprotobuf DescriptorPool and a
// sorted table from gRPC path ("/pkg.Service/Method") to the method's input
// and output message types; it allocates and runs at configuration time.
// Afterwards everything is read-only: lookups allocate nothing and any
// number of workers may share one instance.
//
// With a type, add_named_protobuf_fields names fields by their declared
// names ("item.sku"), decodes by declared type (sint zigzag, double/float,
// enums by value name, packed repeated scalars, strings vs bytes vs
// messages); a field the descriptor does not know is decoded schemaless
// under its number.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/grpc/protobuf_fields.h"
#include "parsers/stream_chunk.h"

namespace google::protobuf {
class Descriptor;
class DescriptorPool;
}  // namespace google::protobuf

namespace weir::parse {

class ProtosetNames {
 public:
  ProtosetNames();
  ~ProtosetNames();
  ProtosetNames(const ProtosetNames&) = delete;
  ProtosetNames& operator=(const ProtosetNames&) = delete;

  /// Adds the files of one serialized FileDescriptorSet (files must come
  /// after their imports, as protoc writes them). False with `error` set
  /// when it cannot be parsed or a file does not build.
  bool load(std::string_view serialized, std::string* error);

  /// The request (Direction::Request) or response message type of the gRPC
  /// method at `path`, or nullptr when the method is unknown.
  const google::protobuf::Descriptor* message_type(std::string_view path, Direction dir) const;

  size_t method_count() const { return methods_.size(); }

 private:
  struct Method {
    std::string path;
    const google::protobuf::Descriptor* input;
    const google::protobuf::Descriptor* output;
  };
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::vector<Method> methods_;  // sorted by path
};

/// Like add_protobuf_fields, with names and types from `type`.
ProtobufStatus add_named_protobuf_fields(std::string_view message,
                                         const google::protobuf::Descriptor* type, Zone zone,
                                         uint32_t max_depth, Arena& arena, FieldList& fields);

}  // namespace weir::parse
