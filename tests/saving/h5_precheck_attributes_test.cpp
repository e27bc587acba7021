// The HDF5 pre-check's decoding of attribute messages and of the global
// heap that holds variable-length strings (src/saving/h5_check_messages.cpp,
// h5_check_types.cpp, h5_check_heaps.cpp): the damage HDF5 1.10.8's own
// attribute decoding and string reading do not survive (reads past the
// message, an unterminated name, a heap index or length that does not
// match the heap) is refused with the structure and its byte offset.
#include <gtest/gtest.h>

#include <string>

#include "saving/h5_precheck_testing.hpp"

namespace {

using keras::h5_precheck_testing::contains;
using keras::h5_precheck_testing::find;
using keras::h5_precheck_testing::find_attribute;
using keras::h5_precheck_testing::get;
using keras::h5_precheck_testing::precheck_error;
using keras::h5_precheck_testing::put;
using keras::h5_precheck_testing::small_file;

constexpr std::uint64_t kFar = std::uint64_t{1} << 40;

std::string at(std::size_t byte) { return " at byte " + std::to_string(byte); }

// ---- the attribute message: name, datatype and dataspace fields ----

TEST(H5PrecheckAttributes, NameWithoutItsNulIsNamed) {
  const std::string valid = small_file();
  const auto attribute = find_attribute(valid, "model_config");
  const std::string message = "the attribute message" + at(attribute.message) +
                              " has a name field of 13 bytes that does not end with the name's "
                              "only NUL";
  std::string bytes = valid;
  bytes[attribute.name + 12] = 'x';  // "model_config" unterminated
  EXPECT_TRUE(contains(precheck_error(bytes), message));
  bytes = valid;
  bytes[attribute.name + 3] = '\0';  // "mod", then more
  EXPECT_TRUE(contains(precheck_error(bytes), message));
}

TEST(H5PrecheckAttributes, DatatypeLongerThanItsFieldIsNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  put(bytes, attribute.message + 4, 2, 2);
  EXPECT_TRUE(contains(precheck_error(bytes), "the datatype of the attribute message" +
                                                  at(attribute.datatype) + " runs past its end"));
}

TEST(H5PrecheckAttributes, FieldsPastTheMessageAreNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  put(bytes, attribute.message + 6, 0x4000, 2);  // a dataspace of 16 KiB
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "the attribute message" + at(attribute.message) + " runs past its end"));
}

TEST(H5PrecheckAttributes, DataspaceOfTooHighARankIsNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "layer_names");
  bytes[attribute.dataspace + 1] = 33;
  EXPECT_TRUE(contains(precheck_error(bytes), "has a dataspace of rank 33, more than 32"));
}

// layer_names: two variable-length strings of 16 bytes each in the file.
TEST(H5PrecheckAttributes, ValuesPastTheMessageAreNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "layer_names");
  const std::size_t dims = attribute.dataspace + (bytes[attribute.dataspace] == 1 ? 8 : 4);
  ASSERT_EQ(get(bytes, dims, 8), 2u);
  put(bytes, dims, 1000, 8);
  put(bytes, dims + 8, 1000, 8);  // its maximum
  EXPECT_TRUE(contains(precheck_error(bytes), "the attribute message" + at(attribute.message) +
                                                  " holds 1000 values of 16 bytes, but only"));
}

// weight_names: two fixed-length strings of 8 bytes.
TEST(H5PrecheckAttributes, FixedStringsLargerThanTheMessageAreNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "weight_names");
  ASSERT_EQ(get(bytes, attribute.datatype + 4, 4), 8u);
  put(bytes, attribute.datatype + 4, 1 << 20, 4);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "holds 2 values of 1048576 bytes, but only 16 bytes"));
}

// ---- datatype encodings ----

TEST(H5PrecheckAttributes, DamagedDatatypesAreNamed) {
  const std::string valid = small_file();
  const auto attribute = find_attribute(valid, "model_config");
  std::string bytes = valid;
  bytes[attribute.datatype] = 0x09;  // variable-length class, version 0
  EXPECT_TRUE(contains(precheck_error(bytes), "has a datatype of version 0"));
  bytes = valid;
  bytes[attribute.datatype] = 0x1C;  // class 12
  EXPECT_TRUE(contains(precheck_error(bytes), "has a datatype of unknown class 12"));
  bytes = valid;
  put(bytes, attribute.datatype + 4, 8, 4);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "describes variable-length values of 8 bytes; they take 16"));
}

// ---- variable-length values: (length, global heap address, index) ----

TEST(H5PrecheckAttributes, StringNamingAMissingHeapObjectIsNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  const std::uint64_t heap = get(bytes, attribute.data + 4, 8);
  put(bytes, attribute.data + 12, 999, 4);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "the variable-length value" + at(attribute.data) +
                                          " names object 999 of the global heap at address " +
                                          std::to_string(heap) + ", which has no such object"));
}

TEST(H5PrecheckAttributes, StringLongerThanItsHeapObjectIsNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  const std::uint64_t length = get(bytes, attribute.data, 4);
  put(bytes, attribute.data, 0xFFFFFFF0u, 4);
  EXPECT_TRUE(contains(precheck_error(bytes), "the variable-length value" + at(attribute.data) +
                                                  " claims 4294967280 bytes, but its object"));
  EXPECT_TRUE(contains(precheck_error(bytes), "holds " + std::to_string(length)));
  put(bytes, attribute.data, length - 1, 4);  // shorter: HDF5 would copy past its buffer
  EXPECT_TRUE(contains(precheck_error(bytes), "claims " + std::to_string(length - 1) + " bytes"));
}

TEST(H5PrecheckAttributes, StringInAHeapOutsideTheFileIsNamed) {
  const std::string valid = small_file();
  const auto attribute = find_attribute(valid, "model_config");
  std::string bytes = valid;
  put(bytes, attribute.data + 4, kFar, 8);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "a global heap collection at address 1099511627776 (16 bytes) lies "
                       "outside the file"));
  bytes = valid;
  put(bytes, attribute.data + 4, 0, 8);  // address 0: HDF5's null string, nothing to read
  EXPECT_EQ(precheck_error(bytes), "");
  put(bytes, attribute.data + 4, attribute.message_header, 8);
  EXPECT_TRUE(contains(
      precheck_error(bytes),
      "the global heap collection" + at(attribute.message_header) + " does not start with GCOL"));
}

// "GCOL", version, reserved, size (8); objects: index (2), references (2),
// reserved (4), size (8), data padded to 8 bytes; object 0 is free space.
TEST(H5PrecheckAttributes, DamagedGlobalHeapIsNamed) {
  const std::string valid = small_file();
  const std::size_t heap = find(valid, "GCOL");
  const std::size_t first = heap + 16;
  const std::uint64_t first_size = get(valid, first + 8, 8);
  const std::size_t second = first + 16 + ((first_size + 7) & ~std::uint64_t{7});

  std::string bytes = valid;
  put(bytes, first + 8, kFar, 8);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "object " + std::to_string(get(valid, first, 2)) + " of the global heap" +
                           at(heap) + " claims 1099511627776 bytes, more than the heap holds"));
  bytes = valid;
  put(bytes, second, get(valid, first, 2), 2);
  EXPECT_TRUE(contains(precheck_error(bytes), "the global heap" + at(heap) + " holds object " +
                                                  std::to_string(get(valid, first, 2)) + " twice"));
  bytes = valid;
  put(bytes, first, 0, 2);  // free space of 0 bytes: HDF5 would never move on
  put(bytes, first + 8, 0, 8);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "object 0 of the global heap" + at(heap) + " has a size of 0"));
}

}  // namespace
