#pragma once
// Pieces the recurrent forward and backward kernels share: scratch memory,
// the step/time bookkeeping, masks, dropout and the GEMMs with the kernels.
// Internal to src/backend/cpu/recurrent_*.cpp.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "backend/allocator.hpp"
#include "backend/cpu/gemm.hpp"
#include "backend/cpu/parallel.hpp"
#include "backend/cpu/recurrent.hpp"

namespace keras::backend::cpu::recurrent_detail {

// Uninitialised memory from the caching allocator for the length of one
// call (never per step).
template <class T>
class Scratch {
 public:
  explicit Scratch(std::int64_t count)
      : bytes_(count > 0 ? static_cast<std::size_t>(count) * sizeof(T) : 0),
        data_(bytes_ > 0 ? static_cast<T*>(allocate(bytes_)) : nullptr) {}
  ~Scratch() {
    if (data_ != nullptr) deallocate(data_, bytes_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  T* get() const { return data_; }

 private:
  std::size_t bytes_;
  T* data_;
};

// A matrix whose rows are ld elements apart: a time slice of a (B, T, n)
// buffer (ld = T * n) or a plain (B, n) one (ld = n).
template <class T>
struct Rows {
  T* data = nullptr;
  std::int64_t ld = 0;
  T* row(std::int64_t b) const { return data + b * ld; }
};

// Sizes and the rules every kernel follows.
template <class T>
struct Layout {
  const RecurrentSpec& spec;
  const RecurrentWeights<T>& w;
  const RecurrentConstants<T>& k;
  std::int64_t B, steps, I, U, G, GU;
  // Per row: the first step whose input is unmasked (steps if none), for
  // MaskedOutput::previous_output.
  std::vector<std::int64_t> first_unmasked;

  Layout(const RecurrentSpec& s, const RecurrentWeights<T>& weights,
         const RecurrentConstants<T>& constants)
      : spec(s),
        w(weights),
        k(constants),
        B(s.batch),
        steps(s.time),
        I(s.input_dim),
        U(s.units),
        G(s.gates()),
        GU(s.gates() * s.units) {
    if (spec.masked_output == MaskedOutput::previous_output) {
      first_unmasked.assign(static_cast<std::size_t>(B), steps);
      for (std::int64_t b = 0; b < B; ++b) {
        for (std::int64_t s2 = 0; s2 < steps; ++s2) {
          if (unmasked(b, time_of(s2))) {
            first_unmasked[static_cast<std::size_t>(b)] = s2;
            break;
          }
        }
      }
    }
  }

  // The time index step s processes.
  std::int64_t time_of(std::int64_t s) const { return spec.go_backwards ? steps - 1 - s : s; }
  bool unmasked(std::int64_t b, std::int64_t t) const {
    return k.mask == nullptr || k.mask[b * steps + t];
  }
  // Whether step s's output is its new state (else zeros).
  bool output_kept(std::int64_t b, std::int64_t s) const {
    switch (spec.masked_output) {
      case MaskedOutput::previous_state: return true;
      case MaskedOutput::zeros: return unmasked(b, time_of(s));
      case MaskedOutput::previous_output: return s >= first_unmasked[static_cast<std::size_t>(b)];
    }
    return true;
  }
  // The row of y that step s writes (or reads the gradient from), or null
  // when step s gives no output (not the last one, without return_sequences).
  template <class P>
  P* output_row(P* y, std::int64_t b, std::int64_t s) const {
    if (spec.return_sequences) return y + (b * steps + s) * U;
    return s == steps - 1 ? y + b * U : nullptr;
  }

  // Time slice t of a (B, T, width) buffer.
  Rows<T> slice(T* base, std::int64_t t, std::int64_t width) const {
    return {base + t * width, steps * width};
  }

  // Which recurrent dropout mask gate g uses (-1: none), as Keras'
  // get_recurrent_dropout_mask gives one mask or one per gate.
  const T* recurrent_mask(std::int64_t g, std::int64_t b) const {
    if (k.recurrent_dropout == nullptr || spec.recurrent_dropout_count == 0) return nullptr;
    const std::int64_t which = spec.recurrent_dropout_count == 1 ? 0 : g;
    return k.recurrent_dropout + (which * B + b) * U;
  }
  const T* input_mask(std::int64_t g, std::int64_t b) const {
    if (k.input_dropout == nullptr || spec.input_dropout_count == 0) return nullptr;
    const std::int64_t which = spec.input_dropout_count == 1 ? 0 : g;
    return k.input_dropout + (which * B + b) * I;
  }
  // How many separate input / recurrent operands the gates have: 1 when all
  // gates see the same (possibly dropped-out) vector, else one per gate.
  std::int64_t input_groups() const { return spec.input_dropout_count > 1 ? G : 1; }
  std::int64_t recurrent_groups() const { return spec.recurrent_dropout_count > 1 ? G : 1; }
};

// Rows over which the gate math is split between threads.
template <class Body>
void for_rows(std::int64_t rows, std::int64_t work_per_row, Body&& body) {
  parallel_for(rows, work_per_row, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) body(b);
  });
}

// dst = h * mask row by row (dst is (B, U) contiguous).
template <class T>
void masked_copy(const Layout<T>& L, Rows<const T> h, std::int64_t g, T* dst) {
  for (std::int64_t b = 0; b < L.B; ++b) {
    const T* hr = h.row(b);
    const T* m = L.recurrent_mask(g, b);
    T* d = dst + b * L.U;
    for (std::int64_t u = 0; u < L.U; ++u) d[u] = hr[u] * m[u];
  }
}

// out[:, gate0*U : (gate0+n)*U] (+)= h_d . R[:, same columns], where h_d is
// h with gate g's recurrent dropout mask; out's rows are ld_out apart and
// point at gate0's first column. hd: (B, U) scratch when dropout is on.
template <class T>
void recurrent_product(const Layout<T>& L, Rows<const T> h, std::int64_t gate0, std::int64_t n,
                       T beta, T* out, std::int64_t ld_out, T* hd) {
  const T* R = L.w.recurrent_kernel;
  if (L.spec.recurrent_dropout_count == 0) {
    gemm(false, false, L.B, n * L.U, L.U, T(1), h.data, h.ld, R + gate0 * L.U, L.GU, beta, out,
         ld_out);
    return;
  }
  if (L.spec.recurrent_dropout_count == 1) {
    masked_copy(L, h, 0, hd);
    gemm(false, false, L.B, n * L.U, L.U, T(1), hd, L.U, R + gate0 * L.U, L.GU, beta, out, ld_out);
    return;
  }
  for (std::int64_t g = gate0; g < gate0 + n; ++g) {
    masked_copy(L, h, g, hd);
    gemm(false, false, L.B, L.U, L.U, T(1), hd, L.U, R + g * L.U, L.GU, beta,
         out + (g - gate0) * L.U, ld_out);
  }
}

// dst (B*T, I) = x with input dropout mask `group` (broadcast over time).
template <class T>
void masked_inputs(const Layout<T>& L, const T* x, std::int64_t group, T* dst) {
  for_rows(L.B, L.steps * L.I, [&](std::int64_t b) {
    const T* m = L.input_mask(group, b);
    for (std::int64_t t = 0; t < L.steps; ++t) {
      const T* xr = x + (b * L.steps + t) * L.I;
      T* d = dst + (b * L.steps + t) * L.I;
      for (std::int64_t i = 0; i < L.I; ++i) d[i] = xr[i] * m[i];
    }
  });
}

// Rows of a (rows, width) matrix, ld apart, summed into out (width,).
template <class T>
void column_sums(const T* a, std::int64_t rows, std::int64_t width, std::int64_t ld, T* out) {
  std::fill(out, out + width, T(0));
  for (std::int64_t r = 0; r < rows; ++r) {
    const T* row = a + r * ld;
    for (std::int64_t j = 0; j < width; ++j) out[j] += row[j];
  }
}

}  // namespace keras::backend::cpu::recurrent_detail
