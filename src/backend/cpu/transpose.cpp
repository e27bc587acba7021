#include "backend/cpu/transpose.hpp"

#include <cstdint>
#include <cstring>

#include "backend/cpu/parallel.hpp"

namespace keras::backend::cpu {

namespace {

constexpr std::int64_t kTile = 32;

struct Plan {
  int rank = 0;
  std::int64_t dims[Shape::kMaxRank];       // output dimensions, merged
  std::int64_t in_strides[Shape::kMaxRank];  // input element stride per output dimension
};

Plan make_plan(const Shape& in_shape, const int* perm) {
  std::int64_t strides[Shape::kMaxRank];
  std::int64_t s = 1;
  for (int i = in_shape.rank() - 1; i >= 0; --i) {
    strides[i] = s;
    s *= in_shape[i];
  }
  Plan plan;
  for (int i = 0; i < in_shape.rank(); ++i) {
    const std::int64_t d = in_shape[perm[i]];
    const std::int64_t st = strides[perm[i]];
    if (d == 1) continue;
    // Output neighbours that are input neighbours in the same order merge.
    if (plan.rank > 0 && plan.in_strides[plan.rank - 1] == st * d) {
      plan.dims[plan.rank - 1] *= d;
      plan.in_strides[plan.rank - 1] = st;
    } else {
      plan.dims[plan.rank] = d;
      plan.in_strides[plan.rank] = st;
      ++plan.rank;
    }
  }
  return plan;
}

template <class E>
void transpose_typed(const E* in, E* out, const Plan& plan) {
  const int r = plan.rank;
  const std::int64_t rows = plan.dims[r - 2], cols = plan.dims[r - 1];
  const std::int64_t rs = plan.in_strides[r - 2], cs = plan.in_strides[r - 1];
  std::int64_t outer = 1;
  for (int i = 0; i < r - 2; ++i) outer *= plan.dims[i];
  parallel_for(outer, rows * cols, [&](std::int64_t o0, std::int64_t o1) {
    for (std::int64_t o = o0; o < o1; ++o) {
      std::int64_t base = 0, rem = o;
      for (int i = r - 3; i >= 0; --i) {
        base += (rem % plan.dims[i]) * plan.in_strides[i];
        rem /= plan.dims[i];
      }
      const E* src = in + base;
      E* dst = out + o * rows * cols;
      // Tiles keep both the reads and the writes within a few cache lines.
      for (std::int64_t i0 = 0; i0 < rows; i0 += kTile) {
        const std::int64_t i1 = i0 + kTile < rows ? i0 + kTile : rows;
        for (std::int64_t j0 = 0; j0 < cols; j0 += kTile) {
          const std::int64_t j1 = j0 + kTile < cols ? j0 + kTile : cols;
          for (std::int64_t i = i0; i < i1; ++i) {
            for (std::int64_t j = j0; j < j1; ++j) dst[i * cols + j] = src[i * rs + j * cs];
          }
        }
      }
    }
  });
}

}  // namespace

void transpose(const void* in, void* out, std::size_t element_size, const Shape& in_shape,
               const int* perm) {
  const std::int64_t n = in_shape.num_elements();
  if (n == 0) return;
  Plan plan = make_plan(in_shape, perm);
  if (plan.rank <= 1) {  // nothing moves: the order of the elements is kept
    std::memcpy(out, in, static_cast<std::size_t>(n) * element_size);
    return;
  }
  if (plan.in_strides[plan.rank - 1] == 1) {
    // The last axis stays last: copy whole rows, walking the others.
    const std::int64_t row = plan.dims[plan.rank - 1];
    const std::int64_t rows = n / row;
    const std::size_t bytes = static_cast<std::size_t>(row) * element_size;
    parallel_for(rows, row, [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t q = r0; q < r1; ++q) {
        std::int64_t base = 0, rem = q;
        for (int i = plan.rank - 2; i >= 0; --i) {
          base += (rem % plan.dims[i]) * plan.in_strides[i];
          rem /= plan.dims[i];
        }
        std::memcpy(static_cast<char*>(out) + static_cast<std::size_t>(q) * bytes,
                    static_cast<const char*>(in) + static_cast<std::size_t>(base) * element_size,
                    bytes);
      }
    });
    return;
  }
  switch (element_size) {
    case 1:
      transpose_typed(static_cast<const std::uint8_t*>(in), static_cast<std::uint8_t*>(out), plan);
      break;
    case 2:
      transpose_typed(static_cast<const std::uint16_t*>(in), static_cast<std::uint16_t*>(out),
                      plan);
      break;
    case 4:
      transpose_typed(static_cast<const std::uint32_t*>(in), static_cast<std::uint32_t*>(out),
                      plan);
      break;
    default:
      transpose_typed(static_cast<const std::uint64_t*>(in), static_cast<std::uint64_t*>(out),
                      plan);
      break;
  }
}

void reference_transpose(const void* in, void* out, std::size_t element_size,
                         const Shape& in_shape, const int* perm) {
  const int rank = in_shape.rank();
  std::int64_t strides[Shape::kMaxRank];
  std::int64_t s = 1;
  for (int i = rank - 1; i >= 0; --i) {
    strides[i] = s;
    s *= in_shape[i];
  }
  const std::int64_t n = in_shape.num_elements();
  for (std::int64_t flat = 0; flat < n; ++flat) {
    std::int64_t rem = flat, src = 0;
    for (int i = rank - 1; i >= 0; --i) {
      const std::int64_t d = in_shape[perm[i]];
      src += (rem % d) * strides[perm[i]];
      rem /= d;
    }
    std::memcpy(static_cast<char*>(out) + flat * element_size,
                static_cast<const char*>(in) + src * element_size, element_size);
  }
}

}  // namespace keras::backend::cpu
