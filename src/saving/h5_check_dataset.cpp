#include "saving/h5_check_dataset.hpp"

#define ZLIB_CONST
#include <zlib.h>

#include <array>
#include <string>
#include <string_view>

#include "saving/h5_check_btree.hpp"

namespace keras::saving::h5check {

namespace {

enum LayoutClass : std::uint8_t { kCompact = 0, kContiguous = 1, kChunked = 2, kVirtual = 3 };

// What the chunked layout says about one chunk.
struct Chunking {
  int dims = 0;                            // dataset rank + 1 (the last is the value size)
  std::array<std::uint64_t, 33> extent{};  // the chunk's dimensions
  std::uint64_t bytes = 0;                 // bytes of an unfiltered chunk
  Pipeline pipeline;
  const Dataspace* space = nullptr;
};

// The chunks of a B-tree, left to right, must lie on the chunk grid within
// the dataset, each at other coordinates than the last: so they are no
// more than the dataset holds, and HDF5 reads each of them at most once.
class ChunkGrid {
 public:
  explicit ChunkGrid(const Chunking& chunking) : chunking_(chunking) {}

  void check_next(Cursor& cursor) {
    std::array<std::uint64_t, 33> offsets{};
    const int dims = chunking_.dims;
    for (int d = 0; d < dims; ++d) offsets[d] = cursor.u64();
    for (int d = 0; d < dims; ++d) {
      const std::uint64_t limit = d + 1 < dims ? chunking_.space->dims[d] : 1;
      if (offsets[d] % chunking_.extent[d] != 0 || offsets[d] >= limit) {
        cursor.damaged("has a chunk at offset " + std::to_string(offsets[d]) + " of dimension " +
                       std::to_string(d) + ", off the grid of the dataset's chunks");
      }
    }
    if (any_ && !(previous_ < offsets)) cursor.damaged("lists its chunks out of order");
    previous_ = offsets;
    any_ = true;
  }

 private:
  const Chunking& chunking_;
  std::array<std::uint64_t, 33> previous_{};
  bool any_ = false;
};

// A gzip chunk must not inflate to more than a chunk (plus its checksums):
// HDF5 1.10.8 grows its buffer for as long as the stream goes on, up to
// about 1000 times the stored size. Inflates into a scratch buffer; a
// stream zlib cannot read is left for HDF5 to report.
void check_inflated_size(const Image& image, std::uint64_t at, std::uint64_t size,
                         const Chunking& chunking) {
  const std::uint64_t limit =
      chunking.bytes + 4 * static_cast<std::uint64_t>(chunking.pipeline.checksums);
  z_stream stream{};
  if (size > 0xFFFFFFFFu || inflateInit(&stream) != Z_OK) return;
  stream.next_in = reinterpret_cast<const Bytef*>(image.bytes.data() + at);
  stream.avail_in = static_cast<uInt>(size);
  unsigned char scratch[16384];
  std::uint64_t inflated = 0;
  int status = Z_OK;
  while (status == Z_OK && inflated <= limit) {
    stream.next_out = scratch;
    stream.avail_out = sizeof scratch;
    status = inflate(&stream, Z_NO_FLUSH);
    inflated += sizeof scratch - stream.avail_out;
  }
  inflateEnd(&stream);
  if (inflated > limit) {
    image.damaged("the gzip chunk" + at_byte(at) + " of " + std::to_string(size) +
                  " bytes inflates to more than the " + std::to_string(limit) +
                  " bytes of a chunk");
  }
}

// A stored chunk: within the file, apart from every other structure, of
// the size of a chunk unless filtered, and not inflating past one.
void check_chunk(const Image& image, Extents& extents, const Chunking& chunking,
                 std::uint64_t address, std::uint64_t size, std::uint32_t filter_mask) {
  const std::uint64_t at = image.locate(address, size, "a chunk of a dataset");
  extents.claim(at, size, "a chunk of a dataset");
  const int gzip = chunking.pipeline.gzip;
  if (gzip >= 0 && (filter_mask & (1u << gzip)) == 0) {
    check_inflated_size(image, at, size, chunking);
  }
}

void check_contiguous(const Image& image, Extents& extents, std::uint64_t address,
                      std::uint64_t size) {
  if (address == kUndefined || size == 0) return;  // never written: reads the fill value
  const std::uint64_t at = image.locate(address, size, "the data of a dataset");
  extents.claim(at, size, "the data of a dataset");
}

// The keys of a dataset's B-tree are (chunk size, filter mask, offsets);
// its level 0 children are chunks.
void walk_chunks(BtreeWalk& tree, ChunkGrid& grid, const Image& image, Extents& extents,
                 std::uint64_t address, const Chunking& chunking, int expected_level) {
  BtreeWalk::Node node = tree.open(address, expected_level);
  Cursor& cursor = node.cursor;
  for (std::uint16_t i = 0; i < node.entries; ++i) {
    const std::uint32_t chunk_size = cursor.u32();
    const std::uint32_t filter_mask = cursor.u32();
    if (node.level > 0) {
      cursor.skip(8 * static_cast<std::uint64_t>(chunking.dims));  // offsets
      walk_chunks(tree, grid, image, extents, cursor.address(), chunking, node.level - 1);
      continue;
    }
    grid.check_next(cursor);
    const std::uint64_t child = cursor.address();
    // HDF5 reads a stored chunk of the size its key gives, and decodes an
    // unfiltered one in place.
    if (chunk_size == 0 || (chunking.pipeline.filters == 0 && chunk_size != chunking.bytes)) {
      cursor.damaged("has a chunk of " + std::to_string(chunk_size) + " bytes; its chunks take " +
                     std::to_string(chunking.bytes));
    }
    check_chunk(image, extents, chunking, child, chunk_size, filter_mask);
  }
}

void walk_chunk_btree(const Image& image, Extents& extents, std::uint64_t address,
                      const Chunking& chunking) {
  const std::uint64_t key_size = 8 + 8 * static_cast<std::uint64_t>(chunking.dims);
  BtreeWalk tree(image, extents, 1, key_size, image.chunk_k, "a B-tree node of chunks");
  ChunkGrid grid(chunking);
  walk_chunks(tree, grid, image, extents, address, chunking, -1);
  tree.check_siblings();
}

// The chunk dimensions: each at least 1 and, where the dataset cannot grow,
// at most the dataset's (so a chunk buffer is no larger than the data);
// their product (with the value size) under 4 GiB. HDF5 requires all three
// when it creates a dataset.
Chunking read_chunk_dims(Cursor& cursor, int dims, int width, const Dataset& dataset) {
  if (dims != dataset.space.rank + 1) {
    cursor.damaged("has chunks of " + std::to_string(dims - 1) + " dimensions for a dataset of " +
                   std::to_string(dataset.space.rank));
  }
  Chunking chunking;
  chunking.dims = dims;
  chunking.bytes = 1;
  chunking.pipeline = dataset.pipeline;
  chunking.space = &dataset.space;
  for (int d = 0; d < dims; ++d) {
    const std::uint64_t extent = cursor.number(width);
    if (extent == 0) cursor.damaged("has a chunk dimension of 0");
    const std::uint64_t max = d < dims - 1 ? dataset.space.max_dims[d] : kUndefined;
    if (max != kUndefined && extent > max) {
      cursor.damaged("has chunks of " + std::to_string(extent) + " along dimension " +
                     std::to_string(d) + ", which holds at most " + std::to_string(max));
    }
    if (d == dims - 1 && extent != dataset.type.size) {
      cursor.damaged("has chunks of " + std::to_string(extent) + "-byte values for a datatype of " +
                     std::to_string(dataset.type.size) + " bytes");
    }
    chunking.extent[d] = extent;
    chunking.bytes = checked_product(cursor.image(), chunking.bytes, extent, "a chunk");
    if (chunking.bytes > 0xFFFFFFFFu) cursor.damaged("has chunks of 4 GiB or more");
  }
  return chunking;
}

// Layout versions 1 and 2 (HDF5 1.6 and older): dimensionality, class,
// reserved, [address], dimensions, [value size | compact data].
void check_old_layout(const Image& image, Extents& extents, Cursor& cursor, const Dataset& dataset,
                      std::uint64_t data_bytes) {
  const int dims = cursor.u8();
  const std::uint8_t layout_class = cursor.u8();
  cursor.skip(5);
  if (layout_class > kChunked) cursor.damaged("has unknown layout class");
  const std::uint64_t address = layout_class != kCompact ? cursor.address() : kUndefined;
  if (layout_class == kChunked) {
    const Chunking chunking = read_chunk_dims(cursor, dims, 4, dataset);
    if (address != kUndefined) walk_chunk_btree(image, extents, address, chunking);
    return;
  }
  if (dims < 1 || dims > 33) cursor.damaged("has " + std::to_string(dims) + " dimensions");
  cursor.skip(4 * static_cast<std::uint64_t>(dims));
  if (layout_class == kCompact) {
    if (cursor.u32() != data_bytes) cursor.damaged("holds compact data of the wrong size");
    cursor.skip(data_bytes);
    return;
  }
  check_contiguous(image, extents, address, data_bytes);
}

// Layout version 4's chunked class: flags, dimensionality, the width of
// each dimension, dimensions, index type and its parameters, address.
void check_v4_chunked(const Image& image, Extents& extents, Cursor& cursor,
                      const Dataset& dataset) {
  const std::uint8_t flags = cursor.u8();
  if ((flags & ~0x03) != 0) cursor.damaged("has unknown flags");
  const int dims = cursor.u8();
  const int width = cursor.u8();
  if (width < 1 || width > 8)
    cursor.damaged("has dimensions of " + std::to_string(width) + " bytes");
  const Chunking chunking = read_chunk_dims(cursor, dims, width, dataset);
  const std::uint8_t index = cursor.u8();
  std::uint64_t single_size = chunking.bytes;
  std::uint32_t single_mask = 0;
  const char* signature = nullptr;
  if (index != 1 && chunking.pipeline.filters > 0) {
    // Their stored chunk sizes are in structures the pre-check does not walk.
    image.unsupported("compressed chunks in an HDF5 1.10 chunk index" + at_byte(dataset.at) +
                      " (libver=\"v110\" or newer)");
  }
  switch (index) {
    case 1:  // a single chunk
      if ((flags & 0x02) != 0) {
        single_size = cursor.length();
        single_mask = cursor.u32();
      }
      break;
    case 2: break;  // implicit: chunks in order, no index
    case 3:
      cursor.skip(1);
      signature = "FAHD";
      break;  // fixed array
    case 4:
      cursor.skip(5);
      signature = "EAHD";
      break;  // extensible array
    case 5:
      cursor.skip(6);
      signature = "BTHD";
      break;  // version 2 B-tree
    default: cursor.damaged("has unknown chunk index type " + std::to_string(index));
  }
  const std::uint64_t address = cursor.address();
  if (address == kUndefined) return;
  if (index == 1) {
    if (single_size == 0) cursor.damaged("has a single chunk of 0 bytes");
    check_chunk(image, extents, chunking, address, single_size, single_mask);
    return;
  }
  if (signature == nullptr) {  // implicit: every chunk in order
    check_contiguous(image, extents, address, chunking.bytes);
    return;
  }
  // These indexes carry checksums, which HDF5 verifies before decoding them.
  const std::uint64_t at = image.locate(address, 4, "the chunk index of a dataset");
  if (image.bytes.substr(at, 4) != signature) {
    image.damaged("the chunk index" + at_byte(at) + " does not start with " + signature);
  }
}

}  // namespace

void check_dataset(const Image& image, Extents& extents, const Dataset& dataset) {
  const std::uint64_t data_bytes =
      checked_product(image, dataset.space.elements, dataset.type.size, "a dataset");
  if (dataset.fill.has_value && dataset.fill.size != dataset.type.size) {
    image.damaged("the dataset" + at_byte(dataset.at) + " has a fill value of " +
                  std::to_string(dataset.fill.size) + " bytes for values of " +
                  std::to_string(dataset.type.size));
  }
  Cursor cursor = dataset.layout->data(image, "the data layout message");
  const std::uint8_t version = cursor.u8();
  if (version < 1 || version > 4) cursor.damaged("has version " + std::to_string(version));
  if (version <= 2) {
    check_old_layout(image, extents, cursor, dataset, data_bytes);
    return;
  }
  const std::uint8_t layout_class = cursor.u8();
  switch (layout_class) {
    case kCompact: {
      const std::uint16_t size = cursor.u16();
      cursor.skip(size);
      if (size != data_bytes) {
        cursor.damaged("holds " + std::to_string(size) + " bytes of compact data for " +
                       std::to_string(data_bytes) + " bytes of values");
      }
      break;
    }
    case kContiguous: {
      const std::uint64_t address = cursor.address();
      const std::uint64_t size = cursor.length();
      if (size != data_bytes) {
        cursor.damaged("stores " + std::to_string(size) + " bytes of data for " +
                       std::to_string(data_bytes) + " bytes of values");
      }
      check_contiguous(image, extents, address, size);
      break;
    }
    case kChunked: {
      if (version == 4) {
        check_v4_chunked(image, extents, cursor, dataset);
        break;
      }
      const int dims = cursor.u8();
      const std::uint64_t address = cursor.address();
      const Chunking chunking = read_chunk_dims(cursor, dims, 4, dataset);
      if (address != kUndefined) walk_chunk_btree(image, extents, address, chunking);
      break;
    }
    case kVirtual:
      if (version == 4) image.unsupported("a virtual dataset" + at_byte(dataset.at));
      [[fallthrough]];
    default: cursor.damaged("has unknown layout class " + std::to_string(layout_class));
  }
}

}  // namespace keras::saving::h5check
