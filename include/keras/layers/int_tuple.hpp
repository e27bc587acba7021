#pragma once
// The integer arguments the convolution, pooling and reshaping layers share,
// in the forms Keras accepts: one int for every spatial axis or one per axis
// (kernel_size=3 or kernel_size=(3, 1)), and ZeroPadding2D / Cropping2D's
// int, (height, width) or ((top, bottom), (left, right)).
#include <array>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace keras::layers {

// 3 means 3 along every spatial axis; {3, 1} gives each axis its own value.
// Empty (IntTuple() or {}) stands for Keras' None where an argument may be None.
struct IntTuple {
  std::vector<std::int64_t> values;
  IntTuple() = default;
  IntTuple(std::int64_t value) : values{value} {}                       // NOLINT: as Keras' int
  IntTuple(std::initializer_list<std::int64_t> list) : values(list) {}  // NOLINT
  explicit IntTuple(std::vector<std::int64_t> list) : values(std::move(list)) {}
  bool empty() const { return values.empty(); }
};

// ((top, bottom), (left, right)): 1 is ((1, 1), (1, 1)), {1, 2} is
// ((1, 1), (2, 2)), {{1, 2}, {3, 4}} is ((1, 2), (3, 4)).
struct Padding2D {
  std::array<std::array<std::int64_t, 2>, 2> values{};
  Padding2D(std::int64_t value) : Padding2D(IntTuple(value), IntTuple(value)) {}  // NOLINT
  // height: (top, bottom) or one value for both; width likewise.
  Padding2D(const IntTuple& height, const IntTuple& width);
};

}  // namespace keras::layers
