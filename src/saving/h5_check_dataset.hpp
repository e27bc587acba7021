#pragma once
// Datasets, for the HDF5 pre-check (h5_precheck.cpp): the data layout
// message agrees with the datatype and dataspace, and the data it points
// to lies within the file: contiguous data, compact data within the
// message, chunked data through its index (a version 1 B-tree of chunks,
// each checked; the indexes of HDF5's newer format, which are checksummed,
// by their address and signature).
#include <cstdint>

#include "saving/h5_check_format.hpp"
#include "saving/h5_check_messages.hpp"
#include "saving/h5_check_object_header.hpp"
#include "saving/h5_check_types.hpp"

namespace keras::saving::h5check {

struct Dataset {
  std::uint64_t at = 0;  // its object header
  Datatype type;
  Dataspace space;
  const Message* layout = nullptr;
  FillValue fill;
  Pipeline pipeline;
};

void check_dataset(const Image& image, Extents& extents, const Dataset& dataset);

}  // namespace keras::saving::h5check
