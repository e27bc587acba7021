// Linear algebra: matmul (numpy semantics, batched and broadcast) and the
// fused dense = activation(x . kernel + bias) with a hand-written backward.
#include "backend/cpu/elementwise.hpp"
#include "backend/cpu/gemm.hpp"
#include "backend/cpu/sgemm_avx512.hpp"
#include "backend/cpu/parallel.hpp"
#include "backend/cpu/reduce.hpp"
#include "keras/activations.hpp"
#include "ops/activation_functions.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

Shape batch_of(const Shape& s) { return s.slice(0, s.rank() - 2); }

// out = op(a) . op(b) over the last two axes of a and b (rank >= 2), leading
// axes broadcast; op transposes the last two axes when asked.
Tensor batched_matmul(const Tensor& a, bool trans_a, const Tensor& b, bool trans_b) {
  const Shape& sa = a.shape();
  const Shape& sb = b.shape();
  const std::int64_t m = trans_a ? sa[-1] : sa[-2];
  const std::int64_t k = trans_a ? sa[-2] : sa[-1];
  const std::int64_t n = trans_b ? sb[-2] : sb[-1];
  const Shape batch = broadcast_shapes("matmul", batch_of(sa), batch_of(sb));
  Tensor out = Tensor::empty(batch.append(m).append(n), a.dtype());
  const std::int64_t lda = sa[-1], ldb = sb[-1];
  visit_float(a.dtype(), "matmul", [&]<class T>() {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* pc = out.data<T>();
    if (sb.rank() == 2 && !trans_a) {
      // b is one matrix: every row of every batch of a is one GEMM row.
      const std::int64_t rows = batch.num_elements() * m;
      cpu::gemm(false, trans_b, rows, n, k, T(1), pa, lda, pb, ldb, T(0), pc, n);
      return;
    }
    const std::int64_t count = batch.num_elements();
    const std::int64_t a_mat = sa[-1] * sa[-2], b_mat = sb[-1] * sb[-2];
    const auto plan = cpu::plan_broadcast<2>({batch_of(sa), batch_of(sb)}, batch);
    for (std::int64_t i = 0; i < count; ++i) {
      // Batch offsets of a and b for batch element i (broadcast dims stride 0).
      std::int64_t rem = i, ia = 0, ib = 0;
      for (int d = plan.rank - 1; d >= 0; --d) {
        const std::int64_t idx = rem % plan.dims[d];
        rem /= plan.dims[d];
        ia += idx * plan.strides[0][d];
        ib += idx * plan.strides[1][d];
      }
      cpu::gemm(trans_a, trans_b, m, n, k, T(1), pa + ia * a_mat, lda, pb + ib * b_mat, ldb, T(0),
                pc + i * m * n, n);
    }
  });
  return out;
}

// matmul of operands of rank >= 2.
Tensor matmul_2d_up(const Tensor& a, const Tensor& b) {
  if (a.shape()[-1] != b.shape()[-2]) {
    throw Error("ops.matmul: the last axis of a (shape " + a.shape().to_string() +
                ") must equal the second-to-last axis of b (shape " + b.shape().to_string() +
                "): " + std::to_string(a.shape()[-1]) + " vs " + std::to_string(b.shape()[-2]) +
                ".");
  }
  Tensor y = batched_matmul(a, false, b, false);
  if (autodiff::is_recording()) {
    autodiff::record({a, b}, {y}, [a, b](const Grads& g, const Needs& needs) {
      Grads out(2);
      if (needs[0]) out[0] = batched_matmul(g[0], false, b, true);
      if (needs[1]) {
        if (b.rank() == 2) {
          // Sum over all batch rows in one GEMM: (rows, k)^T . (rows, n).
          const std::int64_t k = a.shape()[-1], n = b.shape()[-1];
          out[1] = batched_matmul(a.reshape(Shape{-1, k}), true, g[0].reshape(Shape{-1, n}), false);
        } else {
          out[1] = batched_matmul(a, true, g[0], false);
        }
      }
      return out;
    });
  }
  return y;
}

}  // namespace

Tensor matmul(const Tensor& a0, const Tensor& b0) {
  check_defined("matmul", a0);
  check_defined("matmul", b0);
  if (a0.rank() == 0 || b0.rank() == 0) {
    throw Error("ops.matmul needs operands of rank >= 1, got shapes " + a0.shape().to_string() +
                " and " + b0.shape().to_string() + "; use ops::multiply for scalars.");
  }
  Tensor a = a0, b = b0;
  unify_dtypes("matmul", a, b);
  if (!is_floating(a.dtype())) throw_dtype("matmul", a.dtype(), "float32 or float64");
  // numpy: a vector operand becomes a matrix, and its axis is dropped again.
  const bool vec_a = a.rank() == 1, vec_b = b.rank() == 1;
  if (vec_a) a = reshape(a, Shape{1, a.shape()[0]});
  if (vec_b) b = reshape(b, Shape{b.shape()[0], 1});
  Tensor y = matmul_2d_up(a, b);
  if (vec_a || vec_b) {
    std::vector<std::int64_t> dims = y.shape().dims();
    // (..., m, n): a vector b drops n, a vector a drops m.
    if (vec_b) dims.pop_back();
    if (vec_a) dims.erase(dims.end() - (vec_b ? 1 : 2));
    y = reshape(y, Shape(dims));
  }
  return y;
}

// ---- dense ----

namespace {

namespace act = activation_functions;

void check_dense(const Tensor& x, const Tensor& kernel, const Tensor& bias) {
  check_defined("dense", x);
  check_defined("dense", kernel);
  if (kernel.rank() != 2) {
    throw Error("ops.dense needs a kernel of rank 2 (input_dim, units), got shape " +
                kernel.shape().to_string() + ".");
  }
  if (x.rank() < 1 || x.shape()[-1] != kernel.shape()[0]) {
    throw Error("ops.dense: the last dimension of the input (shape " + x.shape().to_string() +
                ") must equal the kernel's first dimension (kernel shape " +
                kernel.shape().to_string() + ").");
  }
  if (x.dtype() != kernel.dtype()) {
    throw Error("ops.dense needs input and kernel of one dtype, got " +
                std::string(dtype_name(x.dtype())) + " and " +
                std::string(dtype_name(kernel.dtype())) + ".");
  }
  if (bias.defined() && (bias.shape() != Shape{kernel.shape()[1]} || bias.dtype() != x.dtype())) {
    throw Error("ops.dense needs a bias of shape (" + std::to_string(kernel.shape()[1]) +
                ",) and dtype " + std::string(dtype_name(x.dtype())) + ", got shape " +
                bias.shape().to_string() + " and dtype " +
                std::string(dtype_name(bias.dtype())) + ".");
  }
}

// dz = the activation's backward of g, and, when dbias is not null, dbias =
// dz's column sums, in one pass over the columns each thread owns: two
// passes (the second a reduction) were two parallel regions per layer.
template <class A, class T>
void activation_backward_and_column_sums(A a, const T* g, const T* z, const T* y, T* dz, T* dbias,
                                         std::int64_t rows, std::int64_t units) {
  cpu::parallel_for(units, rows * (A::cost + 1), [&](std::int64_t j0, std::int64_t j1) {
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t at = r * units;
      for (std::int64_t j = j0; j < j1; ++j) {
        dz[at + j] = a.backward(g[at + j], z[at + j], y[at + j]);
      }
    }
    if (dbias == nullptr) return;
    for (std::int64_t j = j0; j < j1; ++j) dbias[j] = T(0);
    for (std::int64_t r = 0; r < rows; ++r) {
      const T* row = dz + r * units;
      for (std::int64_t j = j0; j < j1; ++j) dbias[j] += row[j];
    }
  });
}

template <class A>
Tensor dense_fused(const Tensor& x, const Tensor& kernel, const Tensor& bias, A a) {
  const std::int64_t in = kernel.shape()[0], units = kernel.shape()[1];
  const std::int64_t rows = x.shape().slice(0, x.rank() - 1).num_elements();
  const Shape out_shape = x.shape().with_dim(-1, units);
  const bool recording = autodiff::is_recording();
  // The pre-activation z is kept apart from y only when the backward needs it.
  constexpr bool kIdentity = std::is_same_v<A, act::Linear>;
  const bool keep_z = recording && A::uses_input && !kIdentity;
  Tensor z = Tensor::empty(out_shape, x.dtype());
  Tensor y = keep_z ? Tensor::empty(out_shape, x.dtype()) : z;
  visit_float(x.dtype(), "dense", [&]<class T>() {
    T* pz = z.data<T>();
    T* py = y.data<T>();
    const T* pb = bias.defined() ? bias.data<T>() : nullptr;
    if constexpr (std::is_same_v<T, float> && (kIdentity || std::is_same_v<A, act::Relu>)) {
      // The bias and ReLU are applied as the kernel stores each tile.
      if (in > 0 && cpu::sgemm_avx512_suits(rows, units, in)) {
        cpu::sgemm_avx512(false, false, rows, units, in, 1.0f, x.data<T>(), in,
                          kernel.data<T>(), units, 0.0f, pz, units,
                          {.bias = pb, .relu = !kIdentity});
        return;
      }
    }
    if (in == 0) {
      for (std::int64_t i = 0; i < rows * units; ++i) pz[i] = T(0);
    } else {
      cpu::gemm(false, false, rows, units, in, T(1), x.data<T>(), in, kernel.data<T>(), units,
                T(0), pz, units);
    }
    if (kIdentity && pb == nullptr) return;
    cpu::parallel_for(rows, units * A::cost, [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        T* zr = pz + r * units;
        T* yr = py + r * units;
        if (pb != nullptr) {
          for (std::int64_t j = 0; j < units; ++j) zr[j] += pb[j];
        }
        if constexpr (!kIdentity) {
          for (std::int64_t j = 0; j < units; ++j) yr[j] = a.forward(zr[j]);
        }
      }
    });
  });
  if (recording) {
    autodiff::TensorList inputs{x, kernel, bias};
    autodiff::record(inputs, {y}, [x, kernel, z, y, a, in, units, rows](const Grads& g,
                                                                         const Needs& needs) {
      Grads out(3);
      Tensor dz = g[0];
      visit_float(x.dtype(), "dense", [&]<class T>() {
        if constexpr (!kIdentity) {
          dz = Tensor::empty(y.shape(), y.dtype());
          T* dbias = nullptr;
          if (needs[2]) {
            out[2] = Tensor::empty(Shape{units}, x.dtype());
            dbias = out[2].data<T>();
          }
          activation_backward_and_column_sums(a, g[0].data<T>(), z.data<T>(), y.data<T>(),
                                              dz.data<T>(), dbias, rows, units);
        }
        const T* pdz = dz.data<T>();
        if (needs[0]) {  // dx = dz . kernel^T
          out[0] = Tensor::empty(x.shape(), x.dtype());
          cpu::gemm(false, true, rows, in, units, T(1), pdz, units, kernel.data<T>(), units, T(0),
                    out[0].data<T>(), in);
        }
        if (needs[1]) {  // dkernel = x^T . dz over all rows
          out[1] = Tensor::empty(kernel.shape(), kernel.dtype());
          cpu::gemm(true, false, in, units, rows, T(1), x.data<T>(), in, pdz, units, T(0),
                    out[1].data<T>(), units);
        }
        if (needs[2] && !out[2].defined()) {  // dbias = column sums of dz
          out[2] = Tensor::empty(Shape{units}, x.dtype());
          const cpu::ReducePlan plan = cpu::plan_reduce(Shape{rows, units}, 1u);
          cpu::reduce<cpu::SumReducer>(plan, pdz, out[2].data<T>());
        }
      });
      return out;
    });
  }
  return y;
}

}  // namespace

Tensor dense(const Tensor& x, const Tensor& kernel, const Tensor& bias,
             const std::string& activation) {
  check_dense(x, kernel, bias);
  Tensor y;
  const bool fused = act::visit_elementwise(
      activation, [&](auto a) { y = dense_fused(x, kernel, bias, a); });
  if (fused) return y;
  // softmax, log_softmax and the other axis-wise activations: linear part
  // fused, then the activation as its own op.
  const activations::ActivationFn fn = activations::get(activation);  // throws if unknown
  return fn(dense_fused(x, kernel, bias, act::Linear{}));
}

}  // namespace keras::ops
