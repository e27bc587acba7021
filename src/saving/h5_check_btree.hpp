#pragma once
// Version 1 B-trees ("TREE"), for the HDF5 pre-check (h5_precheck.cpp): the
// index of an old-style group's symbol nodes (type 0) and of a dataset's
// chunks (type 1). Each node is read whole (HDF5 reads room for 2K
// entries), holds at most 2K entries, sits one level below its parent, and
// is linked to its neighbours on its level as HDF5 links them; HDF5 1.10.8
// follows child and sibling addresses without such checks.
#include <cstdint>
#include <vector>

#include "saving/h5_check_format.hpp"

namespace keras::saving::h5check {

class BtreeWalk {
 public:
  // node_type: 0 (group) or 1 (chunks); key_size: bytes per key; k: the
  // file's K value for this kind of tree.
  BtreeWalk(const Image& image, Extents& extents, int node_type, std::uint64_t key_size, unsigned k,
            const char* what);

  struct Node {
    Cursor cursor;  // at the first key; keys and children alternate
    int level;
    std::uint16_t entries;
  };
  // The node at `address`; expected_level is -1 for the root.
  Node open(std::uint64_t address, int expected_level);
  // Once the whole tree is walked (children left to right): each level's
  // nodes are linked left to right, the ends to nothing.
  void check_siblings() const;

 private:
  struct Links {
    std::uint64_t address;
    std::uint64_t left;
    std::uint64_t right;
  };

  const Image& image_;
  Extents& extents_;
  int node_type_;
  std::uint64_t node_size_;
  std::uint64_t max_entries_;
  const char* what_;
  std::vector<std::vector<Links>> levels_;
};

}  // namespace keras::saving::h5check
