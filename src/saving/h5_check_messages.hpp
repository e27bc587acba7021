#pragma once
// Object header messages other than datatypes, dataspaces and data layouts,
// for the HDF5 pre-check (h5_precheck.cpp): each is decoded as HDF5 1.10.8
// decodes it, with every field checked against the message, so that no
// decoder of HDF5's reads past a message or allocates what it does not
// hold.
#include <cstdint>

#include "saving/h5_check_heaps.hpp"
#include "saving/h5_check_object_header.hpp"

namespace keras::saving::h5check {

// An attribute message (versions 1 to 3): its name ends within its name
// field, its datatype and dataspace within theirs, its values within the
// message, and each variable-length value names an object of the right
// size in a global heap.
void check_attribute(const Image& image, const Message& message, GlobalHeaps& heaps);

// Fill value messages, old (type 4) and new (type 5, versions 1 to 3).
struct FillValue {
  bool has_value = false;
  std::uint64_t size = 0;  // bytes of the value
};
FillValue read_fill_value(const Image& image, const Message& message);

// A filter pipeline message; kerascpp reads data through HDF5's deflate
// (gzip), shuffle and Fletcher-32 filters only, gzip at most once.
struct Pipeline {
  int filters = 0;
  int gzip = -1;      // its position in the pipeline, -1 without gzip
  int checksums = 0;  // Fletcher-32 filters: 4 bytes each
};
Pipeline read_filter_pipeline(const Image& image, const Message& message);

// A link message (new-style groups). Returns the address of the object a
// hard link points to, kUndefined for a soft link.
std::uint64_t read_link(const Image& image, const Message& message);

// Link info and attribute info messages: refused when the links or
// attributes are in dense storage (a fractal heap and B-tree), which
// kerascpp does not read.
void check_link_info(const Image& image, const Message& message);
void check_attribute_info(const Image& image, const Message& message);

// The small messages HDF5 decodes with a fixed layout: group info,
// modification times, comment, reference count, B-tree "K" values.
void check_fixed_message(const Image& image, const Message& message);

}  // namespace keras::saving::h5check
