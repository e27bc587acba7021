// StepMatrix, the packed recurrent kernel of the RNN step loops, against
// the plain reference_gemm: every tile and tail of the register-tiled
// product (rows and column vectors), transposed or not, beta 0 or 1, row
// strides wider than the rows, in float32 and float64 (which goes through
// BLAS), on one thread and split between two.
#include "backend/cpu/recurrent_gemm.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <random>
#include <vector>

#include "backend/cpu/gemm.hpp"

namespace {

namespace cpu = keras::backend::cpu;
using cpu::recurrent_detail::StepMatrix;

template <class T>
std::vector<T> random_values(std::int64_t n, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<T> v(static_cast<std::size_t>(n));
  for (T& x : v) x = static_cast<T>(dist(gen));
  return v;
}

template <class T>
void check(std::int64_t m, std::int64_t n, std::int64_t k, bool transpose, T beta) {
  SCOPED_TRACE(::testing::Message() << "m=" << m << " n=" << n << " k=" << k
                                    << " transpose=" << transpose << " beta=" << beta);
  // b is (k x n), or (n x k) when transposed; strides wider than the rows.
  const std::int64_t ldb = (transpose ? k : n) + 5, lda = k + 3, ldc = n + 2;
  const auto b = random_values<T>((transpose ? n : k) * ldb, 1);
  const auto a = random_values<T>(m * lda, 2);
  auto fast = random_values<T>(m * ldc, 3);
  auto ref = fast;
  const StepMatrix<T> matrix(b.data(), ldb, k, n, transpose);
  matrix.multiply(m, a.data(), lda, beta, fast.data(), ldc);
  cpu::reference_gemm(false, transpose, m, n, k, T(1), a.data(), lda, b.data(), ldb, beta,
                      ref.data(), ldc);
  const double tol = (sizeof(T) == 4 ? 2e-6 : 1e-13) * static_cast<double>(k + 1);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < ldc; ++j) {
      const std::size_t at = static_cast<std::size_t>(i * ldc + j);
      if (j >= n) {
        // Past the matrix: untouched.
        ASSERT_EQ(fast[at], ref[at]) << "wrote past column n at (" << i << ", " << j << ")";
        continue;
      }
      ASSERT_NEAR(fast[at], ref[at], tol) << "at (" << i << ", " << j << ")";
    }
  }
}

template <class T>
void check_shapes() {
  // Rows: below, at and past the row tile (and the 30 of the seed tagger);
  // columns: below one vector, whole vectors, a tail, several tiles.
  for (std::int64_t m : {1, 2, 5, 6, 7, 13, 30}) {
    for (std::int64_t n : {1, 7, 16, 33, 64, 75, 130, 300}) {
      for (std::int64_t k : {1, 9, 75}) {
        for (bool transpose : {false, true}) {
          for (T beta : {T(0), T(1)}) check<T>(m, n, k, transpose, beta);
        }
      }
    }
  }
}

TEST(StepMatrix, MatchesReferenceGemmFloat32) { check_shapes<float>(); }

TEST(StepMatrix, MatchesReferenceGemmFloat64) { check_shapes<double>(); }

TEST(StepMatrix, MatchesReferenceGemmOnOneThread) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  check<float>(30, 300, 75, false, 1.0f);
  check<float>(30, 75, 300, true, 0.0f);
  omp_set_num_threads(threads);
}

TEST(StepMatrix, LargeMatricesGoThroughBlas) {
  // 600 x 600 floats is more than the packed kernel keeps: BLAS reads b in place.
  check<float>(3, 600, 600, false, 1.0f);
  check<float>(3, 600, 600, true, 0.0f);
}

TEST(StepMatrix, AnEmptyMatrixDoesNothing) {
  const StepMatrix<float> empty;
  std::vector<float> c{1.0f, 2.0f};
  empty.multiply(1, nullptr, 0, 0.0f, c.data(), 2);
  EXPECT_EQ(c, (std::vector<float>{1.0f, 2.0f}));
}

}  // namespace
