#pragma once
// Helpers the model tests share: reading fixture files and setting COLUMNS
// (Keras' summary width rule) for the length of a test.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kerascpp_testing {

std::string read_file(const std::filesystem::path& path);

// Files named <prefix>NN.npy / <prefix>N.npy in a folder, in numeric order.
std::vector<std::filesystem::path> numbered(const std::filesystem::path& dir,
                                            const std::string& prefix);

// Sets (or, with nullptr, unsets) an environment variable for the guard's lifetime.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value);
  ~EnvGuard();
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace kerascpp_testing
