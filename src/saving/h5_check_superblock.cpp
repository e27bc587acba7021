#include "saving/h5_check_superblock.hpp"

#include <string>
#include <string_view>

namespace keras::saving::h5check {

namespace {

constexpr std::string_view kSignature{"\x89HDF\r\n\x1a\n", 8};

// HDF5 looks for the signature at byte 0, 512, 1024, 2048, ...
std::uint64_t find_signature(const Image& image) {
  const std::uint64_t size = image.bytes.size();
  std::uint64_t at = 0;
  while (at < size && image.bytes.substr(at, kSignature.size()) != kSignature) {
    at = at == 0 ? 512 : 2 * at;
  }
  if (at >= size) image.damaged("it has no HDF5 superblock");
  return at;
}

void set_widths(Image& image, int offsets, int lengths) {
  const auto valid = [](int w) { return w == 2 || w == 4 || w == 8; };
  if (!valid(offsets) || !valid(lengths)) {
    image.unsupported("addresses of " + std::to_string(offsets) + " bytes and lengths of " +
                      std::to_string(lengths) + " bytes");
  }
  image.offsets = offsets;
  image.lengths = lengths;
}

// Versions 0 and 1: versions of other structures (all 0), widths, B-tree
// K values, flags, [indexed storage K], then the addresses (base, free
// space, end of file, driver information) and the root group's symbol
// table entry.
void read_v0_fields(Image& image, Cursor& cursor, int version) {
  const std::uint8_t free_space = cursor.u8();
  const std::uint8_t root_entry = cursor.u8();
  cursor.skip(1);
  const std::uint8_t shared_header = cursor.u8();
  if (free_space != 0 || root_entry != 0 || shared_header != 0) {
    cursor.damaged("names structure versions other than 0");
  }
  const int offsets = cursor.u8();
  const int lengths = cursor.u8();
  set_widths(image, offsets, lengths);
  cursor.skip(1);
  image.group_leaf_k = cursor.u16();
  image.group_internal_k = cursor.u16();
  cursor.skip(4);  // file consistency flags
  if (version == 1) {
    image.chunk_k = cursor.u16();
    cursor.skip(2);
  }
  if (image.group_leaf_k == 0 || image.group_internal_k == 0 || image.chunk_k == 0) {
    cursor.damaged("has a B-tree K value of 0");
  }
}

void check_root_entry(Cursor& cursor, Superblock& superblock) {
  cursor.address();  // link name offset: the root has no name
  superblock.root = cursor.address();
  const std::uint32_t cache_type = cursor.u32();
  cursor.skip(4 + 16);  // reserved, scratch pad
  if (cache_type > 1)
    cursor.damaged("has a root group entry of cache type " + std::to_string(cache_type));
}

}  // namespace

Superblock read_superblock(Image& image, Extents& extents) {
  const std::uint64_t at = find_signature(image);
  Cursor cursor(image, at, image.bytes.size(), "the superblock");
  cursor.skip(kSignature.size());
  Superblock superblock;
  superblock.version = cursor.u8();
  if (superblock.version > 3) {
    image.unsupported("superblock version " + std::to_string(superblock.version));
  }
  if (superblock.version <= 1) {
    read_v0_fields(image, cursor, superblock.version);
  } else {
    const int offsets = cursor.u8();
    const int lengths = cursor.u8();
    set_widths(image, offsets, lengths);
    cursor.skip(1);  // flags
  }
  const std::uint64_t stored_base = cursor.address();
  const std::uint64_t extension = cursor.address();
  const std::uint64_t stored_end = cursor.address();
  if (superblock.version <= 1) {
    if (extension != kUndefined) cursor.damaged("of version 0 or 1 names a superblock extension");
    if (cursor.address() != kUndefined) {
      image.unsupported("a driver information block (a family or multi-file layout)");
    }
    check_root_entry(cursor, superblock);
  } else {
    superblock.extension = extension;
    superblock.root = cursor.address();
    cursor.skip(4);  // checksum, verified by HDF5
  }
  if (superblock.root == kUndefined) cursor.damaged("names no root group");
  if (stored_end == kUndefined) cursor.damaged("names no end of file");

  // As HDF5 does: addresses count from where the superblock was found,
  // whatever base it stores, and the stored end of file moves with it.
  image.base = at;
  const std::uint64_t end = stored_end - (stored_base - at);  // wraps as HDF5's does
  if (end > image.bytes.size()) {
    image.damaged("the superblock says the file ends at byte " + std::to_string(end) +
                  ", but it has " + std::to_string(image.bytes.size()) + " bytes (truncated?)");
  }
  if (end < cursor.position()) {
    cursor.damaged("says the file ends at byte " + std::to_string(end) + ", inside the superblock");
  }
  image.end = end;
  extents.claim(at, cursor.position() - at, "the superblock");
  return superblock;
}

}  // namespace keras::saving::h5check
