#pragma once
// Exporter target: JSON lines appended to a file, rotated by size
// (PATH -> PATH.1 -> ... -> PATH.keep, the oldest removed).

#include <string>

#include "control/export/delivery_target.h"

namespace weir::ctl {

class JsonlFileTarget : public DeliveryTarget {
 public:
  JsonlFileTarget(std::string path, uint64_t max_bytes, uint32_t keep);
  ~JsonlFileTarget() override;

  std::string format(const AlertRecord& a) override;
  Delivery deliver(const std::string& payload, std::string& error) override;
  void flush() override;

 private:
  bool open_file(std::string& error);
  bool rotate(std::string& error);

  std::string path_;
  uint64_t max_bytes_;
  uint32_t keep_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace weir::ctl
