#pragma once
// keras::Shape: a tensor's dimensions. A dimension may be unknown (keras::None),
// as the batch dimension of a symbolic tensor is. Printed exactly as Python
// prints a shape tuple: "(None, 50, 64)", "(4,)", "()".
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace keras {

// An unknown dimension, as Keras' None.
inline constexpr std::int64_t None = -1;

class Shape {
 public:
  static constexpr int kMaxRank = 8;

  Shape() = default;  // the scalar shape ()
  Shape(std::initializer_list<std::int64_t> dims);
  explicit Shape(const std::vector<std::int64_t>& dims);

  int rank() const { return rank_; }
  // Negative axes count from the end, as in Python. Throws on out of range.
  std::int64_t operator[](int axis) const { return dims_[normalize_axis(axis)]; }
  std::int64_t& operator[](int axis) { return dims_[normalize_axis(axis)]; }
  const std::int64_t* begin() const { return dims_.data(); }
  const std::int64_t* end() const { return dims_.data() + rank_; }
  std::vector<std::int64_t> dims() const { return {begin(), end()}; }

  bool is_fully_defined() const;
  // Product of all dimensions; throws keras::Error if one is None.
  std::int64_t num_elements() const;
  // Maps a possibly negative axis into [0, rank); throws keras::Error otherwise.
  int normalize_axis(int axis) const;

  // New shapes derived from this one.
  Shape prepend(std::int64_t dim) const;
  Shape append(std::int64_t dim) const;
  // Adds a last dimension in place (building a shape without a std::vector).
  void push_back(std::int64_t dim);
  Shape slice(int begin, int end) const;  // dims [begin, end), Python-style negatives
  Shape without_batch() const { return slice(1, rank_); }
  Shape with_dim(int axis, std::int64_t dim) const;
  Shape concat(const Shape& other) const;

  std::string to_string() const;

  friend bool operator==(const Shape& a, const Shape& b);
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  std::array<std::int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

}  // namespace keras
