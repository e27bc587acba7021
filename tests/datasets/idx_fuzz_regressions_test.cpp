// Inputs that once crashed the IDX reader or made it allocate far more than
// the file justifies (found by fuzz/fuzz_idx.cpp, kept under
// tests/fixtures/fuzz_regressions/idx): each must now give a keras::Error
// naming the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "keras/datasets/idx.hpp"
#include "keras/error.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> regression_inputs() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(KERASCPP_FIXTURES_DIR) / "fuzz_regressions" / "idx")) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(IdxFuzzRegressions, EveryKeptInputGivesAnErrorNamingTheFile) {
  const auto files = regression_inputs();
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    try {
      keras::datasets::load_idx(file.string());
      ADD_FAILURE() << "loaded without an error";
    } catch (const keras::Error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
  }
}

TEST(IdxFuzzRegressions, SizeThatWrapsAroundIsRejectedBeforeAllocating) {
  // 2^31 x 2^31 int32 values: 2^64 bytes, which wrapped to 0 and matched an
  // empty payload, then asked for 16 EiB.
  const std::string bytes = {0, 0, 0x0C, 2, '\x80', 0, 0, 0, '\x80', 0, 0, 0};
  EXPECT_THROW(keras::datasets::parse_idx(bytes, "mem"), keras::Error);
}

}  // namespace
