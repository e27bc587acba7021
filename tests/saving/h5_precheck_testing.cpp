#include "saving/h5_precheck_testing.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "keras/error.hpp"
#include "keras/tensor.hpp"
#include "saving/h5_file.hpp"
#include "saving/h5_precheck.hpp"

namespace keras::h5_precheck_testing {

namespace {

std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

}  // namespace

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\"\n  does not contain \"" << part << "\"";
}

std::string small_file() {
  saving::H5File file = saving::H5File::create_in_memory("small_file");
  file.create_group("/layers/dense/vars");
  file.set_text_attribute("/", "model_config", R"({"class_name": "Sequential"})", true);
  file.set_strings_attribute("/", "layer_names", {"dense", "dense_1"});
  file.set_fixed_strings_attribute("/", "weight_names", {"kernel", "bias"}, 8);
  std::vector<float> values(21);
  for (int i = 0; i < 21; ++i) values[static_cast<std::size_t>(i)] = static_cast<float>(i);
  file.write_dataset("/layers/dense/vars/0", Tensor(Shape({3, 7}), values), DType::float32);
  return file.image();
}

std::string precheck_error(const std::string& bytes) {
  try {
    saving::check_hdf5_bytes(bytes, "test.h5");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string read_fixture(const std::string& relative_path) {
  std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/" + relative_path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + relative_path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::size_t find(const std::string& bytes, std::string_view what, std::size_t from) {
  const std::size_t at = bytes.find(what, from);
  if (at == std::string::npos) throw std::runtime_error("not found: " + std::string(what));
  return at;
}

std::uint64_t get(const std::string& bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes.at(at + static_cast<std::size_t>(i)));
  }
  return v;
}

void put(std::string& bytes, std::size_t at, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) {
    bytes.at(at + static_cast<std::size_t>(i)) = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
}

// Version 1: the message header takes 8 bytes, the attribute's own header
// 8 more (version, reserved, name size, datatype size, dataspace size),
// then the three fields, each padded to 8 bytes, then the values.
Attribute find_attribute(const std::string& bytes, const std::string& name) {
  Attribute a;
  a.name = find(bytes, std::string_view(name.c_str(), name.size() + 1));
  a.message = a.name - 8;
  a.message_header = a.message - 8;
  if (get(bytes, a.message_header, 2) != 0x0C || bytes.at(a.message) != 1) {
    throw std::runtime_error("not a version 1 attribute message: " + name);
  }
  a.datatype = a.name + align8(get(bytes, a.message + 2, 2));
  a.dataspace = a.datatype + align8(get(bytes, a.message + 4, 2));
  a.data = a.dataspace + align8(get(bytes, a.message + 6, 2));
  return a;
}

std::size_t find_contiguous_layout(const std::string& bytes, std::uint64_t data_bytes) {
  for (std::size_t at = 8; at + 18 <= bytes.size(); ++at) {
    if (bytes[at] == 3 && bytes[at + 1] == 1 && get(bytes, at + 10, 8) == data_bytes &&
        get(bytes, at - 8, 2) == 0x08) {
      return at;
    }
  }
  throw std::runtime_error("no contiguous layout of " + std::to_string(data_bytes) + " bytes");
}

}  // namespace keras::h5_precheck_testing
