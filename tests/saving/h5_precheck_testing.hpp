#pragma once
// Helpers for the tests of the HDF5 pre-check (src/saving/h5_precheck.cpp):
// a small valid file written by kerascpp's own HDF5 writer, the error the
// pre-check gives for some bytes, and ways to find and patch the fields of
// a file's structures.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace keras::h5_precheck_testing {

// Whether `text` contains `part`, with both in the failure message.
::testing::AssertionResult contains(const std::string& text, const std::string& part);

// An in-memory file as kerascpp writes legacy .h5 models (HDF5's default
// format): groups /layers/dense/vars, on the root a variable-length string
// attribute "model_config", a list of strings "layer_names" and fixed-length
// strings "weight_names", and a float32 dataset /layers/dense/vars/0 of
// shape (3, 7) holding 0, 1, ..., 20.
std::string small_file();

// The keras::Error check_hdf5_bytes gives (context "test.h5"), or "" when
// the bytes pass.
std::string precheck_error(const std::string& bytes);

std::string read_fixture(const std::string& relative_path);

// The first position of `what` at or after `from`; throws if absent.
std::size_t find(const std::string& bytes, std::string_view what, std::size_t from = 0);
std::uint64_t get(const std::string& bytes, std::size_t at, int width);
void put(std::string& bytes, std::size_t at, std::uint64_t value, int width);

// A version 1 attribute message, found by its name.
struct Attribute {
  std::size_t message_header = 0;  // type (2), size (2), flags (1), reserved (3)
  std::size_t message = 0;         // version, reserved, the three sizes
  std::size_t name = 0;
  std::size_t datatype = 0;
  std::size_t dataspace = 0;
  std::size_t data = 0;
};
Attribute find_attribute(const std::string& bytes, const std::string& name);

// The version 3 contiguous layout message whose stored size is data_bytes:
// version (1), class (1), address (8), size (8).
std::size_t find_contiguous_layout(const std::string& bytes, std::uint64_t data_bytes);

}  // namespace keras::h5_precheck_testing
