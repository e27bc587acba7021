#include "saving/h5_check_format.hpp"

#include <iterator>

#include "keras/error.hpp"

namespace keras::saving::h5check {

std::string at_byte(std::uint64_t at) { return " at byte " + std::to_string(at); }

void Image::damaged(const std::string& what) const {
  throw Error(context + ": the HDF5 file is damaged: " + what + ".");
}

void Image::unsupported(const std::string& feature) const {
  throw Error(context + ": the HDF5 file uses " + feature + ", which kerascpp does not read.");
}

std::uint64_t Image::locate(std::uint64_t address, std::uint64_t size, const char* what) const {
  if (address == kUndefined) damaged(std::string(what) + " has no address");
  // Checked so that neither sum can wrap around.
  if (address > end || base > end - address || size > end - base - address) {
    damaged(std::string(what) + " at address " + std::to_string(address) + " (" +
            std::to_string(size) + " bytes) lies outside the file, which ends" + at_byte(end));
  }
  return base + address;
}

Cursor::Cursor(const Image& image, std::uint64_t begin, std::uint64_t end, const char* what)
    : image_(image), begin_(begin), at_(begin), end_(end), what_(what) {}

void Cursor::damaged(const std::string& problem) const {
  image_.damaged(std::string(what_) + at_byte(begin_) + " " + problem);
}

void Cursor::need(std::uint64_t n) {
  if (n > end_ - at_) {
    damaged("runs past its end (" + std::to_string(n) + " more bytes needed at byte " +
            std::to_string(at_) + ", " + std::to_string(end_ - at_) + " left)");
  }
}

std::uint64_t Cursor::number(int width) {
  need(static_cast<std::uint64_t>(width));
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(image_.bytes[at_ + static_cast<std::uint64_t>(i)]);
  }
  at_ += static_cast<std::uint64_t>(width);
  return v;
}

std::uint64_t Cursor::address() {
  const int width = image_.offsets;
  const std::uint64_t v = number(width);
  const std::uint64_t all_ones = width >= 8 ? kUndefined : (std::uint64_t{1} << (8 * width)) - 1;
  return v == all_ones ? kUndefined : v;
}

void Cursor::skip(std::uint64_t n) {
  need(n);
  at_ += n;
}

std::string_view Cursor::take(std::uint64_t n) {
  need(n);
  const std::string_view out = image_.bytes.substr(at_, n);
  at_ += n;
  return out;
}

Cursor Cursor::sub(std::uint64_t n, const char* what) {
  need(n);
  Cursor out(image_, at_, at_ + n, what);
  at_ += n;
  return out;
}

void Extents::claim(std::uint64_t at, std::uint64_t size, const char* what) {
  if (size == 0) return;
  const std::uint64_t end = at + size;  // within the file: no wrap-around
  auto next = by_start_.lower_bound(at);
  const auto overlap = [&](const std::pair<const std::uint64_t, Extent>& other) {
    image_.damaged(std::string(what) + at_byte(at) + " (" + std::to_string(size) +
                   " bytes) overlaps " + other.second.what + at_byte(other.first));
  };
  if (next != by_start_.end() && next->first < end) overlap(*next);
  if (next != by_start_.begin()) {
    const auto previous = std::prev(next);
    if (previous->second.end > at) overlap(*previous);
  }
  by_start_.emplace_hint(next, at, Extent{end, what});
}

std::uint64_t checked_product(const Image& image, std::uint64_t a, std::uint64_t b,
                              const char* what) {
  if (a != 0 && b > kUndefined / a) {
    image.damaged(std::string(what) + " has a size that does not fit in 64 bits (" +
                  std::to_string(a) + " x " + std::to_string(b) + ")");
  }
  return a * b;
}

}  // namespace keras::saving::h5check
