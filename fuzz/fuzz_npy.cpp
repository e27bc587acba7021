// libFuzzer target of the .npy reader: keras::io::load_npy on the input
// written to a file, and decode_npy on the same bytes in memory. Every input
// must either load or throw keras::Error; anything else (a crash, a sanitizer
// report, an allocation beyond -malloc_limit_mb, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "support.hpp"
#include "keras/error.hpp"
#include "keras/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = keras::fuzz::write_input_file(data, size, ".npy");
  try {
    keras::io::load_npy(path);
  } catch (const keras::Error&) {
  }
  try {
    keras::io::decode_npy(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const keras::Error&) {
  }
  return 0;
}
