// Inputs that once crashed a model reader, hung it, or made it allocate far
// more than the file justifies, found by the libFuzzer targets in fuzz/ and
// kept under tests/fixtures/fuzz_regressions/<target>/ (see scripts/fuzz).
// Each must now give a keras::Error naming the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../../fuzz/weights_h5_model.hpp"
#include "keras/error.hpp"
#include "keras/saving.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> regression_inputs(const std::string& target) {
  std::vector<fs::path> files;
  const fs::path folder = fs::path(KERASCPP_FIXTURES_DIR) / "fuzz_regressions" / target;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Feeds every kept input of a target to the reader.
void expect_errors_naming_the_file(const std::string& target,
                                   const std::function<void(const std::string&)>& read) {
  const auto files = regression_inputs(target);
  if (files.empty()) GTEST_SKIP() << "no kept inputs for " << target;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    try {
      read(file.string());
      ADD_FAILURE() << "read without an error";
    } catch (const keras::Error& e) {
      EXPECT_NE(std::string(e.what()).find(file.filename().string()), std::string::npos)
          << e.what();
    }
  }
}

TEST(FuzzRegressions, KerasFiles) {
  expect_errors_naming_the_file("keras_file", [](const std::string& path) {
    keras::load_model(path);
  });
}

TEST(FuzzRegressions, LegacyH5Models) {
  expect_errors_naming_the_file("legacy_h5", [](const std::string& path) {
    keras::load_model(path);
  });
}

TEST(FuzzRegressions, WeightsH5Files) {
  const keras::Model model = keras::fuzz::weights_h5_model();
  expect_errors_naming_the_file("weights_h5", [&](const std::string& path) {
    model.load_weights(path);
  });
}

// A number too large for a double is nlohmann's out_of_range, not its
// parse_error: it used to escape as an exception other than keras::Error.
TEST(FuzzRegressions, JsonNumberTooLargeForADouble) {
  EXPECT_THROW(keras::models::model_from_json(R"({"class_name": "Sequential", "x": 11e308})"),
               keras::Error);
}

// The damage that HDF5 1.10.8 does not survive is caught before HDF5 sees
// the file (src/saving/h5_precheck.cpp), for files on disk and in archives.
// Each of these inputs once crashed HDF5 itself (fuzz/README.md).
TEST(FuzzRegressions, Hdf5DamageIsNamedBeforeHdf5ReadsIt) {
  const std::string folder = std::string(KERASCPP_FIXTURES_DIR) + "/fuzz_regressions/";
  auto message = [](const std::function<void()>& read) -> std::string {
    try {
      read();
    } catch (const keras::Error& e) {
      return e.what();
    }
    return "";
  };
  const keras::Model model = keras::fuzz::weights_h5_model();
  const std::vector<std::pair<std::string, std::string>> weights = {
      {"hdf5_local_heap_free_list_loop.weights.h5", "the free list of the local heap at byte"},
      {"hdf5_shifted_group_addresses.weights.h5", "a local heap has no address"},
      {"hdf5_huge_continuation_chunk.weights.h5",
       "the object header continuation message at byte 18152 runs past its end"},
  };
  for (const auto& [file, expected] : weights) {
    const std::string error = message([&] { model.load_weights(folder + "weights_h5/" + file); });
    EXPECT_NE(error.find(file + "\"): the HDF5 file is damaged: " + expected), std::string::npos)
        << error;
  }
  EXPECT_NE(message([&] {
              keras::load_model(folder + "keras_file/hdf5_local_heap_free_list_loop.keras");
            }).find("model.weights.h5: the HDF5 file is damaged"),
            std::string::npos);
  const std::vector<std::pair<std::string, std::string>> legacy = {
      {"hdf5_global_heap_object_too_large.h5",
       "object 22 of the global heap at byte 2048 claims 6989693274306904088 bytes"},
      {"hdf5_global_heap_bad_object_index.h5",
       "the variable-length value at byte 20176 names object 5888 of the global heap at "
       "address 2048, which has no such object"},
      {"hdf5_global_heap_object_larger_than_string.h5",
       "the variable-length value at byte 1960 names object 0 of the global heap"},
      {"hdf5_attribute_fields_past_message.h5",
       "the attribute message at byte 832 runs past its end"},
      {"hdf5_attribute_name_unterminated.h5", "the datatype of the attribute message at byte 1088"},
      {"hdf5_vlen_string_huge_lengths.h5", "a global heap collection at address 4294971391"},
      {"hdf5_heaps_loop_base_address_28.h5",
       "object 0 of the global heap at byte 2048 has a size of 0"},
  };
  for (const auto& [file, expected] : legacy) {
    const std::string error = message([&] { keras::load_model(folder + "legacy_h5/" + file); });
    EXPECT_NE(error.find(file + "\"): the HDF5 file is damaged: " + expected), std::string::npos)
        << error;
  }
}

}  // namespace
