// libFuzzer target of the IDX reader: keras::datasets::load_idx on the input
// written to a file (gzip-compressed when it starts with gzip's magic, as
// load_idx decides), and parse_idx on the same bytes in memory. Every input
// must either load or throw keras::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "support.hpp"
#include "keras/datasets/idx.hpp"
#include "keras/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = keras::fuzz::write_input_file(data, size, "-ubyte");
  try {
    keras::datasets::load_idx(path);
  } catch (const keras::Error&) {
  }
  try {
    keras::datasets::parse_idx(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const keras::Error&) {
  }
  return 0;
}
