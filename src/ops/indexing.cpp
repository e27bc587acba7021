// Gathering by integer indices: take and one_hot.
#include <cstring>

#include "backend/cpu/parallel.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;

// The indices as an int64 tensor of shape (count,) in [0, n), negative ones
// counted from the end; throws for an index outside [-n, n). A tensor, not a
// std::vector, so its memory comes from the tensor allocator's cache.
Tensor checked_indices(const char* op, const Tensor& indices, std::int64_t n, int axis,
                       const Shape& x_shape) {
  if (indices.dtype() != DType::int32 && indices.dtype() != DType::int64 &&
      indices.dtype() != DType::uint8) {
    throw Error(std::string("ops.") + op + " needs integer indices (int32 or int64), got dtype " +
                std::string(dtype_name(indices.dtype())) + ".");
  }
  const std::int64_t count = indices.size();
  Tensor out = Tensor::empty(Shape{count}, DType::int64);
  std::int64_t* idx = out.data<std::int64_t>();
  const auto widen = [&](const auto* from) {
    for (std::int64_t k = 0; k < count; ++k) idx[k] = static_cast<std::int64_t>(from[k]);
  };
  if (indices.dtype() == DType::int32) {
    widen(indices.data<std::int32_t>());
  } else if (indices.dtype() == DType::int64) {
    widen(indices.data<std::int64_t>());
  } else {
    widen(indices.data<std::uint8_t>());
  }
  for (std::int64_t k = 0; k < count; ++k) {
    std::int64_t& i = idx[k];
    if (i < -n || i >= n) {
      throw Error(std::string("ops.") + op + ": index " + std::to_string(i) +
                  " is out of range for axis " + std::to_string(axis) + " of shape " +
                  x_shape.to_string() + " (valid: " + std::to_string(-n) + " to " +
                  std::to_string(n - 1) + ").");
    }
    if (i < 0) i += n;
  }
  return out;
}

}  // namespace

Tensor take(const Tensor& x, const Tensor& indices, int axis) {
  check_defined("take", x);
  check_defined("take", indices);
  if (x.rank() == 0) throw Error("ops.take needs a tensor of rank >= 1.");
  const int ax = normalize_axis("take", axis, x.rank());
  const AxisSplit s = split_at_axis(x.shape(), ax);
  const Tensor idx_tensor = checked_indices("take", indices, s.n, axis, x.shape());
  const std::int64_t* idx = idx_tensor.data<std::int64_t>();
  const std::int64_t count = idx_tensor.size();
  // x's axes before `axis`, the indices' axes, then x's axes after `axis`.
  Shape dims = x.shape().slice(0, ax);
  for (std::int64_t d : indices.shape()) dims = dims.append(d);
  for (int i = ax + 1; i < x.rank(); ++i) dims = dims.append(x.shape()[i]);
  Tensor y = Tensor::empty(dims, x.dtype());
  const std::size_t row = static_cast<std::size_t>(s.inner) * dtype_size(x.dtype());
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(y.raw_data());
  backend::cpu::parallel_for(s.outer * count, s.inner / 4 + 1, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t q = b; q < e; ++q) {
      const std::int64_t o = q / count, k = q % count;
      std::memcpy(dst + q * row, src + (o * s.n + idx[k]) * row, row);
    }
  });
  if (autodiff::is_recording() && is_floating(x.dtype())) {
    const Shape x_shape = x.shape();
    autodiff::record({x, indices}, {y},
                     [x_shape, idx_tensor, s, count](const Grads& g, const Needs&) {
                       const std::int64_t* idx = idx_tensor.data<std::int64_t>();
                       // Scatter-add: rows taken several times collect several gradients.
                       Tensor dx = Tensor::zeros(x_shape, g[0].dtype());
                       visit_float(dx.dtype(), "take", [&]<class T>() {
                         const T* pg = g[0].data<T>();
                         T* pd = dx.data<T>();
                         for (std::int64_t o = 0; o < s.outer; ++o) {
                           for (std::int64_t k = 0; k < count; ++k) {
                             const T* gr = pg + (o * count + k) * s.inner;
                             T* dr = pd + (o * s.n + idx[k]) * s.inner;
                             for (std::int64_t j = 0; j < s.inner; ++j) dr[j] += gr[j];
                           }
                         }
                       });
                       return Grads{dx, Tensor()};
                     });
  }
  return y;
}

Tensor one_hot(const Tensor& indices, std::int64_t num_classes, DType dtype) {
  check_defined("one_hot", indices);
  if (num_classes < 0) throw Error("ops.one_hot: num_classes must not be negative.");
  if (is_floating(indices.dtype()) || indices.dtype() == DType::bool_) {
    throw Error("ops.one_hot needs integer indices, got dtype " +
                std::string(dtype_name(indices.dtype())) + ".");
  }
  const Tensor idx = indices.dtype() == DType::int64 ? indices : indices.astype(DType::int64);
  const std::int64_t* index = idx.data<std::int64_t>();
  Tensor y = Tensor::zeros(indices.shape().append(num_classes), dtype);
  visit_all(dtype, [&]<class T>() {
    T* out = y.data<T>();
    for (std::int64_t i = 0; i < idx.size(); ++i) {
      // An index outside [0, num_classes) gives a row of zeros, as in Keras.
      if (index[i] >= 0 && index[i] < num_classes) out[i * num_classes + index[i]] = T(1);
    }
  });
  return y;
}

}  // namespace keras::ops
