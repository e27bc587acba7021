// StepMatrix (recurrent_gemm.hpp): the recurrent kernel packed once per
// call, and the register-tiled product the step loops run with it.
#include "backend/cpu/recurrent_gemm.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace keras::backend::cpu::recurrent_detail {

namespace {

// One SIMD register of floats and the tile of c kept in registers: rows x
// vectors accumulators, plus one vector of b per column vector and the
// broadcast a value (AVX-512: 24 + 4 + 1 of 32 registers).
#if defined(__AVX512F__)
constexpr int kLanes = 16, kTileRows = 6, kTileVectors = 4;
#elif defined(__AVX__)
constexpr int kLanes = 8, kTileRows = 3, kTileVectors = 3;
#else
constexpr int kLanes = 4, kTileRows = 3, kTileVectors = 3;
#endif
using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));

// Packed matrices larger than this no longer stay in the L2 cache between
// the rows of one product: BLAS, which blocks for the caches, does better.
constexpr std::int64_t kMaxPackedBytes = std::int64_t{1} << 20;

inline Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }

// c[0:MR, 0:width] (+)= a[0:MR, 0:k] . b[0:k, 0:NV*kLanes]; width <= NV * kLanes
// (b's rows hold whole vectors, zeros past the matrix).
template <int MR, int NV>
void tile(std::int64_t k, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
          bool accumulate, float* c, std::int64_t ldc, std::int64_t width) {
  Vec acc[MR][NV] = {};
  for (std::int64_t p = 0; p < k; ++p) {
    Vec bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = load(b + p * ldb + v * kLanes);
    for (int r = 0; r < MR; ++r) {
      const float av = a[r * lda + p];
      for (int v = 0; v < NV; ++v) acc[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < MR; ++r) {
    float* row = c + r * ldc;
    for (int v = 0; v < NV; ++v) {
      float* out = row + v * kLanes;
      const std::int64_t n = std::min<std::int64_t>(kLanes, width - v * kLanes);
      if (n == kLanes) {
        store(out, accumulate ? load(out) + acc[r][v] : acc[r][v]);
      } else {
        float part[kLanes];
        store(part, acc[r][v]);
        for (std::int64_t j = 0; j < n; ++j) out[j] = accumulate ? out[j] + part[j] : part[j];
      }
    }
  }
}

struct Operands {
  std::int64_t k;
  const float* b;
  std::int64_t ldb, n;  // b's rows hold ceil(n / kLanes) whole vectors
  bool accumulate;
  std::int64_t lda, ldc;
};

// The last `vectors` (< kTileVectors) column vectors of MR rows.
template <int MR, int NV = kTileVectors - 1>
void tail_tile(const Operands& o, int vectors, const float* a, float* c, std::int64_t column) {
  if constexpr (NV > 0) {
    if (vectors == NV) {
      tile<MR, NV>(o.k, a, o.lda, o.b + column, o.ldb, o.accumulate, c + column, o.ldc,
                   o.n - column);
      return;
    }
    tail_tile<MR, NV - 1>(o, vectors, a, c, column);
  }
}

// MR rows of c, across all columns.
template <int MR>
void row_block(const Operands& o, const float* a, float* c) {
  const std::int64_t vectors = (o.n + kLanes - 1) / kLanes;
  std::int64_t v = 0;
  for (; v + kTileVectors <= vectors; v += kTileVectors) {
    tile<MR, kTileVectors>(o.k, a, o.lda, o.b + v * kLanes, o.ldb, o.accumulate, c + v * kLanes,
                           o.ldc, o.n - v * kLanes);
  }
  if (v < vectors) tail_tile<MR>(o, static_cast<int>(vectors - v), a, c, v * kLanes);
}

// The last `rows` (< kTileRows) rows.
template <int MR = kTileRows - 1>
void tail_rows(const Operands& o, int rows, const float* a, float* c) {
  if constexpr (MR > 0) {
    if (rows == MR) {
      row_block<MR>(o, a, c);
      return;
    }
    tail_rows<MR - 1>(o, rows, a, c);
  }
}

void multiply_rows(const Operands& o, std::int64_t r0, std::int64_t r1, const float* a, float* c) {
  std::int64_t r = r0;
  for (; r + kTileRows <= r1; r += kTileRows) row_block<kTileRows>(o, a + r * o.lda, c + r * o.ldc);
  if (r < r1) tail_rows(o, static_cast<int>(r1 - r), a + r * o.lda, c + r * o.ldc);
}

template <class T>
std::int64_t packed_width(std::int64_t k, std::int64_t n) {
  if (!std::is_same_v<T, float> || k <= 0 || n <= 0) return 0;
  const std::int64_t width = (n + kLanes - 1) / kLanes * kLanes;
  return k * width * static_cast<std::int64_t>(sizeof(T)) <= kMaxPackedBytes ? width : 0;
}

}  // namespace

template <class T>
StepMatrix<T>::StepMatrix(const T* b, std::int64_t ldb, std::int64_t k, std::int64_t n,
                          bool transpose)
    : b_(b),
      ldb_(ldb),
      k_(k),
      n_(n),
      transpose_(transpose),
      ld_packed_(packed_width<T>(k, n)),
      packed_(k * ld_packed_) {
  if (ld_packed_ == 0) return;
  T* p = packed_.get();
  for (std::int64_t i = 0; i < k; ++i) {
    T* row = p + i * ld_packed_;
    if (transpose) {
      for (std::int64_t j = 0; j < n; ++j) row[j] = b[j * ldb + i];
    } else {
      std::memcpy(row, b + i * ldb, static_cast<std::size_t>(n) * sizeof(T));
    }
    std::fill(row + n, row + ld_packed_, T(0));
  }
}

template <class T>
void StepMatrix<T>::multiply(std::int64_t m, const T* a, std::int64_t lda, T beta, T* c,
                             std::int64_t ldc) const {
  if (m <= 0 || n_ <= 0) return;
  if (ld_packed_ == 0) {
    gemm(false, transpose_, m, n_, k_, T(1), a, lda, b_, ldb_, beta, c, ldc);
    return;
  }
  if constexpr (std::is_same_v<T, float>) {
    const Operands o{k_, packed_.get(), ld_packed_, n_, beta != T(0), lda, ldc};
    parallel_for(m, n_ * k_,
                 [&](std::int64_t r0, std::int64_t r1) { multiply_rows(o, r0, r1, a, c); });
  }
}

template class StepMatrix<float>;
template class StepMatrix<double>;

}  // namespace keras::backend::cpu::recurrent_detail
