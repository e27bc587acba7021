#include "saving/h5_check_heaps.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace keras::saving::h5check {

namespace {

// The local heap's free-list end marker (H5HL_FREE_NULL).
constexpr std::uint64_t kFreeListEnd = 1;
// Global heap collections: a header of 16 bytes; each object starts with
// index (2), reference count (2), reserved (4) and size, and its data is
// padded to 8 bytes.
constexpr std::uint64_t kCollectionHeader = 16;

std::uint64_t object_header_size(const Image& image) {
  return 8 + static_cast<std::uint64_t>(image.lengths);
}

// The free list must end within as many steps as the heap could hold free
// blocks, each inside the heap: HDF5 1.10.8 walks it with no bound,
// allocating a node per step, and reads each block's two lengths unchecked.
void check_free_list(const Image& image, const LocalHeap& heap, std::uint64_t head) {
  const auto L = static_cast<std::uint64_t>(image.lengths);
  const std::uint64_t max_blocks = heap.data_size / (2 * L) + 1;
  std::uint64_t block = head;
  for (std::uint64_t step = 0; block != kFreeListEnd; ++step) {
    if (step > max_blocks) {
      image.damaged("the free list of the local heap" + at_byte(heap.at) + " loops");
    }
    if (block >= heap.data_size || heap.data_size - block < 2 * L) {
      image.damaged("the free list of the local heap" + at_byte(heap.at) +
                    " names a block at offset " + std::to_string(block) +
                    ", outside its data segment of " + std::to_string(heap.data_size) + " bytes");
    }
    Cursor free_block(image, heap.data_at + block, heap.data_at + heap.data_size,
                      "a free block of a local heap");
    const std::uint64_t next = free_block.length();
    const std::uint64_t size = free_block.length();
    if (next == 0 || size > heap.data_size - block) {
      image.damaged("the free block at offset " + std::to_string(block) + " of the local heap" +
                    at_byte(heap.at) + " is inconsistent");
    }
    block = next;
  }
}

}  // namespace

std::string_view LocalHeap::string_at(const Image& image, std::uint64_t offset,
                                      const char* what) const {
  if (offset < data_size) {
    const std::string_view rest = image.bytes.substr(data_at + offset, data_size - offset);
    const std::size_t nul = rest.find('\0');
    if (nul != std::string_view::npos) return rest.substr(0, nul);
  }
  image.damaged(std::string(what) + " at offset " + std::to_string(offset) + " of the local heap" +
                at_byte(at) + " does not end within the heap's " + std::to_string(data_size) +
                " bytes");
}

// "HEAP", version 0, reserved, data segment size, free-list head, data
// segment address.
LocalHeap read_local_heap(const Image& image, Extents& extents, std::uint64_t address) {
  const std::uint64_t header_size =
      8 + 2 * static_cast<std::uint64_t>(image.lengths) + static_cast<std::uint64_t>(image.offsets);
  LocalHeap heap;
  heap.at = image.locate(address, header_size, "a local heap");
  Cursor header(image, heap.at, heap.at + header_size, "the local heap");
  if (header.take(4) != "HEAP") header.damaged("does not start with HEAP");
  if (header.u8() != 0) header.damaged("has a version other than 0");
  header.skip(3);
  heap.data_size = header.length();
  const std::uint64_t free_head = header.length();
  const std::uint64_t data_address = header.address();
  extents.claim(heap.at, header_size, "a local heap");
  if (heap.data_size == 0) header.damaged("has an empty data segment");
  heap.data_at = image.locate(data_address, heap.data_size, "the data segment of a local heap");
  extents.claim(heap.data_at, heap.data_size, "the data segment of a local heap");
  check_free_list(image, heap, free_head);
  return heap;
}

void GlobalHeaps::check_value(std::uint64_t at, std::uint64_t length, std::uint64_t element_size,
                              std::uint64_t address, std::uint32_t index) {
  if (address == 0) return;  // HDF5's null value (H5T vlen "isnull")
  const std::vector<Object>& objects = collection(address);
  const auto found = std::lower_bound(objects.begin(), objects.end(), index,
                                      [](const Object& o, std::uint32_t i) { return o.index < i; });
  const std::string where = "the variable-length value" + at_byte(at);
  if (index == 0 || found == objects.end() || found->index != index) {
    image_.damaged(where + " names object " + std::to_string(index) +
                   " of the global heap at address " + std::to_string(address) +
                   ", which has no such object");
  }
  // HDF5 allocates length * element_size bytes and copies the whole object
  // into them: the two must agree.
  const std::uint64_t bytes = checked_product(image_, length, element_size, where.c_str());
  if (bytes != found->size) {
    image_.damaged(where + " claims " + std::to_string(bytes) + " bytes, but its object " +
                   std::to_string(index) + " of the global heap at address " +
                   std::to_string(address) + " holds " + std::to_string(found->size));
  }
}

// "GCOL", version 1, reserved, collection size, then objects until the
// end; object 0 is free space and its size counts its header.
const std::vector<GlobalHeaps::Object>& GlobalHeaps::collection(std::uint64_t address) {
  const auto cached = collections_.find(address);
  if (cached != collections_.end()) return cached->second;
  const std::uint64_t at = image_.locate(address, kCollectionHeader, "a global heap collection");
  Cursor header(image_, at, at + kCollectionHeader, "the global heap collection");
  if (header.take(4) != "GCOL") header.damaged("does not start with GCOL");
  if (header.u8() != 1) header.damaged("has a version other than 1");
  header.skip(3);
  const std::uint64_t size = header.length();
  if (size < kCollectionHeader) header.damaged("claims only " + std::to_string(size) + " bytes");
  image_.locate(address, size, "a global heap collection");
  extents_.claim(at, size, "a global heap collection");

  std::vector<Object> objects;
  const std::uint64_t end = at + size;
  const std::uint64_t object_header = object_header_size(image_);
  // As HDF5 reads it: a tail too small for an object header is free space.
  for (std::uint64_t object_at = at + kCollectionHeader; end - object_at >= object_header;) {
    Cursor object(image_, object_at, end, "the global heap collection");
    const std::uint16_t index = object.u16();
    object.skip(2 + 4);  // reference count, reserved
    const std::uint64_t object_size = object.length();
    std::uint64_t need = object_size;
    if (index != 0) {
      need = object_size > kUndefined - object_header - 7
                 ? kUndefined
                 : object_header + ((object_size + 7) & ~std::uint64_t{7});
      objects.push_back({index, object_size});
    }
    if (need == 0) {  // HDF5 would step to the same object forever
      image_.damaged("object 0 of the global heap" + at_byte(at) + " has a size of 0");
    }
    if (need > end - object_at) {
      image_.damaged("object " + std::to_string(index) + " of the global heap" + at_byte(at) +
                     " claims " + std::to_string(object_size) + " bytes, more than the heap holds");
    }
    object_at += need;
  }
  std::sort(objects.begin(), objects.end(),
            [](const Object& a, const Object& b) { return a.index < b.index; });
  for (std::size_t i = 1; i < objects.size(); ++i) {
    if (objects[i].index == objects[i - 1].index) {
      image_.damaged("the global heap" + at_byte(at) + " holds object " +
                     std::to_string(objects[i].index) + " twice");
    }
  }
  return collections_.emplace(address, std::move(objects)).first->second;
}

}  // namespace keras::saving::h5check
