#include "ops/op_utils.hpp"

namespace keras::ops::detail {

void throw_dtype(const char* op, DType got, const char* expected) {
  throw Error(std::string("ops.") + op + " expects " + expected + " tensors, got dtype " +
              std::string(dtype_name(got)) + ".");
}

void check_defined(const char* op, const Tensor& x) {
  if (!x.defined()) throw Error(std::string("ops.") + op + " received an undefined tensor.");
}

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  if (a == b) return a;
  const int rank = a.rank() > b.rank() ? a.rank() : b.rank();
  Shape out;
  for (int i = 0; i < rank; ++i) {
    const int ia = i - (rank - a.rank()), ib = i - (rank - b.rank());
    const std::int64_t da = ia >= 0 ? a[ia] : 1;
    const std::int64_t db = ib >= 0 ? b[ib] : 1;
    if (da != db && da != 1 && db != 1) {
      throw Error(std::string("ops.") + op + ": shapes " + a.to_string() + " and " +
                  b.to_string() + " cannot be broadcast together (dimension " +
                  std::to_string(i) + " is " + std::to_string(da) + " vs " + std::to_string(db) +
                  "; each must be equal or 1).");
    }
    out.push_back(da == 1 ? db : da);
  }
  return out;
}

void unify_dtypes(const char* op, Tensor& a, Tensor& b) {
  if (a.dtype() == b.dtype()) return;
  if (is_floating(a.dtype()) && is_floating(b.dtype())) {
    if (a.rank() == 0) {
      a = ops::cast(a, b.dtype());
      return;
    }
    if (b.rank() == 0) {
      b = ops::cast(b, a.dtype());
      return;
    }
  }
  throw Error(std::string("ops.") + op + " needs operands of one dtype, got " +
              std::string(dtype_name(a.dtype())) + " " + a.shape().to_string() + " and " +
              std::string(dtype_name(b.dtype())) + " " + b.shape().to_string() +
              "; use ops::cast to convert one of them.");
}

int normalize_axis(const char* op, int axis, int rank) {
  if (axis < -rank || axis >= rank) {
    throw Error(std::string("ops.") + op + ": axis " + std::to_string(axis) +
                " is out of range for a tensor of rank " + std::to_string(rank) + ".");
  }
  return axis < 0 ? axis + rank : axis;
}

unsigned axes_mask(const char* op, const std::vector<int>& axes, int rank) {
  if (axes.empty()) return rank >= 32 ? ~0u : (1u << rank) - 1u;
  unsigned mask = 0;
  for (int axis : axes) {
    const int a = normalize_axis(op, axis, rank);
    if (mask & (1u << a)) {
      throw Error(std::string("ops.") + op + ": axis " + std::to_string(axis) +
                  " is given twice.");
    }
    mask |= 1u << a;
  }
  return mask;
}

std::vector<int> reduced_axes(unsigned mask, int rank) {
  std::vector<int> axes;
  for (int i = 0; i < rank; ++i) {
    if ((mask >> i) & 1u) axes.push_back(i);
  }
  return axes;
}

Tensor sum_to_shape(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  autodiff::PauseRecording pause;
  if (grad.rank() < shape.rank()) return ops::broadcast_to(grad, shape);
  const int extra = grad.rank() - shape.rank();
  unsigned mask = 0;
  for (int i = 0; i < grad.rank(); ++i) {
    if (i < extra || (shape[i - extra] == 1 && grad.shape()[i] != 1)) mask |= 1u << i;
  }
  Tensor g = mask == 0 ? grad : sum_over_mask(grad, mask);
  return g.reshape(shape);
}

AxisSplit split_at_axis(const Shape& shape, int axis) {
  AxisSplit s;
  for (int i = 0; i < shape.rank(); ++i) {
    if (i < axis) s.outer *= shape[i];
    if (i == axis) s.n = shape[i];
    if (i > axis) s.inner *= shape[i];
  }
  return s;
}

std::string shape_list(const std::vector<Tensor>& xs) {
  std::string out;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) out += ", ";
    out += xs[i].defined() ? xs[i].shape().to_string() : "undefined";
  }
  return out;
}

}  // namespace keras::ops::detail
