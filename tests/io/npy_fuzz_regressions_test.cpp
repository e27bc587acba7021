// Inputs that once crashed the .npy reader (found by fuzz/fuzz_npy.cpp, kept
// under tests/fixtures/fuzz_regressions/npy): each must now give a
// keras::Error naming the file, from load_npy and decode_npy alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "keras/error.hpp"
#include "keras/io/npy.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> regression_inputs() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(KERASCPP_FIXTURES_DIR) / "fuzz_regressions" / "npy")) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(NpyFuzzRegressions, EveryKeptInputGivesAnErrorNamingTheFile) {
  const auto files = regression_inputs();
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    try {
      keras::io::load_npy(file.string());
      ADD_FAILURE() << "load_npy read it without an error";
    } catch (const keras::Error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
    EXPECT_THROW(keras::io::decode_npy(read_bytes(file), "mem"), keras::Error);
  }
}

}  // namespace
