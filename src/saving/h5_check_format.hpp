#pragma once
// The bounds-checked reading the HDF5 structural pre-check (h5_precheck.cpp)
// is built on. HDF5 1.10.8 trusts many sizes and offsets it reads from a
// file; the pre-check reads the same fields first, and every read here is
// checked against the structure it belongs to and the end of the file, so
// damage becomes a keras::Error naming the structure and its byte offset.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace keras::saving::h5check {

// An address field of all ones: "no such object".
inline constexpr std::uint64_t kUndefined = ~std::uint64_t{0};

// " at byte N", for messages.
std::string at_byte(std::uint64_t at);

// The whole file and what its superblock says about reading it. Positions
// called "at" are bytes of the file; "addresses" are what the file stores,
// relative to `base`.
struct Image {
  Image(std::string_view bytes, const std::string& context) : bytes(bytes), context(context) {}

  std::string_view bytes;
  const std::string& context;
  int offsets = 8;         // bytes per address
  int lengths = 8;         // bytes per length
  std::uint64_t base = 0;  // the byte where address 0 is
  std::uint64_t end = 0;   // the byte past the last one HDF5 may read
  // B-tree "K" values: nodes hold up to 2K entries.
  unsigned group_leaf_k = 4;
  unsigned group_internal_k = 16;
  unsigned chunk_k = 32;

  // "<context>: the HDF5 file is damaged: <what>."
  [[noreturn]] void damaged(const std::string& what) const;
  // "<context>: the HDF5 file uses <feature>, which kerascpp does not read."
  [[noreturn]] void unsupported(const std::string& feature) const;
  // Where [address, address + size) starts in the file, after checking that
  // all of it lies within the file; `what` names the structure.
  std::uint64_t locate(std::uint64_t address, std::uint64_t size, const char* what) const;
};

// Reads little-endian fields from [begin, end) of the file; reading past
// `end` reports `what` (e.g. "the attribute message") as damaged.
class Cursor {
 public:
  Cursor(const Image& image, std::uint64_t begin, std::uint64_t end, const char* what);

  std::uint64_t number(int width);
  std::uint8_t u8() { return static_cast<std::uint8_t>(number(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(number(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(number(4)); }
  std::uint64_t u64() { return number(8); }
  // An address (kUndefined when all ones) and a length, in the file's widths.
  std::uint64_t address();
  std::uint64_t length() { return number(image_.lengths); }
  void skip(std::uint64_t n);
  // The next n bytes, as a view into the file.
  std::string_view take(std::uint64_t n);
  // A cursor over the next n bytes, which this one skips.
  Cursor sub(std::uint64_t n, const char* what);

  std::uint64_t begin() const { return begin_; }
  std::uint64_t position() const { return at_; }
  std::uint64_t left() const { return end_ - at_; }
  const Image& image() const { return image_; }
  // "<what> at byte <begin> <problem>".
  [[noreturn]] void damaged(const std::string& problem) const;

 private:
  void need(std::uint64_t n);

  const Image& image_;
  std::uint64_t begin_;
  std::uint64_t at_;
  std::uint64_t end_;
  const char* what_;
};

// The byte ranges of the structures walked so far: two that overlap mean
// damage (addresses pointing into other metadata), which HDF5 1.10.8 does
// not always survive. Also serves as the visited set of structures that
// are reached once only (B-tree nodes, heaps, object header chunks).
class Extents {
 public:
  explicit Extents(const Image& image) : image_(image) {}
  // Records [at, at + size) as `what`; damaged when it overlaps another.
  void claim(std::uint64_t at, std::uint64_t size, const char* what);

 private:
  const Image& image_;
  struct Extent {
    std::uint64_t end;
    const char* what;
  };
  std::map<std::uint64_t, Extent> by_start_;
};

// a * b, or damaged naming `what` when it does not fit in 64 bits.
std::uint64_t checked_product(const Image& image, std::uint64_t a, std::uint64_t b,
                              const char* what);

}  // namespace keras::saving::h5check
