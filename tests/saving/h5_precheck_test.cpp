// The structural pre-check of HDF5 files (src/saving/h5_precheck.cpp): the
// files Keras, h5py and kerascpp write pass it (and HDF5 1.10.8 then reads
// them), and each kind of damage to the superblock, object headers, groups
// (B-trees, symbol nodes, local heaps) and datasets is refused with a
// message naming it and its byte offset, before HDF5 sees the file.
// Attributes and global heaps: h5_precheck_attributes_test.cpp.
#include "saving/h5_precheck.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "keras/error.hpp"
#include "keras/tensor.hpp"
#include "saving/h5_file.hpp"
#include "saving/h5_precheck_testing.hpp"
#include "saving/keras_archive.hpp"

namespace {

namespace fs = std::filesystem;
using keras::h5_precheck_testing::contains;
using keras::h5_precheck_testing::find;
using keras::h5_precheck_testing::find_attribute;
using keras::h5_precheck_testing::find_contiguous_layout;
using keras::h5_precheck_testing::get;
using keras::h5_precheck_testing::precheck_error;
using keras::h5_precheck_testing::put;
using keras::h5_precheck_testing::read_fixture;
using keras::h5_precheck_testing::small_file;

constexpr std::uint64_t kFar = std::uint64_t{1} << 40;  // far past the end of any test file
constexpr std::uint64_t kUndefined = ~std::uint64_t{0};
// Superblock version 0 with 8-byte addresses: the root group's symbol table
// entry starts at byte 56, its object header address at byte 64.
constexpr std::size_t kRootHeaderAddress = 64;

// ---- valid files ----

TEST(H5Precheck, KerascppsOwnFilePasses) { EXPECT_EQ(precheck_error(small_file()), ""); }

TEST(H5Precheck, EveryHdf5FileOfTheFixturesPasses) {
  int checked = 0;
  const fs::path root(KERASCPP_FIXTURES_DIR);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string path = entry.path().string();
    const std::string relative = fs::relative(entry.path(), root).string();
    if (relative.rfind("fuzz_regressions", 0) == 0 ||
        relative.find("refused_") != std::string::npos) {
      continue;
    }
    std::string bytes;
    if (entry.path().extension() == ".h5") {
      bytes = read_fixture(relative);
    } else if (entry.path().extension() == ".keras") {
      const auto archive =
          keras::saving::KerasArchive::read(path, path, {{"model.weights.h5", 1 << 30}});
      if (!archive.has("model.weights.h5")) continue;
      bytes = archive.member("model.weights.h5");
    } else {
      continue;
    }
    SCOPED_TRACE(relative);
    EXPECT_EQ(precheck_error(bytes), "");
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

// h5py's layouts (reference/make_hdf5_layouts.py): HDF5's default format,
// the 1.10 format ("OHDR" headers, link messages, version 4 chunk indexes),
// creation order tracking ("OCHK" continuation chunks) and a user block.
TEST(H5Precheck, H5pyLayoutsPassAndHdf5ReadsThem) {
  for (const std::string name : {"valid_default.h5", "valid_v110.h5", "valid_track_order.h5"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(precheck_error(read_fixture("hdf5_layouts/" + name)), "");
    const auto file = keras::saving::H5File::open(
        std::string(KERASCPP_FIXTURES_DIR) + "/hdf5_layouts/" + name, name);
    if (file.exists("/data/gzip")) {  // not in the 1.10 format: see FeaturesKerascppDoesNotRead
      keras::Tensor gzip = keras::Tensor::zeros({40, 10});
      file.read_dataset("/data/gzip", gzip);
      EXPECT_EQ(gzip.to_vector<float>()[399], 399.0f);
    }
    keras::Tensor single = keras::Tensor::zeros({5, 5});
    file.read_dataset("/data/single_chunk", single);
    EXPECT_EQ(single.to_vector<float>()[24], 1.0f);
    keras::Tensor growable = keras::Tensor::zeros({30, 4}, keras::DType::int32);
    file.read_dataset("/data/growable2", growable);
    EXPECT_EQ(growable.to_vector<std::int32_t>()[119], 1);
    EXPECT_EQ(file.read_strings_attribute("/", "weight_names", 1 << 20),
              (std::vector<std::string>{"kernel:0", "bias:0", ""}));
    EXPECT_TRUE(file.exists("/links/soft/dense/vars/0"));
  }
  EXPECT_EQ(precheck_error(read_fixture("hdf5_layouts/valid_userblock.h5")), "");
}

// ---- what kerascpp does not read, refused by name ----

TEST(H5Precheck, FeaturesKerascppDoesNotReadAreNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"refused_dense_links.h5", "uses dense link storage"},
      {"refused_dense_attributes.h5", "uses dense attribute storage"},
      {"refused_external_link.h5", "uses an external link (to another file)"},
      {"refused_external_data.h5", "uses external data files"},
      {"refused_lzf_filter.h5", "uses the HDF5 filter 32000"},
      {"refused_v110_gzip.h5", "uses compressed chunks in an HDF5 1.10 chunk index"},
      {"refused_latest_format.h5", "uses a datatype of version 5"},
  };
  for (const auto& [name, message] : cases) {
    SCOPED_TRACE(name);
    const std::string error = precheck_error(read_fixture("hdf5_layouts/" + name));
    EXPECT_TRUE(contains(error, message));
    EXPECT_TRUE(contains(error, "which kerascpp does not read"));
  }
}

TEST(H5Precheck, GroupsNestedTooDeeplyAreRefused) {
  auto file = keras::saving::H5File::create_in_memory("deep");
  std::string path;
  for (int i = 0; i < 70; ++i) path += "/g";
  file.create_group(path);
  EXPECT_TRUE(contains(precheck_error(file.image()), "groups nested more than 64 deep"));
}

// ---- the superblock ----

TEST(H5Precheck, TruncatedFileIsNamed) {
  std::string bytes = small_file();
  const std::size_t size = bytes.size();
  bytes.resize(size - 100);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "the superblock says the file ends at byte " + std::to_string(size) +
                           ", but it has " + std::to_string(size - 100) + " bytes (truncated?)"));
}

TEST(H5Precheck, MissingOrUnknownSuperblockIsNamed) {
  std::string bytes = small_file();
  bytes[1] = 'X';
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "test.h5: the HDF5 file is damaged: it has no HDF5 superblock"));
  bytes = small_file();
  bytes[8] = 9;
  EXPECT_TRUE(contains(precheck_error(bytes), "uses superblock version 9"));
}

TEST(H5Precheck, RootGroupOutsideTheFileIsNamed) {
  std::string bytes = small_file();
  put(bytes, kRootHeaderAddress, kFar, 8);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "an object header at address 1099511627776 (4 bytes) lies outside the "
                       "file, which ends at byte " +
                           std::to_string(bytes.size())));
}

// ---- object headers ----

TEST(H5Precheck, MessageRunningPastItsChunkIsNamed) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  put(bytes, attribute.message_header + 2, 0xFFF8, 2);
  EXPECT_TRUE(contains(precheck_error(bytes), "has a message of type 12 at byte " +
                                                  std::to_string(attribute.message_header) +
                                                  " whose 65528 bytes run past the chunk's end"));
  put(bytes, attribute.message_header + 2, 15, 2);
  EXPECT_TRUE(contains(precheck_error(bytes), "whose size 15 is not a multiple of 8"));
}

TEST(H5Precheck, ContinuationChunkOverlappingItsHeaderIsNamed) {
  std::string bytes = small_file();
  const std::uint64_t root = get(bytes, kRootHeaderAddress, 8);
  const auto attribute = find_attribute(bytes, "model_config");
  put(bytes, attribute.message_header, 0x10, 2);  // a continuation message...
  put(bytes, attribute.message, root, 8);         // ...to the header it is in
  put(bytes, attribute.message + 8, 16, 8);
  EXPECT_TRUE(contains(precheck_error(bytes), "an object header continuation chunk at byte " +
                                                  std::to_string(root) +
                                                  " (16 bytes) overlaps an object header at byte " +
                                                  std::to_string(root)));
}

TEST(H5Precheck, SharedMessagesAreRefused) {
  std::string bytes = small_file();
  const auto attribute = find_attribute(bytes, "model_config");
  bytes[attribute.message_header + 4] |= 0x02;
  EXPECT_TRUE(
      contains(precheck_error(bytes), "uses a shared object header message (type 12 at byte " +
                                          std::to_string(attribute.message_header) + ")"));
}

// ---- groups: local heaps, B-trees, symbol nodes ----

// "HEAP", version, reserved, data size (8), free list head (8), data address (8).
TEST(H5Precheck, LocalHeapFreeListLoopIsNamed) {
  std::string bytes = small_file();
  const std::size_t heap = find(bytes, "HEAP");
  const std::uint64_t data = get(bytes, heap + 24, 8);
  put(bytes, heap + 16, 8, 8);  // the first free block at offset 8...
  put(bytes, data + 8, 8, 8);   // ...is followed by itself
  put(bytes, data + 16, 16, 8);
  EXPECT_TRUE(contains(precheck_error(bytes), "the free list of the local heap at byte " +
                                                  std::to_string(heap) + " loops"));
}

TEST(H5Precheck, LocalHeapDataOutsideTheFileIsNamed) {
  std::string bytes = small_file();
  const std::size_t heap = find(bytes, "HEAP");
  put(bytes, heap + 24, kFar, 8);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "the data segment of a local heap at address 1099511627776"));
  put(bytes, heap + 8, 0, 8);
  EXPECT_TRUE(contains(precheck_error(bytes), "has an empty data segment"));
}

// The symbol table message (type 0x11, 16 bytes): B-tree and heap addresses.
TEST(H5Precheck, GroupWithoutAHeapIsNamed) {
  std::string bytes = small_file();
  const std::size_t message = find(bytes, std::string_view("\x11\x00\x10\x00", 4)) + 8;
  put(bytes, message + 8, kUndefined, 8);
  EXPECT_TRUE(contains(precheck_error(bytes), "a local heap has no address"));
}

// "SNOD", version, reserved, entry count (2), then entries: name offset,
// object header address, cache type, reserved, scratch pad.
TEST(H5Precheck, LinkNameOutsideItsHeapIsNamed) {
  std::string bytes = small_file();
  const std::size_t node = find(bytes, "SNOD");
  put(bytes, node + 8, 1 << 20, 8);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "a link name at offset 1048576 of the local heap at byte"));
  EXPECT_TRUE(contains(precheck_error(bytes), "does not end within the heap's"));
}

TEST(H5Precheck, SymbolNodeWithTooManyEntriesIsNamed) {
  std::string bytes = small_file();
  const std::size_t node = find(bytes, "SNOD");
  put(bytes, node + 6, 100, 2);
  EXPECT_TRUE(contains(
      precheck_error(bytes),
      "the symbol table node at byte " + std::to_string(node) + " has 100 entries, room for 8"));
}

// "TREE", type, level, entries used (2), left and right siblings.
TEST(H5Precheck, DamagedGroupBtreeNodeIsNamed) {
  const std::string valid = small_file();
  const std::size_t node = find(valid, "TREE");
  std::string bytes = valid;
  bytes[node + 4] = 1;
  EXPECT_TRUE(contains(precheck_error(bytes), "a B-tree node of a group at byte " +
                                                  std::to_string(node) + " has node type 1"));
  bytes = valid;
  put(bytes, node + 6, 100, 2);
  EXPECT_TRUE(contains(precheck_error(bytes), "has 100 entries, room for 32"));
  bytes = valid;
  bytes[node + 5] = 200;
  EXPECT_TRUE(contains(precheck_error(bytes), "has level 200"));
  bytes = valid;
  put(bytes, node + 8, 0, 8);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "has sibling addresses that do not match its neighbours"));
}

// ---- datasets ----

// The float32 dataset of shape (3, 7): 84 bytes of contiguous data.
TEST(H5Precheck, DatasetDataOutsideTheFileIsNamed) {
  std::string bytes = small_file();
  const std::size_t layout = find_contiguous_layout(bytes, 84);
  put(bytes, layout + 2, kFar, 8);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "the data of a dataset at address 1099511627776 (84 bytes) lies outside "
                       "the file"));
}

TEST(H5Precheck, DatasetDataOverlappingMetadataIsNamed) {
  std::string bytes = small_file();
  const std::uint64_t root = get(bytes, kRootHeaderAddress, 8);
  put(bytes, find_contiguous_layout(bytes, 84) + 2, root, 8);
  EXPECT_TRUE(contains(precheck_error(bytes), "the data of a dataset at byte " +
                                                  std::to_string(root) +
                                                  " (84 bytes) overlaps an object header at byte " +
                                                  std::to_string(root)));
}

TEST(H5Precheck, LayoutDisagreeingWithTheValuesIsNamed) {
  std::string bytes = small_file();
  const std::size_t layout = find_contiguous_layout(bytes, 84);
  put(bytes, layout + 10, 80, 8);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "the data layout message at byte " + std::to_string(layout) +
                                          " stores 80 bytes of data for 84 bytes of values"));
}

// IEEE float32 as a datatype message: class 1 version 1, little-endian,
// sign at bit 31, 4 bytes, offset 0, precision 32, exponent at 23 (8 bits),
// mantissa at 0 (23 bits), bias 127.
TEST(H5Precheck, FloatWhoseFieldsLieOutsideItsBitsIsNamed) {
  const std::string valid = small_file();
  const std::size_t type = find(
      valid,
      std::string_view("\x11\x20\x1f\x00\x04\x00\x00\x00\x00\x00\x20\x00\x17\x08\x00\x17", 16));
  std::string bytes = valid;
  bytes[type + 12] = 30;  // exponent at bits 30..37 of 32
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "describes a floating-point number whose sign, exponent or mantissa lies "
                       "outside its bits"));
  bytes = valid;
  put(bytes, type + 10, 64, 2);  // 64 bits of precision in 4 bytes
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "describes a number of 4 bytes whose 64 bits start at bit 0"));
}

// The chunked layout message of valid_default.h5's /data/chunked: float64
// (40, 10) in chunks of (10, 5): version 3, class 2, 3 dimensions, B-tree
// address, then 10, 5, 8.
std::size_t chunked_layout(const std::string& bytes, const std::string& dims) {
  for (std::size_t at = keras::h5_precheck_testing::find(bytes, dims);;
       at = keras::h5_precheck_testing::find(bytes, dims, at + 1)) {
    if (bytes.compare(at - 11, 3, "\x03\x02\x03") == 0) return at - 11;
  }
}

TEST(H5Precheck, ChunksLargerThanTheDatasetAreNamed) {
  std::string bytes = read_fixture("hdf5_layouts/valid_default.h5");
  const std::size_t layout =
      chunked_layout(bytes, std::string("\x0a\0\0\0\x05\0\0\0\x08\0\0\0", 12));
  put(bytes, layout + 11, 50, 4);
  EXPECT_TRUE(contains(precheck_error(bytes),
                       "has chunks of 50 along dimension 0, which holds at most 40"));
  put(bytes, layout + 11, 0, 4);
  EXPECT_TRUE(contains(precheck_error(bytes), "has a chunk dimension of 0"));
}

// A B-tree node of chunks: "TREE", type 1, level, entries, siblings, then
// keys of chunk size (4), filter mask (4) and offsets (8 per dimension,
// here 3), each followed by a chunk address.
TEST(H5Precheck, ChunksOffTheirGridOrOutOfOrderAreNamed) {
  const std::string valid = read_fixture("hdf5_layouts/valid_default.h5");
  std::size_t node = keras::h5_precheck_testing::find(valid, "TREE\x01\x00");
  while (get(valid, node + 6, 2) < 2)
    node = keras::h5_precheck_testing::find(valid, "TREE\x01\x00", node + 1);
  const std::size_t first = node + 24 + 8;  // the first chunk's offsets
  const std::size_t second = first + 8 * 3 + 8 + 8;
  std::string bytes = valid;
  put(bytes, first, 1, 8);
  EXPECT_TRUE(
      contains(precheck_error(bytes),
               "has a chunk at offset 1 of dimension 0, off the grid of the dataset's chunks"));
  bytes = valid;
  bytes.replace(second, 24, valid, first, 24);
  EXPECT_TRUE(contains(precheck_error(bytes), "a B-tree node of chunks at byte " +
                                                  std::to_string(node) +
                                                  " lists its chunks out of order"));
}

// valid_default.h5's /data/gzip: float32 (40, 10) in chunks of (10, 10),
// so 400 bytes each (404 with their Fletcher-32 checksum). Its layout
// message (version 3, chunked, 3 dimensions, B-tree address, dimensions
// 10, 10, 4) made to say 1 x 10: each stored chunk then inflates to more
// than a chunk, which HDF5 1.10.8 would allocate (up to ~1000 times the
// stored size) rather than refuse.
TEST(H5Precheck, GzipChunkInflatingPastAChunkIsNamed) {
  std::string bytes = read_fixture("hdf5_layouts/valid_default.h5");
  const std::size_t layout =
      chunked_layout(bytes, std::string("\x0a\0\0\0\x0a\0\0\0\x04\0\0\0", 12));
  put(bytes, layout + 11, 1, 4);
  EXPECT_TRUE(
      contains(precheck_error(bytes), "bytes inflates to more than the 44 bytes of a chunk"));
}

}  // namespace
