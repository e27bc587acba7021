#pragma once
// Checks made on the raw bytes of an HDF5 file before the HDF5 C library
// opens it, for damage that HDF5 itself does not survive. Found by fuzzing
// (fuzz/fuzz_weights_h5.cpp) with Debian 12's HDF5 1.10.8:
// - a local heap (the names of a group's links) whose free list loops: HDF5
//   walks it forever, allocating a node per step until memory runs out;
// - a global heap collection (variable-length strings) with an object larger
//   than the collection: HDF5 copies that many bytes when reading it.
// Each check costs one pass over the bytes. A keras::Error starting with
// context names what is damaged.
#include <string>
#include <string_view>

namespace keras::saving {

// bytes: the whole file.
void check_hdf5_bytes(std::string_view bytes, const std::string& context);
// The same for a file on disk (mapped, not read into memory). A file that
// cannot be mapped is left for HDF5 to report.
void check_hdf5_file(const std::string& path, const std::string& context);

}  // namespace keras::saving
