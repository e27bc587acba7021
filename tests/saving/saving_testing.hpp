#pragma once
// Helpers the saving tests share: a fresh folder per test, and a look inside
// the .weights.h5 files with the HDF5 C API.
#include <filesystem>
#include <string>
#include <vector>

namespace keras::saving_testing {

// An empty folder under the system's temp folder, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // The names of the files in the folder, sorted.
  std::vector<std::string> files() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Read-only view of an HDF5 file for the structure tests.
class H5Reader {
 public:
  explicit H5Reader(const std::string& path);
  ~H5Reader();
  H5Reader(const H5Reader&) = delete;
  H5Reader& operator=(const H5Reader&) = delete;
  bool is_group(const std::string& path) const;
  bool is_dataset(const std::string& path) const;
  std::vector<std::string> links(const std::string& group) const;  // sorted by name
  std::vector<long long> shape(const std::string& dataset) const;
  // "float32", "float64", "int32", "int64" or "other".
  std::string dtype(const std::string& dataset) const;
  // A variable-length UTF-8 string attribute; throws if it is anything else.
  std::string string_attribute(const std::string& path, const std::string& name) const;

 private:
  long long id_;
};

}  // namespace keras::saving_testing
