// Shape manipulation: reshape, transpose, expand_dims, squeeze, broadcast_to,
// concatenate, stack, split, slice_axis, repeat, tile, flip. They work on
// every dtype and are differentiable for float tensors. Reshapes are views.
#include <cstring>
#include <numeric>

#include "backend/cpu/elementwise.hpp"
#include "backend/cpu/transpose.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

bool track(const Tensor& y) { return autodiff::is_recording() && is_floating(y.dtype()); }

char* bytes(Tensor& t) { return static_cast<char*>(t.raw_data()); }
const char* bytes(const Tensor& t) { return static_cast<const char*>(t.raw_data()); }

// Copies block rows: for each of `outer` rows, `count` bytes from src (row
// stride src_stride) to dst (row stride dst_stride).
void copy_blocks(const char* src, std::int64_t src_stride, char* dst, std::int64_t dst_stride,
                 std::int64_t outer, std::int64_t count) {
  if (count == 0) return;
  cpu::parallel_for(outer, count / 4 + 1, [&](std::int64_t o0, std::int64_t o1) {
    for (std::int64_t o = o0; o < o1; ++o) {
      std::memcpy(dst + o * dst_stride, src + o * src_stride, static_cast<std::size_t>(count));
    }
  });
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  check_defined("reshape", x);
  if (shape == x.shape()) return x;
  Tensor y = x.reshape(shape);
  if (track(y)) {
    const Shape in_shape = x.shape();
    autodiff::record({x}, {y}, [in_shape](const Grads& g, const Needs&) {
      return Grads{g[0].reshape(in_shape)};
    });
  }
  return y;
}

Tensor transpose(const Tensor& x, const std::vector<int>& axes) {
  check_defined("transpose", x);
  const int rank = x.rank();
  std::vector<int> perm(static_cast<std::size_t>(rank));
  if (axes.empty()) {
    for (int i = 0; i < rank; ++i) perm[i] = rank - 1 - i;
  } else {
    if (static_cast<int>(axes.size()) != rank) {
      throw Error("ops.transpose: axes has " + std::to_string(axes.size()) +
                  " entries but the tensor of shape " + x.shape().to_string() + " has rank " +
                  std::to_string(rank) + ".");
    }
    std::vector<bool> seen(static_cast<std::size_t>(rank), false);
    for (int i = 0; i < rank; ++i) {
      perm[i] = normalize_axis("transpose", axes[i], rank);
      if (seen[perm[i]]) throw Error("ops.transpose: axes repeat axis " + std::to_string(axes[i]) + ".");
      seen[perm[i]] = true;
    }
  }
  std::vector<std::int64_t> dims(static_cast<std::size_t>(rank));
  bool identity = true;
  for (int i = 0; i < rank; ++i) {
    dims[i] = x.shape()[perm[i]];
    identity = identity && perm[i] == i;
  }
  if (identity) return x;
  Tensor y = Tensor::empty(Shape(dims), x.dtype());
  cpu::transpose(x.raw_data(), y.raw_data(), dtype_size(x.dtype()), x.shape(), perm.data());
  if (track(y)) {
    std::vector<int> inverse(static_cast<std::size_t>(rank));
    for (int i = 0; i < rank; ++i) inverse[perm[i]] = i;
    autodiff::record({x}, {y}, [inverse](const Grads& g, const Needs&) {
      return Grads{transpose(g[0], inverse)};
    });
  }
  return y;
}

Tensor expand_dims(const Tensor& x, int axis) {
  check_defined("expand_dims", x);
  const int ax = normalize_axis("expand_dims", axis, x.rank() + 1);
  std::vector<std::int64_t> dims = x.shape().dims();
  dims.insert(dims.begin() + ax, 1);
  return reshape(x, Shape(dims));
}

Tensor squeeze(const Tensor& x, std::optional<int> axis) {
  check_defined("squeeze", x);
  std::vector<std::int64_t> dims;
  if (axis) {
    const int ax = normalize_axis("squeeze", *axis, x.rank());
    if (x.shape()[ax] != 1) {
      throw Error("ops.squeeze: axis " + std::to_string(*axis) + " of shape " +
                  x.shape().to_string() + " has size " + std::to_string(x.shape()[ax]) +
                  ", not 1.");
    }
    for (int i = 0; i < x.rank(); ++i) {
      if (i != ax) dims.push_back(x.shape()[i]);
    }
  } else {
    for (std::int64_t d : x.shape()) {
      if (d != 1) dims.push_back(d);
    }
  }
  return reshape(x, Shape(dims));
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  check_defined("broadcast_to", x);
  bool ok = x.rank() <= shape.rank();
  for (int i = 0; ok && i < x.rank(); ++i) {
    const std::int64_t d = x.shape()[i], t = shape[i + shape.rank() - x.rank()];
    ok = d == t || d == 1;
  }
  if (!ok || !shape.is_fully_defined()) {
    throw Error("ops.broadcast_to: cannot broadcast shape " + x.shape().to_string() + " to " +
                shape.to_string() + " (trailing dimensions must be equal or 1).");
  }
  if (shape == x.shape()) return x;
  Tensor y = Tensor::empty(shape, x.dtype());
  if (y.size() > 0) {
    visit_all(x.dtype(), [&]<class T>() {
      cpu::broadcast_copy(x.shape(), x.data<T>(), shape, y.data<T>());
    });
  }
  if (track(y)) {
    const Shape in_shape = x.shape();
    autodiff::record({x}, {y}, [in_shape](const Grads& g, const Needs&) {
      return Grads{sum_to_shape(g[0], in_shape)};
    });
  }
  return y;
}

Tensor concatenate(const std::vector<Tensor>& xs, int axis) {
  if (xs.empty()) throw Error("ops.concatenate needs at least one tensor.");
  for (const Tensor& x : xs) check_defined("concatenate", x);
  const Tensor& first = xs[0];
  if (first.rank() == 0) throw Error("ops.concatenate cannot join 0-d tensors; use ops::stack.");
  const int ax = normalize_axis("concatenate", axis, first.rank());
  std::int64_t total = 0;
  for (const Tensor& x : xs) {
    bool ok = x.rank() == first.rank() && x.dtype() == first.dtype();
    for (int i = 0; ok && i < x.rank(); ++i) ok = i == ax || x.shape()[i] == first.shape()[i];
    if (!ok) {
      throw Error("ops.concatenate along axis " + std::to_string(axis) +
                  " needs tensors of one dtype whose other dimensions match, got shapes " +
                  shape_list(xs) + " (dtypes " + std::string(dtype_name(first.dtype())) + ", " +
                  std::string(dtype_name(x.dtype())) + ").");
    }
    total += x.shape()[ax];
  }
  if (xs.size() == 1) return first;
  Tensor y = Tensor::empty(first.shape().with_dim(ax, total), first.dtype());
  const AxisSplit s = split_at_axis(y.shape(), ax);
  const std::int64_t elem = static_cast<std::int64_t>(dtype_size(first.dtype()));
  std::int64_t offset = 0;
  std::vector<std::int64_t> sizes;
  for (const Tensor& x : xs) {
    const std::int64_t block = x.shape()[ax] * s.inner * elem;
    copy_blocks(bytes(x), block, bytes(y) + offset, s.n * s.inner * elem, s.outer, block);
    offset += block;
    sizes.push_back(x.shape()[ax]);
  }
  if (track(y)) {
    autodiff::record(autodiff::TensorList(xs.begin(), xs.end()), {y},
                     [sizes, ax](const Grads& g, const Needs&) {
      const std::vector<Tensor> parts = split_sizes(g[0], sizes, ax);
      return Grads(parts.begin(), parts.end());
    });
  }
  return y;
}

Tensor stack(const std::vector<Tensor>& xs, int axis) {
  if (xs.empty()) throw Error("ops.stack needs at least one tensor.");
  for (const Tensor& x : xs) {
    check_defined("stack", x);
    if (x.shape() != xs[0].shape()) {
      throw Error("ops.stack needs tensors of one shape, got " + shape_list(xs) + ".");
    }
  }
  const int ax = normalize_axis("stack", axis, xs[0].rank() + 1);
  std::vector<Tensor> expanded;
  expanded.reserve(xs.size());
  for (const Tensor& x : xs) expanded.push_back(expand_dims(x, ax));
  if (expanded.size() == 1) return expanded[0];
  return concatenate(expanded, ax);
}

std::vector<Tensor> split_sizes(const Tensor& x, const std::vector<std::int64_t>& sizes,
                                int axis) {
  check_defined("split", x);
  if (x.rank() == 0) throw Error("ops.split needs a tensor of rank >= 1.");
  const int ax = normalize_axis("split", axis, x.rank());
  std::int64_t total = 0;
  for (std::int64_t s : sizes) {
    if (s < 0) throw Error("ops.split: sizes must not be negative.");
    total += s;
  }
  if (total != x.shape()[ax]) {
    throw Error("ops.split: the sizes sum to " + std::to_string(total) + " but axis " +
                std::to_string(axis) + " of shape " + x.shape().to_string() + " has " +
                std::to_string(x.shape()[ax]) + " elements.");
  }
  const AxisSplit s = split_at_axis(x.shape(), ax);
  const std::int64_t elem = static_cast<std::int64_t>(dtype_size(x.dtype()));
  std::vector<Tensor> ys;
  std::int64_t offset = 0;
  for (std::int64_t size : sizes) {
    Tensor y = Tensor::empty(x.shape().with_dim(ax, size), x.dtype());
    const std::int64_t block = size * s.inner * elem;
    copy_blocks(bytes(x) + offset, s.n * s.inner * elem, bytes(y), block, s.outer, block);
    offset += block;
    ys.push_back(y);
  }
  if (track(x)) {
    autodiff::record({x}, autodiff::TensorList(ys.begin(), ys.end()), [ax](const Grads& g,
                                                                       const Needs&) {
      return Grads{concatenate(std::vector<Tensor>(g.begin(), g.end()), ax)};
    });
  }
  return ys;
}

std::vector<Tensor> split(const Tensor& x, int sections, int axis) {
  check_defined("split", x);
  if (x.rank() == 0) throw Error("ops.split needs a tensor of rank >= 1.");
  const int ax = normalize_axis("split", axis, x.rank());
  const std::int64_t n = x.shape()[ax];
  if (sections <= 0 || n % sections != 0) {
    throw Error("ops.split: axis " + std::to_string(axis) + " of shape " + x.shape().to_string() +
                " (" + std::to_string(n) + " elements) cannot be split into " +
                std::to_string(sections) + " equal sections.");
  }
  return split_sizes(x, std::vector<std::int64_t>(static_cast<std::size_t>(sections), n / sections),
                     ax);
}

Tensor slice_axis(const Tensor& x, int axis, std::int64_t start, std::int64_t length) {
  check_defined("slice_axis", x);
  if (x.rank() == 0) throw Error("ops.slice_axis needs a tensor of rank >= 1.");
  const int ax = normalize_axis("slice_axis", axis, x.rank());
  const std::int64_t n = x.shape()[ax];
  if (start < 0 || length < 0 || start + length > n) {
    throw Error("ops.slice_axis: elements [" + std::to_string(start) + ", " +
                std::to_string(start + length) + ") are out of range for axis " +
                std::to_string(axis) + " of shape " + x.shape().to_string() + ".");
  }
  if (start == 0 && length == n) return x;
  const AxisSplit s = split_at_axis(x.shape(), ax);
  Tensor y;
  if (s.outer == 1) {
    // A contiguous stretch: a view on the same storage.
    y = x.reshape(Shape{n, s.inner}).slice_rows(start, start + length).reshape(
        x.shape().with_dim(ax, length));
  } else {
    y = Tensor::empty(x.shape().with_dim(ax, length), x.dtype());
    const std::int64_t elem = static_cast<std::int64_t>(dtype_size(x.dtype()));
    copy_blocks(bytes(x) + start * s.inner * elem, n * s.inner * elem, bytes(y),
                length * s.inner * elem, s.outer, length * s.inner * elem);
  }
  if (track(y)) {
    const Shape in_shape = x.shape();
    autodiff::record({x}, {y}, [in_shape, ax, start, length](const Grads& g, const Needs&) {
      // The gradient lands in the sliced stretch; zeros elsewhere.
      std::vector<Tensor> parts;
      const std::int64_t n = in_shape[ax];
      if (start > 0) parts.push_back(Tensor::zeros(in_shape.with_dim(ax, start), g[0].dtype()));
      parts.push_back(g[0]);
      if (start + length < n) {
        parts.push_back(Tensor::zeros(in_shape.with_dim(ax, n - start - length), g[0].dtype()));
      }
      return Grads{concatenate(parts, ax)};
    });
  }
  return y;
}

Tensor repeat(const Tensor& x, std::int64_t repeats, int axis) {
  check_defined("repeat", x);
  if (repeats < 0) throw Error("ops.repeat: repeats must not be negative.");
  if (x.rank() == 0) throw Error("ops.repeat needs a tensor of rank >= 1 (or reshape it first).");
  const int ax = normalize_axis("repeat", axis, x.rank());
  // (outer, n, 1, inner) broadcast to (outer, n, repeats, inner).
  const AxisSplit s = split_at_axis(x.shape(), ax);
  const Tensor spread = broadcast_to(reshape(x, Shape{s.outer, s.n, 1, s.inner}),
                                     Shape{s.outer, s.n, repeats, s.inner});
  return reshape(spread, x.shape().with_dim(ax, s.n * repeats));
}

Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats) {
  check_defined("tile", x);
  // numpy: the shorter of x.shape and repeats is padded with leading 1s.
  const int rank = std::max<int>(x.rank(), static_cast<int>(repeats.size()));
  std::vector<std::int64_t> dims(static_cast<std::size_t>(rank), 1), reps(dims);
  for (int i = 0; i < x.rank(); ++i) dims[rank - x.rank() + i] = x.shape()[i];
  for (std::size_t i = 0; i < repeats.size(); ++i) {
    if (repeats[i] < 0) throw Error("ops.tile: repeats must not be negative.");
    reps[rank - repeats.size() + i] = repeats[i];
  }
  // x as (1, d0, 1, d1, ...) broadcast to (r0, d0, r1, d1, ...).
  std::vector<std::int64_t> interleaved, target, out;
  for (int i = 0; i < rank; ++i) {
    interleaved.insert(interleaved.end(), {1, dims[i]});
    target.insert(target.end(), {reps[i], dims[i]});
    out.push_back(reps[i] * dims[i]);
  }
  return reshape(broadcast_to(reshape(x, Shape(interleaved)), Shape(target)), Shape(out));
}

Tensor flip(const Tensor& x, int axis) {
  check_defined("flip", x);
  if (x.rank() == 0) throw Error("ops.flip needs a tensor of rank >= 1.");
  const int ax = normalize_axis("flip", axis, x.rank());
  const AxisSplit s = split_at_axis(x.shape(), ax);
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  const std::int64_t row = s.inner * static_cast<std::int64_t>(dtype_size(x.dtype()));
  for (std::int64_t o = 0; o < s.outer; ++o) {
    for (std::int64_t i = 0; i < s.n; ++i) {
      std::memcpy(bytes(y) + (o * s.n + i) * row, bytes(x) + (o * s.n + (s.n - 1 - i)) * row,
                  static_cast<std::size_t>(row));
    }
  }
  if (track(y)) {
    autodiff::record({x}, {y}, [ax](const Grads& g, const Needs&) {
      return Grads{flip(g[0], ax)};
    });
  }
  return y;
}

}  // namespace keras::ops
