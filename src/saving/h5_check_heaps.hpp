#pragma once
// The heaps of an HDF5 file, for the pre-check (h5_precheck.cpp):
// - a local heap ("HEAP") holds the link names of an old-style group; HDF5
//   1.10.8 walks its free list without a bound and reads names without
//   checking that they end inside the heap;
// - a global heap collection ("GCOL") holds variable-length data, such as
//   the strings of h5py's str attributes; HDF5 1.10.8 copies an object
//   without checking that it fits its collection, reads an object index
//   without checking that it exists, and allocates the length a value
//   claims before reading its object.
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "saving/h5_check_format.hpp"

namespace keras::saving::h5check {

struct LocalHeap {
  std::uint64_t at = 0;       // its header
  std::uint64_t data_at = 0;  // its data segment
  std::uint64_t data_size = 0;

  // The NUL-terminated string at `offset` of the data segment; damaged
  // unless it ends within the segment. `what` names the string.
  std::string_view string_at(const Image& image, std::uint64_t offset, const char* what) const;
};

LocalHeap read_local_heap(const Image& image, Extents& extents, std::uint64_t address);

// The global heap collections met so far, each read once.
class GlobalHeaps {
 public:
  GlobalHeaps(const Image& image, Extents& extents) : image_(image), extents_(extents) {}

  // A variable-length value stored at `at` as (length, collection address,
  // object index): checks that the collection holds that object and that
  // the object has exactly length * element_size bytes. A value with
  // address 0 is HDF5's null value and reads nothing.
  void check_value(std::uint64_t at, std::uint64_t length, std::uint64_t element_size,
                   std::uint64_t address, std::uint32_t index);

 private:
  struct Object {
    std::uint32_t index;
    std::uint64_t size;
  };
  // The objects of the collection at `address`, by index.
  const std::vector<Object>& collection(std::uint64_t address);

  const Image& image_;
  Extents& extents_;
  std::unordered_map<std::uint64_t, std::vector<Object>> collections_;
};

}  // namespace keras::saving::h5check
