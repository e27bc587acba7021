#include "saving/saving_testing.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

namespace keras::saving_testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("kerascpp_saving_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> TempDir::files() const {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(path_)) {
    out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

H5Reader::H5Reader(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id_ < 0) throw std::runtime_error("cannot open " + path);
}

H5Reader::~H5Reader() { H5Fclose(id_); }

static H5I_type_t kind(hid_t file, const std::string& path) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
  hid_t object = H5Oopen(file, path.c_str(), H5P_DEFAULT);
  if (object < 0) return H5I_BADID;
  H5I_type_t type = H5Iget_type(object);
  H5Oclose(object);
  return type;
}

bool H5Reader::is_group(const std::string& path) const { return kind(id_, path) == H5I_GROUP; }
bool H5Reader::is_dataset(const std::string& path) const { return kind(id_, path) == H5I_DATASET; }

std::vector<std::string> H5Reader::links(const std::string& group) const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Literate_by_name(id_, group.c_str(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names,
                         H5P_DEFAULT) < 0) {
    throw std::runtime_error("cannot list " + group);
  }
  return names;
}

std::vector<long long> H5Reader::shape(const std::string& dataset) const {
  hid_t d = H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT);
  if (d < 0) throw std::runtime_error("no dataset " + dataset);
  hid_t space = H5Dget_space(d);
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(d);
  return {dims.begin(), dims.end()};
}

std::string H5Reader::dtype(const std::string& dataset) const {
  hid_t d = H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT);
  if (d < 0) throw std::runtime_error("no dataset " + dataset);
  hid_t type = H5Dget_type(d);
  std::string out = "other";
  const std::size_t size = H5Tget_size(type);
  if (H5Tget_class(type) == H5T_FLOAT) out = size == 4 ? "float32" : "float64";
  if (H5Tget_class(type) == H5T_INTEGER) out = size == 4 ? "int32" : "int64";
  H5Tclose(type);
  H5Dclose(d);
  return out;
}

std::string H5Reader::string_attribute(const std::string& path, const std::string& name) const {
  hid_t attr = H5Aopen_by_name(id_, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  if (attr < 0) throw std::runtime_error("no attribute " + name + " on " + path);
  hid_t type = H5Aget_type(attr);
  const bool ok = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 &&
                  H5Tget_cset(type) == H5T_CSET_UTF8;
  std::string out;
  if (ok) {
    char* text = nullptr;
    H5Aread(attr, type, &text);
    out = text ? text : "";
    H5free_memory(text);
  }
  H5Tclose(type);
  H5Aclose(attr);
  if (!ok)
    throw std::runtime_error(name + " on " + path + " is not a variable-length UTF-8 string");
  return out;
}

}  // namespace keras::saving_testing
