#pragma once
// The superblock, for the HDF5 pre-check (h5_precheck.cpp): where it is,
// the widths of addresses and lengths, the base address and end of file
// HDF5 will use, and where the root group is.
#include <cstdint>

#include "saving/h5_check_format.hpp"

namespace keras::saving::h5check {

struct Superblock {
  int version = 0;
  std::uint64_t root = kUndefined;       // address of the root group's object header
  std::uint64_t extension = kUndefined;  // version 2 and 3: superblock extension
};

// Fills in the image's widths, base, end and B-tree K values.
Superblock read_superblock(Image& image, Extents& extents);

}  // namespace keras::saving::h5check
