#pragma once
// Helpers shared by the files of keras::ops: dtype dispatch, shape checks and
// broadcasting. Internal to the library.
#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/tape.hpp"
#include "keras/ops.hpp"
#include "keras/tensor.hpp"

namespace keras::ops::detail {

[[noreturn]] void throw_dtype(const char* op, DType got, const char* expected);
void check_defined(const char* op, const Tensor& x);

// Calls f.template operator()<T>() with T the C++ type of dtype; the
// visit_* variants accept floating types, numeric (non-bool) types, or all.
template <class F>
decltype(auto) visit_float(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::float32: return f.template operator()<float>();
    case DType::float64: return f.template operator()<double>();
    default: throw_dtype(op, dtype, "float32 or float64");
  }
}

template <class F>
decltype(auto) visit_numeric(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::float32: return f.template operator()<float>();
    case DType::float64: return f.template operator()<double>();
    case DType::int32: return f.template operator()<std::int32_t>();
    case DType::int64: return f.template operator()<std::int64_t>();
    case DType::uint8: return f.template operator()<std::uint8_t>();
    default: throw_dtype(op, dtype, "a numeric dtype");
  }
}

template <class F>
decltype(auto) visit_all(DType dtype, F&& f) {
  switch (dtype) {
    case DType::float32: return f.template operator()<float>();
    case DType::float64: return f.template operator()<double>();
    case DType::int32: return f.template operator()<std::int32_t>();
    case DType::int64: return f.template operator()<std::int64_t>();
    case DType::uint8: return f.template operator()<std::uint8_t>();
    case DType::bool_: return f.template operator()<bool>();
  }
  return f.template operator()<float>();
}

// numpy's broadcasting of two shapes; throws naming the op and both shapes.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Brings two operands to one dtype: a 0-d float tensor adapts to a float
// partner's dtype (recorded, so gradients reach it); anything else must match.
void unify_dtypes(const char* op, Tensor& a, Tensor& b);

// Maps a possibly negative axis into [0, rank), or throws naming the op.
int normalize_axis(const char* op, int axis, int rank);
// A bit mask of the reduced axes (empty = all), validated.
unsigned axes_mask(const char* op, const std::vector<int>& axes, int rank);

// ops::sum over one axis, or over the axes whose bit is set in mask (not
// empty), without a std::vector of axes (hot loops).
Tensor sum_axis(const Tensor& x, int axis, bool keepdims = false);
Tensor sum_over_mask(const Tensor& x, unsigned mask, bool keepdims = false);

// The axes whose bit is set in mask.
std::vector<int> reduced_axes(unsigned mask, int rank);

// Sums a gradient of a broadcast shape down to `shape` (not recorded).
Tensor sum_to_shape(const Tensor& grad, const Shape& shape);

// (outer, n, inner) sizes of x around one axis.
struct AxisSplit {
  std::int64_t outer = 1, n = 1, inner = 1;
};
AxisSplit split_at_axis(const Shape& shape, int axis);

std::string shape_list(const std::vector<Tensor>& xs);

}  // namespace keras::ops::detail
