#include "backend/cpu/gemm.hpp"

#include <cblas.h>
#include <dlfcn.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "backend/cpu/sgemm_avx512.hpp"

namespace keras::backend::cpu {

namespace {

// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels from the CPUID
// model, and on CPUs it does not know -- virtual machines reporting a generic
// "Intel Xeon Processor", or CPUs newer than the library -- it falls back to
// "Prescott" (SSE3) kernels, 4-5x slower than the AVX-512 ones on the same
// machine. When that happened and the user did not choose a core with
// OPENBLAS_CORETYPE, re-select the core from the instruction sets the CPU
// actually has. Done once, before kerascpp's first BLAS call; every symbol is
// looked up at run time, so other BLAS builds are left alone.
bool tune_openblas_core() {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return false;
  using Corename = char* (*)();
  using Hook = void (*)();
  auto corename = reinterpret_cast<Corename>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  auto init = reinterpret_cast<Hook>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init"));
  auto quit = reinterpret_cast<Hook>(dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit"));
  if (corename == nullptr || init == nullptr || quit == nullptr) return false;
  const char* current = corename();
  if (current == nullptr || std::strcmp(current, "Prescott") != 0) return false;
  const char* better = nullptr;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
    better = "SkylakeX";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    better = "Haswell";
  }
  if (better == nullptr) return false;
  setenv("OPENBLAS_CORETYPE", better, 1);
  quit();
  init();
  unsetenv("OPENBLAS_CORETYPE");
  return true;
}

void ensure_blas_tuned() {
  static const bool tuned = tune_openblas_core();
  (void)tuned;
}

void check_blas_size(std::int64_t value) {
  // BLAS takes 32-bit sizes; the ops check shapes before this, so a larger
  // value here is a bug in kerascpp rather than bad input.
  if (value > std::numeric_limits<blasint>::max()) {
    throw std::length_error("kerascpp: matrix dimension too large for BLAS");
  }
}

// C = beta * C for the k == 0 case, which some BLAS builds leave untouched.
template <class T>
void scale_rows(std::int64_t m, std::int64_t n, T beta, T* c, std::int64_t ldc) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j)
      c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
  }
}

// y = alpha * x^T B + beta * y for one row x and B (k, n) row-major: batch-1
// inference through Dense. Each thread owns a fixed block of columns, so in
// repeated calls the same half of every weight row stays in the same core's
// L2 instead of wandering between cores (784-512-256-10 MLP at batch 1:
// 26.5 -> 20.5 us here; the weights are still read at L3 speed).
void row_times_matrix(std::int64_t n, std::int64_t k, float alpha, const float* x,
                      std::int64_t incx, const float* b, std::int64_t ldb, float beta, float* y) {
  constexpr std::int64_t kBlock = 64;
  const std::int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (n * k >= (1 << 16))
  for (std::int64_t blk = 0; blk < blocks; ++blk) {
    const std::int64_t j0 = blk * kBlock;
    const std::int64_t width = std::min(kBlock, n - j0);
    float acc[kBlock] = {};
    if (width == kBlock) {
      for (std::int64_t i = 0; i < k; ++i) {
        const float xi = x[i * incx];
        const float* row = b + i * ldb + j0;
#pragma omp simd
        for (std::int64_t j = 0; j < kBlock; ++j) acc[j] += xi * row[j];
      }
    } else {
      for (std::int64_t i = 0; i < k; ++i) {
        const float xi = x[i * incx];
        const float* row = b + i * ldb + j0;
        for (std::int64_t j = 0; j < width; ++j) acc[j] += xi * row[j];
      }
    }
    for (std::int64_t j = 0; j < width; ++j) {
      y[j0 + j] = alpha * acc[j] + (beta == 0.0f ? 0.0f : beta * y[j0 + j]);
    }
  }
}

// OpenBLAS spreads a product with a short inner dimension badly over two
// threads: the weight gradients x^T dy of a batch of 128 (784x512x128) ran at
// 220 GFLOP/s, against 292 when each thread multiplies its own rows of C
// single-threaded (OpenBLAS' OpenMP build stays on one thread inside a
// parallel region). So those products are split by rows here, as are
// products with fewer than 32 columns, which OpenBLAS keeps on one thread:
// a last Dense layer's 128x256 by 256x10 took 17 us there, 10 split.
bool split_by_rows(std::int64_t m, std::int64_t n, std::int64_t k) {
  if (omp_in_parallel() || omp_get_max_threads() < 2) return false;
  return (k <= 256 && m >= 256 && m * n * k >= (std::int64_t{1} << 22)) ||
         (n < 32 && m >= 64 && m * n * k >= (std::int64_t{1} << 17));
}

template <class T, class Gemm>
void gemm_rows_per_thread(Gemm blas_gemm, bool trans_a, bool trans_b, std::int64_t m,
                          std::int64_t n, std::int64_t k, T alpha, const T* a, std::int64_t lda,
                          const T* b, std::int64_t ldb, T beta, T* c, std::int64_t ldc) {
  // Block edges on multiples of 16 rows keep OpenBLAS' kernels on full tiles.
  constexpr std::int64_t kAlign = 16;
#pragma omp parallel
  {
    const std::int64_t parts = omp_get_num_threads(), t = omp_get_thread_num();
    const auto edge = [&](std::int64_t i) {
      return i == parts ? m : std::min(m, (m * i / parts + kAlign - 1) / kAlign * kAlign);
    };
    const std::int64_t begin = edge(t), end = edge(t + 1);
    if (begin < end) {
      blas_gemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, static_cast<blasint>(end - begin),
                static_cast<blasint>(n), static_cast<blasint>(k), alpha,
                trans_a ? a + begin : a + begin * lda, static_cast<blasint>(lda), b,
                static_cast<blasint>(ldb), beta, c + begin * ldc, static_cast<blasint>(ldc));
    }
  }
}

template <class T, class Gemm, class Gemv>
void gemm_impl(Gemm blas_gemm, Gemv blas_gemv, bool trans_a, bool trans_b, std::int64_t m,
               std::int64_t n, std::int64_t k, T alpha, const T* a, std::int64_t lda, const T* b,
               std::int64_t ldb, T beta, T* c, std::int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  ensure_blas_tuned();
  if (k <= 0) {
    scale_rows(m, n, beta, c, ldc);
    return;
  }
  for (std::int64_t v : {m, n, k, lda, ldb, ldc}) check_blas_size(v);
  if constexpr (std::is_same_v<T, float>) {
    if (m == 1 && !trans_b && n >= 32) {
      row_times_matrix(n, k, alpha, a, trans_a ? lda : 1, b, ldb, beta, c);
      return;
    }
  }
  if (m == 1 && n >= 32) {
    // One row (batch-1 inference): a matrix-vector product skips GEMM's
    // packing and runs on both threads; for a few output columns OpenBLAS'
    // small-matrix GEMM is faster (256x10: 0.34 vs 0.53 us).
    // y^T = x^T op(B), i.e. y = op(B)^T x with B stored row-major.
    const std::int64_t incx = trans_a ? lda : 1;
    // Some OpenBLAS versions scale y by beta even when beta is 0, turning
    // uninitialised NaNs into NaNs; zero it ourselves.
    if (beta == T(0)) {
      for (std::int64_t j = 0; j < n; ++j) c[j] = T(0);
    }
    if (trans_b) {
      blas_gemv(CblasRowMajor, CblasNoTrans, static_cast<blasint>(n), static_cast<blasint>(k),
                alpha, b, static_cast<blasint>(ldb), a, static_cast<blasint>(incx), beta, c, 1);
    } else {
      blas_gemv(CblasRowMajor, CblasTrans, static_cast<blasint>(k), static_cast<blasint>(n), alpha,
                b, static_cast<blasint>(ldb), a, static_cast<blasint>(incx), beta, c, 1);
    }
    return;
  }
  if constexpr (std::is_same_v<T, float>) {
    if (sgemm_avx512_suits(m, n, k)) {
      sgemm_avx512(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
  }
  if (split_by_rows(m, n, k)) {
    gemm_rows_per_thread(blas_gemm, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  blas_gemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
            static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
            static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c,
            static_cast<blasint>(ldc));
}

}  // namespace

void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc) {
  gemm_impl<float>(cblas_sgemm, cblas_sgemv, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta,
                   c, ldc);
}

void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
          double* c, std::int64_t ldc) {
  gemm_impl<double>(cblas_dgemm, cblas_dgemv, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb,
                    beta, c, ldc);
}

}  // namespace keras::backend::cpu
