// The BLAS-backed gemm against the plain reference_gemm.
#include "backend/cpu/gemm.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backend/cpu/parallel.hpp"

namespace {

namespace cpu = keras::backend::cpu;

template <class T>
std::vector<T> random_values(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(dist(gen));
  return v;
}

struct GemmCase {
  bool ta, tb;
  std::int64_t m, n, k;
  double alpha, beta;
};

template <class T>
void check(const GemmCase& c, double tol) {
  SCOPED_TRACE(::testing::Message() << "m=" << c.m << " n=" << c.n << " k=" << c.k << " ta=" << c.ta
                                    << " tb=" << c.tb << " beta=" << c.beta);
  // Row strides larger than the rows, to catch ld mix-ups.
  const std::int64_t lda = (c.ta ? c.m : c.k) + 3, ldb = (c.tb ? c.k : c.n) + 2, ldc = c.n + 1;
  const std::int64_t a_rows = c.ta ? c.k : c.m, b_rows = c.tb ? c.n : c.k;
  const auto a = random_values<T>(static_cast<std::size_t>(a_rows * lda), 1);
  const auto b = random_values<T>(static_cast<std::size_t>(b_rows * ldb), 2);
  auto fast = random_values<T>(static_cast<std::size_t>(c.m * ldc), 3);
  auto ref = fast;
  cpu::gemm(c.ta, c.tb, c.m, c.n, c.k, T(c.alpha), a.data(), lda, b.data(), ldb, T(c.beta),
            fast.data(), ldc);
  cpu::reference_gemm<T>(c.ta, c.tb, c.m, c.n, c.k, T(c.alpha), a.data(), lda, b.data(), ldb,
                         T(c.beta), ref.data(), ldc);
  for (std::size_t i = 0; i < fast.size(); ++i) {
    ASSERT_NEAR(fast[i], ref[i], tol * (1 + c.k)) << "element " << i;
  }
}

const std::vector<GemmCase> kCases = {
    {false, false, 7, 5, 3, 1.0, 0.0},
    {true, false, 7, 5, 3, 1.0, 0.0},
    {false, true, 7, 5, 3, 1.0, 0.0},
    {true, true, 7, 5, 3, 0.5, 1.0},
    {false, false, 1, 33, 17, 1.0, 0.0},
    {false, true, 1, 33, 17, 1.0, 0.0},  // gemv paths
    {true, false, 1, 33, 17, 2.0, 0.5},
    {false, false, 1, 10, 256, 1.0, 0.0},
    {false, false, 64, 130, 70, 1.0, 0.0},
    {true, false, 70, 64, 130, 1.0, 1.0},
    {false, false, 4, 3, 0, 1.0, 0.0},
    {false, false, 4, 3, 0, 1.0, 2.0},  // k == 0
    {false, false, 0, 3, 5, 1.0, 0.0},
    // The batch-1 kernel: full 64-column blocks, a partial one, threaded.
    {false, false, 1, 600, 200, 1.0, 0.0},
    {true, false, 1, 128, 600, 0.5, 1.0},
    // ... with an odd number of rows (its rows go two at a time), and one row.
    {false, false, 1, 192, 33, 1.0, 0.0},
    {true, false, 1, 64, 1, 1.0, 0.0},
    // Several rows: scaled, accumulated, transposed.
    {false, true, 33, 65, 40, 2.0, 0.5},
    {true, true, 17, 9, 130, -1.0, 0.25},
    // Short inner dimension, split by rows over the threads (a weight
    // gradient), with rows that do not divide evenly.
    {true, false, 300, 128, 128, 1.0, 0.0},
    {false, false, 520, 70, 120, 1.0, 0.5},
    {false, true, 259, 130, 128, 0.5, 0.0},
    // Fewer than 32 columns (a last Dense layer of 10 classes and its
    // weight gradient), also split by rows.
    {false, false, 128, 10, 256, 1.0, 0.0},
    {true, false, 256, 10, 128, 1.0, 0.5},
    {false, true, 100, 20, 90, 2.0, 0.0},
};

// Shapes for the AVX-512 kernel (src/backend/cpu/sgemm_avx512.cpp): its
// 12 x 32 tile with partial tiles on both edges, several blocks of the inner
// dimension (320+), of the rows (768+) and of the columns (1024+), every
// transposition, scaled and accumulated; each at least the 2M multiply-adds
// below which gemm keeps OpenBLAS, or an inner dimension under 16 with an
// output of 16384+ values.
const std::vector<GemmCase> kTiledCases = {
    {false, false, 128, 512, 784, 1.0, 0.0},
    {true, false, 784, 512, 128, 1.0, 0.0},
    {false, true, 128, 784, 512, 1.0, 0.0},
    {true, true, 37, 85, 700, 0.5, 1.0},
    {false, false, 13, 150, 1100, -1.0, 0.5},
    {true, false, 1601, 80, 17, 1.0, 0.0},
    {false, true, 50, 2100, 20, 2.0, 0.25},
    {false, false, 12, 32, 5500, 1.0, 0.0},
    {true, true, 131, 97, 257, 1.0, 1.0},
    // Uneven last blocks, split by columns: of k (3 x 367 -> 366) and of n.
    {false, false, 24, 200, 1100, 1.0, 0.5},
    {false, true, 20, 2150, 60, 1.0, 0.0},
    // Split by columns with two blocks of rows (the shared A buffers
    // alternate) and three of columns.
    {false, false, 800, 2200, 20, 1.0, 0.5},
    // Inner dimension under 16 (the last Dense layer's input gradient, a
    // 3x3 convolution over one channel, one value).
    {false, true, 128, 256, 10, 1.0, 0.0},
    {true, false, 130, 140, 9, 0.5, 1.0},
    {true, true, 150, 120, 15, 1.0, 0.0},
    {false, false, 2000, 40, 1, 1.0, 0.0},
};

TEST(Gemm, TiledKernelMatchesReference) {
  for (const GemmCase& c : kTiledCases) check<float>(c, 1e-5);
}

TEST(Gemm, TiledKernelOnOneThreadInsideAParallelRegion) {
  // Inside a parallel region each product runs on its own thread, with that
  // thread's packing buffers.
  std::vector<float> c[2], r[2];
  const auto a = random_values<float>(96 * 300, 8), b = random_values<float>(300 * 200, 9);
  cpu::parallel_pair(
      std::int64_t{1} << 20,
      [&] {
        c[0].assign(96 * 200, 0.0f);
        cpu::gemm(false, false, 96, 200, 300, 1.0f, a.data(), 300, b.data(), 200, 0.0f, c[0].data(),
                  200);
      },
      [&] {
        c[1].assign(200 * 96, 0.0f);
        cpu::gemm(true, true, 200, 96, 300, 1.0f, b.data(), 200, a.data(), 300, 0.0f, c[1].data(),
                  96);
      });
  r[0].assign(96 * 200, 0.0f);
  r[1].assign(200 * 96, 0.0f);
  cpu::reference_gemm<float>(false, false, 96, 200, 300, 1.0f, a.data(), 300, b.data(), 200, 0.0f,
                             r[0].data(), 200);
  cpu::reference_gemm<float>(true, true, 200, 96, 300, 1.0f, b.data(), 200, a.data(), 300, 0.0f,
                             r[1].data(), 96);
  for (int t = 0; t < 2; ++t) {
    for (std::size_t i = 0; i < r[t].size(); ++i)
      ASSERT_NEAR(c[t][i], r[t][i], 1e-3) << t << " " << i;
  }
}

TEST(Gemm, FloatMatchesReference) {
  for (const GemmCase& c : kCases) check<float>(c, 1e-5);
}

TEST(Gemm, DoubleMatchesReference) {
  for (const GemmCase& c : kCases) check<double>(c, 1e-13);
}

TEST(Gemm, BetaZeroIgnoresNaNsInTheOutput) {
  // C is write-only when beta is 0, even when it holds NaN (fresh memory).
  for (std::int64_t m : {1, 4}) {
    std::vector<float> a(static_cast<std::size_t>(m * 3), 1.0f), b(6, 1.0f);
    std::vector<float> c(static_cast<std::size_t>(m * 2), std::nanf(""));
    cpu::gemm(false, false, m, 2, 3, 1.0f, a.data(), 3, b.data(), 2, 0.0f, c.data(), 2);
    for (float v : c) EXPECT_EQ(v, 3.0f);
  }
  // The same through the tiled kernel, over several inner-dimension blocks.
  std::vector<float> a(64 * 700, 0.5f), b(700 * 48, 2.0f), c(64 * 48, std::nanf(""));
  cpu::gemm(false, false, 64, 48, 700, 1.0f, a.data(), 700, b.data(), 48, 0.0f, c.data(), 48);
  for (float v : c) EXPECT_EQ(v, 700.0f);
}

TEST(Gemm, TwoThreadsMultiplyAtOnce) {
  // The two directions of a bidirectional RNN run their products on two
  // threads at the same time (parallel_pair); a product that would be split
  // by rows stays whole on its thread there.
  const auto a = random_values<float>(300 * 128, 5), b1 = random_values<float>(128 * 80, 6),
             b2 = random_values<float>(128 * 80, 7);
  std::vector<float> c1(300 * 80), c2(300 * 80), r1(300 * 80), r2(300 * 80);
  const auto product = [&](const std::vector<float>& b, std::vector<float>& c) {
    cpu::gemm(true, false, 300, 80, 128, 1.0f, a.data(), 300, b.data(), 80, 0.0f, c.data(), 80);
  };
  cpu::parallel_pair(
      std::int64_t{1} << 20, [&] { product(b1, c1); }, [&] { product(b2, c2); });
  cpu::reference_gemm<float>(true, false, 300, 80, 128, 1.0f, a.data(), 300, b1.data(), 80, 0.0f,
                             r1.data(), 80);
  cpu::reference_gemm<float>(true, false, 300, 80, 128, 1.0f, a.data(), 300, b2.data(), 80, 0.0f,
                             r2.data(), 80);
  for (std::size_t i = 0; i < r1.size(); ++i) {
    ASSERT_NEAR(c1[i], r1[i], 1e-4) << i;
    ASSERT_NEAR(c2[i], r2[i], 1e-4) << i;
  }
}

}  // namespace
