#pragma once
// FuzzReader: draws integers and byte strings from a libFuzzer input, big
// endian, zeros once it runs out; FUZZ_CHECK traps so the fuzzer records a
// broken invariant as a crash. Shared by the structure-aware fuzz targets.

#include <cstddef>
#include <cstdint>
#include <string>

#define FUZZ_CHECK(cond)             \
  do {                               \
    if (!(cond)) __builtin_trap();   \
  } while (0)

class FuzzReader {
 public:
  FuzzReader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  bool empty() const { return n_ == 0; }
  uint8_t u8() { return n_ > 0 ? (--n_, *p_++) : 0; }
  uint16_t u16() {
    const uint16_t hi = u8();  // sequenced: the high byte is read first
    return static_cast<uint16_t>(hi << 8 | u8());
  }
  uint32_t u32() {
    const uint32_t hi = u16();
    return hi << 16 | u16();
  }
  std::string bytes(size_t n) {
    std::string s;
    while (n-- > 0 && n_ > 0) s.push_back(static_cast<char>(u8()));
    return s;
  }

 private:
  const uint8_t* p_;
  size_t n_;
};
