#pragma once
// kerascpp's own float32 GEMM for AVX-512 CPUs, for the products of training
// at a batch of about a hundred rows: OpenBLAS 0.3.21 reaches only 200-240
// GFLOP/s of this machine's 356 on two threads there, because it packs its
// operands per thread and splits a 128-row product poorly. Same contract as
// cpu::gemm (row-major, op() transposes, beta == 0 never reads C).
#include <cstdint>

namespace keras::backend::cpu {

// Whether sgemm_avx512 is compiled in (-march with AVX-512F) and worth it for
// this shape; otherwise cpu::gemm goes to BLAS.
bool sgemm_avx512_suits(std::int64_t m, std::int64_t n, std::int64_t k);

// Applied to C as each tile is stored, so that Dense's bias and ReLU cost no
// extra pass over the output: C = relu(alpha op(A) op(B) + beta C + bias).
struct SgemmEpilogue {
  const float* bias = nullptr;  // n values, one per column; none when null
  bool relu = false;
};

// Uses the OpenMP threads unless called inside a parallel region. Once warm for
// a shape, it does not allocate: each calling thread keeps its packing buffers.
void sgemm_avx512(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
                  float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
                  float beta, float* c, std::int64_t ldc, const SgemmEpilogue& epilogue = {});

}  // namespace keras::backend::cpu
