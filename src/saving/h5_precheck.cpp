#include "saving/h5_precheck.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "saving/h5_check_btree.hpp"
#include "saving/h5_check_dataset.hpp"
#include "saving/h5_check_format.hpp"
#include "saving/h5_check_heaps.hpp"
#include "saving/h5_check_messages.hpp"
#include "saving/h5_check_object_header.hpp"
#include "saving/h5_check_superblock.hpp"
#include "saving/h5_check_types.hpp"

namespace keras::saving {

namespace {

using namespace h5check;

// Keras nests groups a few levels deep (layers/<name>/vars); 64 bounds the
// recursion whatever a file says.
constexpr int kMaxGroupDepth = 64;

// Walks every object reachable from the root group, each once.
class Walker {
 public:
  explicit Walker(Image& image) : image_(image), extents_(image), heaps_(image, extents_) {}

  void walk() {
    const Superblock superblock = read_superblock(image_, extents_);
    if (superblock.extension != kUndefined) superblock_extension(superblock.extension);
    object(superblock.root, 0);
  }

 private:
  void superblock_extension(std::uint64_t address);
  void object(std::uint64_t address, int depth);
  void group_btree(BtreeWalk& tree, std::uint64_t address, const LocalHeap& heap,
                   int expected_level, int depth);
  void symbol_node(std::uint64_t address, const LocalHeap& heap, int depth);

  Image& image_;
  Extents extents_;
  GlobalHeaps heaps_;
  std::unordered_set<std::uint64_t> objects_;
};

// Versions 2 and 3 keep file-wide settings in an object header of their
// own: B-tree K values, and features kerascpp does not read.
void Walker::superblock_extension(std::uint64_t address) {
  const ObjectHeader header = read_object_header(image_, extents_, address);
  for (const Message& message : header.messages) {
    if (message.type == kSharedMessageTable) image_.unsupported("shared object header messages");
    if (message.type == kDriverInfo) {
      image_.unsupported("a driver information message (a family or multi-file layout)");
    }
    if (message.type != kBtreeK) continue;
    Cursor cursor = message.data(image_, "the B-tree K values message");
    if (cursor.u8() != 0) cursor.damaged("has a version other than 0");
    image_.chunk_k = cursor.u16();
    image_.group_internal_k = cursor.u16();
    image_.group_leaf_k = cursor.u16();
    if (image_.chunk_k == 0 || image_.group_internal_k == 0 || image_.group_leaf_k == 0) {
      cursor.damaged("has a K value of 0");
    }
  }
}

// One message of each of these types per object: HDF5 reads the first.
void set_once(const Message*& slot, const Message& message, const ObjectHeader& header,
              const Image& image) {
  if (slot != nullptr) {
    image.damaged("the object header" + at_byte(header.at) + " has two messages of type " +
                  std::to_string(message.type));
  }
  slot = &message;
}

void Walker::object(std::uint64_t address, int depth) {
  if (!objects_.insert(address).second) return;  // a second hard link to it
  if (depth > kMaxGroupDepth) image_.unsupported("groups nested more than 64 deep");
  const ObjectHeader header = read_object_header(image_, extents_, address);
  const Message* datatype = nullptr;
  const Message* dataspace = nullptr;
  const Message* fill = nullptr;
  const Message* fill_old = nullptr;
  const Message* filters = nullptr;
  const Message* symbol_table = nullptr;
  const Message* link_info = nullptr;
  Dataset dataset;
  dataset.at = header.at;
  std::vector<std::uint64_t> children;
  for (const Message& message : header.messages) {
    switch (message.type) {
      case kDatatype: {
        set_once(datatype, message, header, image_);
        Cursor cursor = message.data(image_, "the datatype message");
        dataset.type = read_datatype(cursor);
        break;
      }
      case kDataspace: {
        set_once(dataspace, message, header, image_);
        Cursor cursor = message.data(image_, "the dataspace message");
        dataset.space = read_dataspace(cursor);
        break;
      }
      case kLayout: set_once(dataset.layout, message, header, image_); break;
      case kFillValue: set_once(fill, message, header, image_); break;
      case kFillValueOld: set_once(fill_old, message, header, image_); break;
      case kFilterPipeline:
        set_once(filters, message, header, image_);
        dataset.pipeline = read_filter_pipeline(image_, message);
        break;
      case kAttribute: check_attribute(image_, message, heaps_); break;
      case kAttributeInfo: check_attribute_info(image_, message); break;
      case kLinkInfo:
        set_once(link_info, message, header, image_);
        check_link_info(image_, message);
        break;
      case kLink: {
        const std::uint64_t target = read_link(image_, message);
        if (target != kUndefined) children.push_back(target);
        break;
      }
      case kSymbolTable: set_once(symbol_table, message, header, image_); break;
      case kExternalFiles:
        image_.unsupported("external data files (a dataset stored in other files)" +
                           at_byte(header.at));
      default: check_fixed_message(image_, message); break;
    }
  }
  // HDF5 uses the new fill value message when there is one.
  if (fill_old != nullptr) dataset.fill = read_fill_value(image_, *fill_old);
  if (fill != nullptr) dataset.fill = read_fill_value(image_, *fill);
  if (dataset.layout != nullptr) {
    if (datatype == nullptr || dataspace == nullptr) {
      image_.damaged("the dataset" + at_byte(header.at) + " has no datatype or no dataspace");
    }
    check_dataset(image_, extents_, dataset);
  }
  if (symbol_table != nullptr) {
    Cursor cursor = symbol_table->data(image_, "the symbol table message");
    const std::uint64_t btree = cursor.address();
    const LocalHeap heap = read_local_heap(image_, extents_, cursor.address());
    BtreeWalk tree(image_, extents_, 0, static_cast<std::uint64_t>(image_.lengths),
                   image_.group_internal_k, "a B-tree node of a group");
    group_btree(tree, btree, heap, -1, depth);
    tree.check_siblings();
  }
  for (const std::uint64_t child : children) object(child, depth + 1);
}

// The keys of a group's B-tree are offsets of names in the group's local
// heap; its level 0 children are symbol nodes.
void Walker::group_btree(BtreeWalk& tree, std::uint64_t address, const LocalHeap& heap,
                         int expected_level, int depth) {
  BtreeWalk::Node node = tree.open(address, expected_level);
  for (std::uint16_t i = 0; i < node.entries; ++i) {
    heap.string_at(image_, node.cursor.length(), "the name of a B-tree key");
    const std::uint64_t child = node.cursor.address();
    if (node.level > 0) {
      group_btree(tree, child, heap, node.level - 1, depth);
    } else {
      symbol_node(child, heap, depth);
    }
  }
  heap.string_at(image_, node.cursor.length(), "the name of a B-tree key");
}

// "SNOD", version 1, reserved, entry count, then room for 2 x leaf K
// symbol table entries: link name offset, object header address, cache
// type, reserved, 16-byte scratch pad.
void Walker::symbol_node(std::uint64_t address, const LocalHeap& heap, int depth) {
  const auto O = static_cast<std::uint64_t>(image_.offsets);
  const std::uint64_t capacity = 2 * std::uint64_t{image_.group_leaf_k};
  const std::uint64_t entry_size = 2 * O + 24;
  const std::uint64_t node_size = 8 + capacity * entry_size;
  const std::uint64_t at = image_.locate(address, node_size, "a symbol table node");
  extents_.claim(at, node_size, "a symbol table node");
  Cursor node(image_, at, at + node_size, "the symbol table node");
  if (node.take(4) != "SNOD") node.damaged("does not start with SNOD");
  if (node.u8() != 1) node.damaged("has a version other than 1");
  node.skip(1);
  const std::uint16_t entries = node.u16();
  if (entries > capacity) {
    node.damaged("has " + std::to_string(entries) + " entries, room for " +
                 std::to_string(capacity));
  }
  std::vector<std::uint64_t> children;
  for (std::uint16_t i = 0; i < entries; ++i) {
    heap.string_at(image_, node.address(), "a link name");
    const std::uint64_t header = node.address();
    const std::uint32_t cache_type = node.u32();
    node.skip(4);
    Cursor scratch = node.sub(16, "the scratch pad of a symbol table entry");
    if (cache_type == 2) {  // a soft link: its value is a path in the heap
      heap.string_at(image_, scratch.u32(), "the value of a soft link");
      continue;
    }
    if (cache_type > 2) {
      node.damaged("has an entry of unknown cache type " + std::to_string(cache_type));
    }
    children.push_back(header);
  }
  for (const std::uint64_t child : children) object(child, depth + 1);
}

}  // namespace

void check_hdf5_bytes(std::string_view bytes, const std::string& context) {
  Image image(bytes, context);
  Walker(image).walk();
}

void check_hdf5_file(const std::string& path, const std::string& context) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return;
  try {
    check_hdf5_bytes(std::string_view(static_cast<const char*>(map), size), context);
  } catch (...) {
    ::munmap(map, size);
    throw;
  }
  ::munmap(map, size);
}

}  // namespace keras::saving
