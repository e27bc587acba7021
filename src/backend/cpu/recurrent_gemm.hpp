#pragma once
// The small products of the recurrent kernels' step loops: every step
// multiplies a (batch, units) state by the same recurrent kernel (or its
// transpose). At batch 30 and 75 units a BLAS call spends as long packing
// the kernel as multiplying; StepMatrix copies it once per call into rows of
// whole SIMD vectors (transposed if need be) and multiplies with a register-
// tiled loop that needs no packing. Its sums run over k in order with one
// fused multiply-add per term, as OpenBLAS' kernels do, so on this machine
// the results are bit-identical to the BLAS products they replace.
// Internal to src/backend/cpu/recurrent_*.cpp.
#include <cstdint>

#include "backend/cpu/recurrent_common.hpp"

namespace keras::backend::cpu::recurrent_detail {

template <class T>
class StepMatrix {
 public:
  // B = b (k x n, rows ldb apart), or with transpose B = b^T where b is
  // (n x k, rows ldb apart). b must outlive this object (float64, and
  // matrices too large to stay in cache, are read in place through BLAS).
  // k == 0 makes an unused, empty matrix.
  StepMatrix(const T* b, std::int64_t ldb, std::int64_t k, std::int64_t n, bool transpose);
  StepMatrix() : StepMatrix(nullptr, 0, 0, 0, false) {}
  StepMatrix(const StepMatrix&) = delete;
  StepMatrix& operator=(const StepMatrix&) = delete;

  // c (m x n, rows ldc apart) = a (m x k, rows lda apart) . B + beta * c,
  // beta 0 or 1; split between threads by rows when that pays.
  void multiply(std::int64_t m, const T* a, std::int64_t lda, T beta, T* c, std::int64_t ldc) const;

 private:
  const T* b_;
  std::int64_t ldb_, k_, n_;
  bool transpose_;
  std::int64_t ld_packed_;  // 0: not packed, BLAS reads b_
  Scratch<T> packed_;       // (k x ld_packed_), zeros past column n
};

}  // namespace keras::backend::cpu::recurrent_detail
