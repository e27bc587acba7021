#include "saving/h5_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "keras/error.hpp"
#include "saving/atomic_write.hpp"
#include "saving/h5_precheck.hpp"

namespace keras::saving {
namespace {

static_assert(std::is_same_v<hid_t, std::int64_t>, "H5File stores hid_t as int64");

// Closes an HDF5 object when it goes out of scope.
class Owned {
 public:
  Owned(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Owned() {
    if (id_ >= 0) close_(id_);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Files are untrusted input: failures become our exceptions, not HDF5's
// printed error stacks.
void silence_hdf5() {
  static const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

hid_t memory_type(DType dtype) {
  switch (dtype) {
    case DType::float32: return H5T_NATIVE_FLOAT;
    case DType::float64: return H5T_NATIVE_DOUBLE;
    case DType::int32: return H5T_NATIVE_INT32;
    case DType::int64: return H5T_NATIVE_INT64;
    case DType::uint8: return H5T_NATIVE_UINT8;
    case DType::bool_: return H5T_NATIVE_UINT8;
  }
  return H5T_NATIVE_FLOAT;
}

hid_t file_type(DType dtype) {
  switch (dtype) {
    case DType::float32: return H5T_IEEE_F32LE;
    case DType::float64: return H5T_IEEE_F64LE;
    case DType::int32: return H5T_STD_I32LE;
    case DType::int64: return H5T_STD_I64LE;
    case DType::uint8: return H5T_STD_U8LE;
    case DType::bool_: return H5T_STD_U8LE;
  }
  return H5T_IEEE_F32LE;
}

hid_t dataspace_for(const Shape& shape) {
  if (shape.rank() == 0) return H5Screate(H5S_SCALAR);
  std::vector<hsize_t> dims;
  for (std::int64_t d : shape) dims.push_back(static_cast<hsize_t>(d));
  return H5Screate_simple(shape.rank(), dims.data(), nullptr);
}

// A name for an in-memory file: HDF5 takes two open files with the same
// name for the same file, even without a backing store.
std::string image_name() {
  static std::atomic<unsigned long> counter{0};
  return "kerascpp-memory-" + std::to_string(counter++) + ".h5";
}

}  // namespace

void H5File::write_atomically(const std::string& path, const std::string& context,
                              const std::function<void(H5File&)>& write) {
  saving::write_atomically(path, context, [&](const std::string& tmp) {
    H5File file = create(tmp, context);
    write(file);
    file.close();
  });
}

H5File H5File::create(const std::string& path, std::string context) {
  silence_hdf5();
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) {
    throw Error(context + ": cannot create the file " + path +
                " (does its folder exist, and is it writable?).");
  }
  return H5File(id, std::move(context));
}

H5File H5File::open(const std::string& path, std::string context) {
  silence_hdf5();
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) throw Error(context + ": cannot open the file (does it exist?).");
  if (is_hdf5 == 0) throw Error(context + ": the file is not an HDF5 file.");
  check_hdf5_file(path, context);  // damage HDF5 itself does not survive
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw Error(context + ": cannot open the HDF5 file.");
  return H5File(id, std::move(context));
}

H5File H5File::create_in_memory(std::string context) {
  silence_hdf5();
  Owned access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // 1 MiB growth steps; no backing store: nothing touches the disk.
  if (!access.ok() || H5Pset_fapl_core(access.get(), 1 << 20, 0) < 0) {
    throw Error(context + ": cannot set up an in-memory HDF5 file.");
  }
  const hid_t id = H5Fcreate(image_name().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  if (id < 0) throw Error(context + ": cannot create an in-memory HDF5 file.");
  return H5File(id, std::move(context));
}

H5File H5File::open_image(const std::string& bytes, std::string context) {
  silence_hdf5();
  static constexpr char kSignature[] = "\x89HDF\r\n\x1a\n";
  if (bytes.size() < 8 || bytes.compare(0, 8, kSignature, 8) != 0) {
    throw Error(context + ": the data is not an HDF5 file (no HDF5 signature at its start).");
  }
  check_hdf5_bytes(bytes, context);  // damage HDF5 itself does not survive
  Owned access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access.ok() || H5Pset_fapl_core(access.get(), 1 << 20, 0) < 0 ||
      H5Pset_file_image(access.get(), const_cast<char*>(bytes.data()), bytes.size()) < 0) {
    throw Error(context + ": cannot set up an in-memory HDF5 file.");
  }
  const hid_t id = H5Fopen(image_name().c_str(), H5F_ACC_RDONLY, access.get());
  if (id < 0) throw Error(context + ": HDF5 cannot open the data (damaged or truncated file?).");
  return H5File(id, std::move(context));
}

std::string H5File::image() {
  if (H5Fflush(id_, H5F_SCOPE_GLOBAL) < 0) fail("cannot flush the in-memory file.");
  const ssize_t size = H5Fget_file_image(id_, nullptr, 0);
  if (size < 0) fail("cannot read back the in-memory file.");
  std::string out(static_cast<std::size_t>(size), '\0');
  if (H5Fget_file_image(id_, out.data(), out.size()) != size) {
    fail("cannot read back the in-memory file.");
  }
  return out;
}

H5File::~H5File() {
  if (id_ >= 0) H5Fclose(id_);
}

H5File::H5File(H5File&& other) noexcept
    : id_(std::exchange(other.id_, -1)), context_(std::move(other.context_)) {}

void H5File::fail(const std::string& what) const { throw Error(context_ + ": " + what); }

void H5File::close() {
  if (id_ < 0) return;
  const herr_t status = H5Fclose(std::exchange(id_, -1));
  if (status < 0) fail("writing the file failed.");
}

void H5File::create_group(const std::string& path) {
  // Walk the components so parents are created as needed.
  std::string::size_type pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) > 0) continue;
    Owned group(H5Gcreate2(id_, prefix.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (!group.ok()) fail("cannot create the group " + prefix + ".");
  }
}

void H5File::set_string_attribute(const std::string& group, const std::string& name,
                                  const std::string& value) {
  Owned type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Owned space(H5Screate(H5S_SCALAR), H5Sclose);
  Owned object(H5Oopen(id_, group.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.ok()) fail("cannot open " + group + ".");
  Owned attribute(
      H5Acreate2(object.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  const char* text = value.c_str();
  if (!attribute.ok() || H5Awrite(attribute.get(), type.get(), &text) < 0) {
    fail("cannot write the attribute " + name + " of " + group + ".");
  }
}

void H5File::write_dataset(const std::string& path, const Tensor& value, DType file_dtype) {
  Owned space(dataspace_for(value.shape()), H5Sclose);
  Owned dataset(H5Dcreate2(id_, path.c_str(), file_type(file_dtype), space.get(), H5P_DEFAULT,
                           H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose);
  if (!dataset.ok()) fail("cannot create the dataset " + path + ".");
  if (value.size() == 0) return;
  if (H5Dwrite(dataset.get(), memory_type(value.dtype()), H5S_ALL, H5S_ALL, H5P_DEFAULT,
               value.raw_data()) < 0) {
    fail("cannot write the dataset " + path + ".");
  }
}

bool H5File::exists(const std::string& path) const {
  // H5Lexists fails (rather than answering false) when a parent is missing,
  // so check each component in turn.
  std::string::size_type pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    // A component other than the last must be a group to hold the rest.
    if (pos != std::string::npos && !is_group(prefix)) return false;
  }
  return true;
}

// The kind of object at a path (H5I_GROUP, H5I_DATASET), or H5I_BADID.
static H5I_type_t object_kind(hid_t file, const std::string& path) {
  Owned object(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
  return object.ok() ? H5Iget_type(object.get()) : H5I_BADID;
}

bool H5File::is_group(const std::string& path) const { return object_kind(id_, path) == H5I_GROUP; }

std::vector<std::string> H5File::links(const std::string& group) const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Literate_by_name(id_, group.c_str(), H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collect,
                         &names, H5P_DEFAULT) < 0) {
    fail("cannot list the group " + group + ".");
  }
  return names;
}

H5File::DatasetInfo H5File::dataset_info(const std::string& path) const {
  if (object_kind(id_, path) != H5I_DATASET) fail(path + " is not a dataset.");
  Owned dataset(H5Dopen2(id_, path.c_str(), H5P_DEFAULT), H5Dclose);
  Owned space(H5Dget_space(dataset.get()), H5Sclose);
  Owned type(H5Dget_type(dataset.get()), H5Tclose);
  if (!dataset.ok() || !space.ok() || !type.ok()) fail("cannot read " + path + ".");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  if (rank < 0 || rank > 32 || space_class == H5S_NULL || space_class == H5S_NO_CLASS) {
    fail(path + " has an unsupported dataspace.");
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  DatasetInfo info;
  std::vector<std::int64_t> shape;
  for (hsize_t d : dims) shape.push_back(static_cast<std::int64_t>(d));
  info.shape = Shape(shape);
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT: info.type_class = TypeClass::floating; break;
    case H5T_INTEGER: info.type_class = TypeClass::integer; break;
    default: info.type_class = TypeClass::other; break;
  }
  // HDF5 1.10.8 accepts a number type of any size (a damaged file may claim
  // gigabytes per element) and sizes its conversion buffers from it.
  const std::size_t element_size = H5Tget_size(type.get());
  if (info.type_class != TypeClass::other && (element_size == 0 || element_size > 8)) {
    fail(path + " holds numbers of " + std::to_string(element_size) +
         " bytes each; a weight's numbers take 1 to 8 bytes (damaged file?).");
  }
  return info;
}

void H5File::read_dataset(const std::string& path, Tensor& out) const {
  Owned dataset(H5Dopen2(id_, path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.ok()) fail("cannot open " + path + ".");
  if (out.size() == 0) return;
  if (H5Dread(dataset.get(), memory_type(out.dtype()), H5S_ALL, H5S_ALL, H5P_DEFAULT,
              out.raw_data()) < 0) {
    fail("cannot read the values of " + path + ".");
  }
}

// ---- text attributes (legacy .h5 files) ----

bool H5File::has_attribute(const std::string& path, const std::string& name) const {
  if (!exists(path)) return false;
  return H5Aexists_by_name(id_, path.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> H5File::read_strings_attribute(const std::string& path,
                                                        const std::string& name,
                                                        std::size_t max_bytes) const {
  const std::string what = "the attribute " + name + " of " + path;
  Owned attribute(H5Aopen_by_name(id_, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
  if (!attribute.ok()) fail("cannot open " + what + ".");
  Owned space(H5Aget_space(attribute.get()), H5Sclose);
  Owned type(H5Aget_type(attribute.get()), H5Tclose);
  if (!space.ok() || !type.ok()) fail("cannot read " + what + ".");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (rank < 0 || rank > 1 || points < 0) fail(what + " is not a string or a list of strings.");
  if (points == 0) return {};
  if (H5Tget_class(type.get()) != H5T_STRING) {
    fail(what + " is not a string or a list of strings.");
  }
  const auto count = static_cast<std::size_t>(points);
  std::vector<std::string> out;
  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) fail("cannot read " + what + ".");
  if (variable > 0) {
    if (count > max_bytes / sizeof(char*)) fail(what + " holds too many strings.");
    Owned memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    std::vector<char*> texts(count, nullptr);
    if (H5Aread(attribute.get(), memory.get(), texts.data()) < 0) fail("cannot read " + what + ".");
    std::size_t total = 0;
    for (char* t : texts) {
      if (t == nullptr) {
        out.emplace_back();
        continue;
      }
      total += std::strlen(t);
      if (total > max_bytes) break;
      out.emplace_back(t);
    }
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space.get(), H5P_DEFAULT, texts.data());
#else
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, texts.data());
#endif
    if (total > max_bytes) {
      fail(what + " holds more than " + std::to_string(max_bytes) + " bytes of text.");
    }
    return out;
  }
  const std::size_t width = H5Tget_size(type.get());
  if (width == 0 || count > max_bytes / width) {
    fail(what + " holds more than " + std::to_string(max_bytes) + " bytes of text.");
  }
  std::string buffer(count * width, '\0');
  if (H5Aread(attribute.get(), type.get(), buffer.data()) < 0) fail("cannot read " + what + ".");
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * width;
    out.emplace_back(begin, strnlen(begin, width));
  }
  return out;
}

namespace {

void write_attribute(hid_t file, const std::string& path, const std::string& name, hid_t type,
                     hid_t space, const void* data,
                     const std::function<void(const std::string&)>& fail) {
  Owned object(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.ok()) fail("cannot open " + path + ".");
  Owned attribute(H5Acreate2(object.get(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
  if (!attribute.ok() || (data != nullptr && H5Awrite(attribute.get(), type, data) < 0)) {
    fail("cannot write the attribute " + name + " of " + path + ".");
  }
}

}  // namespace

void H5File::set_text_attribute(const std::string& path, const std::string& name,
                                const std::string& value, bool utf8) {
  Owned type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  Owned space(H5Screate(H5S_SCALAR), H5Sclose);
  const char* text = value.c_str();
  write_attribute(id_, path, name, type.get(), space.get(), &text,
                  [this](const std::string& w) { fail(w); });
}

void H5File::set_strings_attribute(const std::string& path, const std::string& name,
                                   const std::vector<std::string>& values) {
  const hsize_t size = values.size();
  Owned space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  auto failure = [this](const std::string& w) { fail(w); };
  if (values.empty()) {
    write_attribute(id_, path, name, H5T_IEEE_F64LE, space.get(), nullptr, failure);
    return;
  }
  Owned type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  write_attribute(id_, path, name, type.get(), space.get(), texts.data(), failure);
}

void H5File::set_fixed_strings_attribute(const std::string& path, const std::string& name,
                                         const std::vector<std::string>& values,
                                         std::size_t width) {
  const hsize_t size = values.size();
  Owned space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  Owned type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), width == 0 ? 1 : width);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  std::string buffer(values.size() * (width == 0 ? 1 : width), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i].copy(buffer.data() + i * width, std::min(width, values[i].size()));
  }
  write_attribute(id_, path, name, type.get(), space.get(), buffer.data(),
                  [this](const std::string& w) { fail(w); });
}

}  // namespace keras::saving
