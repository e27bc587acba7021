#pragma once
// A small wrapper over the HDF5 C library for what .weights.h5 files need:
// groups addressed by absolute path ("/layers/dense/vars"), a string
// attribute per group, and n-dimensional numeric datasets. Keeps hdf5.h out
// of every other file. Every failure is a keras::Error whose message starts
// with `context` (e.g. `load_weights("w.weights.h5")`).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "keras/shape.hpp"
#include "keras/tensor.hpp"

namespace keras::saving {

class H5File {
 public:
  // Creates (truncates) a file for writing.
  static H5File create(const std::string& path, std::string context);
  // Creates a file beside path, lets write fill it, closes it, flushes it to
  // disk and renames it over path (saving::write_atomically): a save that
  // fails at any point leaves an existing file intact and no temporary behind.
  static void write_atomically(const std::string& path, const std::string& context,
                               const std::function<void(H5File&)>& write);
  // Opens an existing file read-only; throws if it is missing or not HDF5.
  static H5File open(const std::string& path, std::string context);
  // A file that lives in memory only (the model.weights.h5 member of a
  // .keras archive); image() gives its bytes once written.
  static H5File create_in_memory(std::string context);
  // Opens the bytes of an HDF5 file (a copy is made) read-only; throws if
  // they do not start with the HDF5 signature or HDF5 cannot open them.
  static H5File open_image(const std::string& bytes, std::string context);
  ~H5File();
  H5File(H5File&& other) noexcept;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  H5File& operator=(H5File&&) = delete;

  // Creates the group and any missing parents.
  void create_group(const std::string& path);
  // A scalar variable-length UTF-8 string attribute, as h5py writes a str.
  void set_string_attribute(const std::string& group, const std::string& name,
                            const std::string& value);
  // A contiguous dataset with the tensor's shape; file_dtype chooses the
  // stored type (the data is converted from the tensor's dtype).
  void write_dataset(const std::string& path, const Tensor& value, DType file_dtype);

  // Whether every component of the path exists.
  bool exists(const std::string& path) const;
  bool is_group(const std::string& path) const;
  // The names of the links in a group (its datasets and sub-groups).
  std::vector<std::string> links(const std::string& group) const;

  enum class TypeClass { floating, integer, other };
  struct DatasetInfo {
    Shape shape;
    TypeClass type_class = TypeClass::other;
  };
  // Throws when the path is not a dataset or has an unusual dataspace.
  DatasetInfo dataset_info(const std::string& path) const;
  // Reads the dataset into `out` (whose shape was checked), converting to its dtype.
  void read_dataset(const std::string& path, Tensor& out) const;

  // ---- text attributes, as h5py writes str and bytes values (legacy .h5) ----
  // Whether the object (group or dataset) at `path` has the attribute.
  bool has_attribute(const std::string& path, const std::string& name) const;
  // A string attribute as a list: a scalar gives one entry, a 1-D array one
  // per element; fixed- or variable-length, ASCII or UTF-8 (a fixed-length
  // entry ends at its first NUL). An empty array of any type (h5py writes []
  // as float64) gives none. Throws for another type or shape, and before
  // allocating when the text would take more than max_bytes.
  std::vector<std::string> read_strings_attribute(const std::string& path, const std::string& name,
                                                  std::size_t max_bytes) const;
  // A scalar variable-length string: UTF-8 (h5py's str) or ASCII (bytes).
  void set_text_attribute(const std::string& path, const std::string& name,
                          const std::string& value, bool utf8);
  // A 1-D array of variable-length ASCII strings (h5py's list of bytes); with
  // no values, an empty float64 array (what h5py writes for []).
  void set_strings_attribute(const std::string& path, const std::string& name,
                             const std::vector<std::string>& values);
  // A 1-D array of null-padded fixed-length strings of `width` bytes (a numpy
  // "S" array, as Keras writes the chunks of a long attribute).
  void set_fixed_strings_attribute(const std::string& path, const std::string& name,
                                   const std::vector<std::string>& values, std::size_t width);

  // Flushes and closes; throws on failure (the destructor only closes).
  void close();
  // The bytes of the whole file, after a flush (for in-memory files).
  std::string image();

 private:
  H5File(std::int64_t id, std::string context) : id_(id), context_(std::move(context)) {}
  [[noreturn]] void fail(const std::string& what) const;

  std::int64_t id_ = -1;
  std::string context_;
};

}  // namespace keras::saving
