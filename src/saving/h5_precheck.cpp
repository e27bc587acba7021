#include "saving/h5_precheck.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "keras/error.hpp"

namespace keras::saving {

namespace {

constexpr std::string_view kSignature{"\x89HDF\r\n\x1a\n", 8};
// The free-list end marker of a local heap (H5HL_FREE_NULL).
constexpr std::uint64_t kFreeListEnd = 1;

std::uint64_t little_endian(std::string_view bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return v;
}

// What the superblock says about addresses: their width, the width of
// lengths, and the base address they are relative to.
struct Layout {
  int offsets = 0;
  int lengths = 0;
  std::uint64_t base = 0;
};

// HDF5 looks for the superblock at byte 0, 512, 1024, 2048, ...; false when
// there is none or it is not one HDF5 could read (left to HDF5 to report).
bool read_layout(std::string_view bytes, Layout& layout) {
  std::size_t at = 0;
  while (at < bytes.size() && bytes.substr(at, 8) != kSignature) at = at == 0 ? 512 : 2 * at;
  if (at >= bytes.size() || bytes.size() - at < 40) return false;
  const int version = static_cast<unsigned char>(bytes[at + 8]);
  if (version > 3) return false;
  const std::size_t widths = at + (version <= 1 ? 13 : 9);
  layout.offsets = static_cast<unsigned char>(bytes[widths]);
  layout.lengths = static_cast<unsigned char>(bytes[widths + 1]);
  auto valid = [](int w) { return w == 2 || w == 4 || w == 8; };
  if (!valid(layout.offsets) || !valid(layout.lengths)) return false;
  const std::size_t base_at = at + (version == 0 ? 24 : version == 1 ? 28 : 12);
  if (bytes.size() - base_at < static_cast<std::size_t>(layout.offsets)) return false;
  layout.base = little_endian(bytes, base_at, layout.offsets);
  return true;
}

// Every local heap ("HEAP", version 0): its free list must end within as
// many steps as the heap could hold free blocks (each takes two lengths).
// A signature found inside other data that does not parse as a heap is
// skipped: HDF5 never reads it as one.
void check_local_heaps(std::string_view bytes, const Layout& layout, const std::string& context) {
  const int lengths = layout.lengths;
  const auto L = static_cast<std::size_t>(lengths);
  const std::size_t header = 8 + 2 * L + static_cast<std::size_t>(layout.offsets);
  for (std::size_t at = bytes.find("HEAP"); at != std::string_view::npos;
       at = bytes.find("HEAP", at + 1)) {
    if (bytes.size() - at < header || bytes[at + 4] != 0) continue;
    const std::uint64_t data_size = little_endian(bytes, at + 8, lengths);
    const std::uint64_t free_head = little_endian(bytes, at + 8 + L, lengths);
    // Addresses count from the base address.
    const std::uint64_t address = little_endian(bytes, at + 8 + 2 * L, layout.offsets);
    if (layout.base > bytes.size() || address > bytes.size() - layout.base) continue;
    const std::uint64_t data_at = layout.base + address;
    if (data_size > bytes.size() - data_at) continue;
    const std::uint64_t max_blocks = data_size / (2 * L) + 1;
    std::uint64_t block = free_head;
    for (std::uint64_t step = 0; block != kFreeListEnd; ++step) {
      // HDF5 rejects a block outside the heap by itself.
      if (block >= data_size || data_size - block < 2 * L) break;
      if (step > max_blocks) {
        throw Error(context + ": the HDF5 file is damaged: the free list of the local heap at "
                    "byte " + std::to_string(at) + " loops.");
      }
      block = little_endian(bytes, static_cast<std::size_t>(data_at + block), lengths);
    }
  }
}

// Every global heap collection ("GCOL", version 1: where variable-length
// strings live, e.g. the attributes of legacy .h5 models): each object must
// fit in what is left of its collection. HDF5 1.10.8 skips past the end on a
// larger size, then copies that many bytes when the object is read.
void check_global_heaps(std::string_view bytes, int lengths, const std::string& context) {
  const auto L = static_cast<std::size_t>(lengths);
  const std::size_t header = 8 + L;      // signature, version, reserved, collection size
  const std::size_t object_header = 8 + L;  // index, references, reserved, size
  for (std::size_t at = bytes.find("GCOL"); at != std::string_view::npos;
       at = bytes.find("GCOL", at + 1)) {
    if (bytes.size() - at < header || bytes[at + 4] != 1) continue;
    const std::uint64_t size = little_endian(bytes, at + 8, lengths);
    if (size < header || size > bytes.size() - at) continue;  // HDF5 cannot load it
    const std::size_t end = at + static_cast<std::size_t>(size);
    std::size_t object = at + header;
    while (end - object >= object_header) {
      const std::uint64_t index = little_endian(bytes, object, 2);
      const std::uint64_t object_size = little_endian(bytes, object + 8, lengths);
      // Object 0 is the free space, its size counting its header; the others
      // are followed by their data, padded to 8 bytes.
      std::uint64_t need = object_size;
      if (index != 0) {
        need = object_size > UINT64_MAX - object_header - 7
                   ? UINT64_MAX
                   : object_header + ((object_size + 7) & ~std::uint64_t{7});
      }
      if (need == 0 || need > end - object) {
        throw Error(context + ": the HDF5 file is damaged: object " + std::to_string(index) +
                    " of the global heap at byte " + std::to_string(at) + " claims " +
                    std::to_string(object_size) + " bytes, more than the heap holds.");
      }
      object += static_cast<std::size_t>(need);
    }
  }
}

}  // namespace

void check_hdf5_bytes(std::string_view bytes, const std::string& context) {
  Layout layout;
  if (!read_layout(bytes, layout)) return;
  check_local_heaps(bytes, layout, context);
  check_global_heaps(bytes, layout.lengths, context);
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
