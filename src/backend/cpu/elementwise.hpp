#pragma once
// Element-wise loops: one operand (map_unary), and two or three operands with
// numpy broadcasting (map_binary, map_ternary). The element function is a
// template argument, inlined into a contiguous inner loop GCC vectorises.
// Large tensors are split across the OpenMP threads.
#include <cstdint>

#include "backend/cpu/parallel.hpp"
#include "keras/shape.hpp"

namespace keras::backend::cpu {

// y[i] = f(x[i]) for i < n. cost: work units per element (1 for an add,
// about 8 for an exp) deciding when threads pay off.
template <class X, class Y, class F>
void map_unary(const X* x, Y* y, std::int64_t n, std::int64_t cost, F f) {
  parallel_for(n, cost, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) y[i] = f(x[i]);
  });
}

// How K operands of given shapes walk a broadcast output: the output's
// dimensions after merging the ones that can be walked as one, and each
// operand's element stride per dimension (0 where it is broadcast).
template <int K>
struct BroadcastPlan {
  int rank = 0;
  std::int64_t dims[Shape::kMaxRank] = {};
  std::int64_t strides[K][Shape::kMaxRank] = {};
  std::int64_t size = 1;
};

// The shapes must already be broadcast-compatible with out.
template <int K>
BroadcastPlan<K> plan_broadcast(const Shape (&shapes)[K], const Shape& out) {
  BroadcastPlan<K> plan;
  const int rank = out.rank();
  std::int64_t dims[Shape::kMaxRank];
  std::int64_t strides[K][Shape::kMaxRank];
  for (int k = 0; k < K; ++k) {
    std::int64_t stride = 1;
    const int offset = rank - shapes[k].rank();
    for (int i = rank - 1; i >= 0; --i) {
      const std::int64_t d = i >= offset ? shapes[k][i - offset] : 1;
      strides[k][i] = (d == 1) ? 0 : stride;
      stride *= d;
    }
  }
  for (int i = 0; i < rank; ++i) dims[i] = out[i];
  plan.size = 1;
  for (int i = 0; i < rank; ++i) plan.size *= dims[i];
  // Drop size-1 dimensions, then merge neighbours that every operand walks
  // contiguously (or broadcasts in both).
  int r = 0;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] == 1) continue;
    bool merge = r > 0;
    for (int k = 0; k < K && merge; ++k) {
      merge = strides[k][i] * dims[i] == plan.strides[k][r - 1];
    }
    if (merge) {
      plan.dims[r - 1] *= dims[i];
      for (int k = 0; k < K; ++k) plan.strides[k][r - 1] = strides[k][i];
    } else {
      plan.dims[r] = dims[i];
      for (int k = 0; k < K; ++k) plan.strides[k][r] = strides[k][i];
      ++r;
    }
  }
  if (r == 0) {  // a single element
    plan.dims[0] = 1;
    for (int k = 0; k < K; ++k) plan.strides[k][0] = 0;
    r = 1;
  }
  plan.rank = r;
  return plan;
}

namespace detail {

// Offsets of each operand at the start of output row `row` (all dims but the last).
template <int K>
void row_offsets(const BroadcastPlan<K>& plan, std::int64_t row, std::int64_t (&offsets)[K]) {
  for (int k = 0; k < K; ++k) offsets[k] = 0;
  for (int i = plan.rank - 2; i >= 0; --i) {
    const std::int64_t idx = row % plan.dims[i];
    row /= plan.dims[i];
    for (int k = 0; k < K; ++k) offsets[k] += idx * plan.strides[k][i];
  }
}

}  // namespace detail

// out[i] = f(a[...], b[...]) over the broadcast output.
template <class A, class B, class O, class F>
void map_binary(const BroadcastPlan<2>& plan, const A* a, const B* b, O* out, std::int64_t cost,
                F f) {
  if (plan.size == 0) return;
  const std::int64_t inner = plan.dims[plan.rank - 1];
  const std::int64_t sa = plan.strides[0][plan.rank - 1];
  const std::int64_t sb = plan.strides[1][plan.rank - 1];
  // Runs one stretch [j0, j1) of a row; the branches give GCC stride-1 loops.
  auto run = [&](const A* pa, const B* pb, O* po, std::int64_t j0, std::int64_t j1) {
    if (sa == 1 && sb == 1) {
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(pa[j], pb[j]);
    } else if (sa == 1 && sb == 0) {
      const B bv = pb[0];
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(pa[j], bv);
    } else if (sa == 0 && sb == 1) {
      const A av = pa[0];
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(av, pb[j]);
    } else {
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(pa[j * sa], pb[j * sb]);
    }
  };
  if (plan.rank == 1) {
    parallel_for(inner, cost, [&](std::int64_t j0, std::int64_t j1) { run(a, b, out, j0, j1); });
    return;
  }
  const std::int64_t rows = plan.size / inner;
  parallel_for(rows, inner * cost, [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t row = r0; row < r1; ++row) {
      std::int64_t off[2];
      detail::row_offsets(plan, row, off);
      run(a + off[0], b + off[1], out + row * inner, 0, inner);
    }
  });
}

// out[i] = f(a[...], b[...], c[...]) over the broadcast output.
template <class A, class B, class C, class O, class F>
void map_ternary(const BroadcastPlan<3>& plan, const A* a, const B* b, const C* c, O* out,
                 std::int64_t cost, F f) {
  if (plan.size == 0) return;
  const std::int64_t inner = plan.dims[plan.rank - 1];
  const std::int64_t sa = plan.strides[0][plan.rank - 1];
  const std::int64_t sb = plan.strides[1][plan.rank - 1];
  const std::int64_t sc = plan.strides[2][plan.rank - 1];
  auto run = [&](const A* pa, const B* pb, const C* pc, O* po, std::int64_t j0, std::int64_t j1) {
    if (sa == 1 && sb == 1 && sc == 1) {
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(pa[j], pb[j], pc[j]);
    } else {
      for (std::int64_t j = j0; j < j1; ++j) po[j] = f(pa[j * sa], pb[j * sb], pc[j * sc]);
    }
  };
  if (plan.rank == 1) {
    parallel_for(inner, cost,
                 [&](std::int64_t j0, std::int64_t j1) { run(a, b, c, out, j0, j1); });
    return;
  }
  const std::int64_t rows = plan.size / inner;
  parallel_for(rows, inner * cost, [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t row = r0; row < r1; ++row) {
      std::int64_t off[3];
      detail::row_offsets(plan, row, off);
      run(a + off[0], b + off[1], c + off[2], out + row * inner, 0, inner);
    }
  });
}

// Plain index-by-index versions, for the tests.
template <class A, class B, class O, class F>
void reference_map_binary(const Shape& sa, const A* a, const Shape& sb, const B* b,
                          const Shape& out_shape, O* out, F f) {
  const int rank = out_shape.rank();
  const std::int64_t n = out_shape.num_elements();
  for (std::int64_t flat = 0; flat < n; ++flat) {
    std::int64_t rem = flat, ia = 0, ib = 0, stride_a = 1, stride_b = 1;
    for (int i = rank - 1; i >= 0; --i) {
      const std::int64_t idx = rem % out_shape[i];
      rem /= out_shape[i];
      const int ja = i - (rank - sa.rank()), jb = i - (rank - sb.rank());
      if (ja >= 0) {
        if (sa[ja] != 1) ia += idx * stride_a;
        stride_a *= sa[ja];
      }
      if (jb >= 0) {
        if (sb[jb] != 1) ib += idx * stride_b;
        stride_b *= sb[jb];
      }
    }
    out[flat] = f(a[ia], b[ib]);
  }
}

}  // namespace keras::backend::cpu

namespace keras::backend::cpu {

// out (of shape `out_shape`) = in broadcast from in_shape, numpy's broadcast_to
// made contiguous.
template <class T>
void broadcast_copy(const Shape& in_shape, const T* in, const Shape& out_shape, T* out) {
  const auto plan = plan_broadcast<1>({in_shape}, out_shape);
  if (plan.size == 0) return;
  const std::int64_t inner = plan.dims[plan.rank - 1];
  const std::int64_t stride = plan.strides[0][plan.rank - 1];
  const std::int64_t rows = plan.size / inner;
  parallel_for(rows, inner, [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t row = r0; row < r1; ++row) {
      std::int64_t off[1];
      detail::row_offsets(plan, row, off);
      const T* src = in + off[0];
      T* dst = out + row * inner;
      if (stride == 1) {
        for (std::int64_t j = 0; j < inner; ++j) dst[j] = src[j];
      } else {
        const T v = src[0];
        for (std::int64_t j = 0; j < inner; ++j) dst[j] = v;
      }
    }
  });
}

}  // namespace keras::backend::cpu
