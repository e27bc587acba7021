#pragma once
// A structural check of an HDF5 file's bytes, made before the HDF5 C library
// opens it. Debian 12's HDF5 1.10.8 trusts sizes, offsets and indexes read
// from the file in many places (attribute decoding, global and local heaps,
// B-tree nodes); a damaged file can make it read or write out of bounds,
// loop, or allocate gigabytes (found by fuzzing: fuzz/, scripts/fuzz).
//
// The check walks what HDF5 will follow, from the superblock's root group
// through every object header (and its continuation chunks), attribute,
// group (symbol table B-tree, symbol nodes, local heap, or link messages)
// and dataset (datatype, dataspace, layout, data extents, chunk B-tree),
// and every variable-length value's global heap object. Every address and
// size must lie within the file, every encoding within its message, no two
// structures may overlap, and every loop is bounded. What kerascpp does not
// read (dense link or attribute storage, shared messages, external files or
// links, virtual datasets, filters other than gzip/shuffle/Fletcher-32) is
// refused by name. A keras::Error starting with `context` names what is
// damaged and its byte offset. The walk reads metadata only, never the
// data of a dataset, so it costs little next to reading the file.
#include <string>
#include <string_view>

namespace keras::saving {

// bytes: the whole file.
void check_hdf5_bytes(std::string_view bytes, const std::string& context);
// The same for a file on disk (mapped, not read into memory). A file that
// cannot be mapped is left for HDF5 to report.
void check_hdf5_file(const std::string& path, const std::string& context);

}  // namespace keras::saving
