#pragma once
// Matrix products on row-major matrices. gemm takes float32 products of a
// dozen rows or more to kerascpp's own AVX-512 kernel (sgemm_avx512.hpp) when
// the build has AVX-512, and everything else to OpenBLAS (its OpenMP build,
// so it shares the one thread pool); reference_gemm is the plain triple loop
// the tests compare both with.
#include <cstdint>

namespace keras::backend::cpu {

// C (m x n) = alpha * op(A) (m x k) * op(B) (k x n) + beta * C, where op
// transposes when asked. lda/ldb/ldc are the row strides of A, B, C as stored
// (A is k x m when trans_a). beta == 0 overwrites C without reading it.
void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
          float beta, float* c, std::int64_t ldc);
void gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          double alpha, const double* a, std::int64_t lda, const double* b, std::int64_t ldb,
          double beta, double* c, std::int64_t ldc);

template <class T>
void reference_gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
                    T alpha, const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta,
                    T* c, std::int64_t ldc) {
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (std::int64_t p = 0; p < k; ++p) {
        const T av = trans_a ? a[p * lda + i] : a[i * lda + p];
        const T bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        acc += static_cast<double>(av) * static_cast<double>(bv);
      }
      const double prior = beta == T(0) ? 0.0 : static_cast<double>(beta) * c[i * ldc + j];
      c[i * ldc + j] = static_cast<T>(static_cast<double>(alpha) * acc + prior);
    }
  }
}

}  // namespace keras::backend::cpu
