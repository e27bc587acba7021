// recurrent_backward: hand-written gradients of recurrent_forward. The steps
// are walked in reverse; each computes the gradients of its gate
// pre-activations (dA) from the state gradients, and the gradient of the
// previous state with one GEMM (dA . R^T). The weight and input gradients
// then come from one GEMM each over the dA of all steps.
#include <algorithm>
#include <cstring>

#include "backend/cpu/recurrent.hpp"
#include "backend/cpu/recurrent_common.hpp"
#include "backend/cpu/recurrent_gemm.hpp"

namespace keras::backend::cpu {

namespace {

using namespace recurrent_detail;

template <class T>
class BackwardPass {
 public:
  BackwardPass(const Layout<T>& layout, const RecurrentTape<T>& tape)
      : L(layout),
        act_(layout.k.activation),
        rec_act_(layout.k.recurrent_activation),
        tape_(tape),
        dpre_(L.B * L.steps * L.GU),
        drec_(L.spec.separate_recurrent() ? L.B * L.steps * L.GU : 0),
        dh_(2 * L.B * L.U),
        dc_(L.spec.cell == RecurrentCell::lstm ? 2 * L.B * L.U : 0),
        work_(L.B * L.U),
        product_(L.spec.recurrent_dropout_count > 0 ? L.B * L.U : 0),
        packed_(L.w.recurrent_kernel, L.GU, packed_gates() * L.U, packed_gates() > 0 ? L.U : 0,
                true),
        packed_h_(L.w.recurrent_kernel + 2 * L.U, L.GU, reset_before() ? L.U : 0, L.U, true) {}

  // Walks the steps backwards; leaves the initial states' gradients in
  // dh_cur() / dc_cur().
  void run(const T* dy, const T* dh_out, const T* dc_out) {
    const std::size_t n = static_cast<std::size_t>(L.B * L.U);
    T* dh = dh_.get();
    if (dh_out != nullptr) {
      std::memcpy(dh, dh_out, n * sizeof(T));
    } else {
      std::fill(dh, dh + n, T(0));
    }
    if (L.spec.cell == RecurrentCell::lstm) {
      T* dc = dc_.get();
      if (dc_out != nullptr) {
        std::memcpy(dc, dc_out, n * sizeof(T));
      } else {
        std::fill(dc, dc + n, T(0));
      }
    }
    for (std::int64_t s = L.steps - 1; s >= 0; --s) {
      const std::int64_t t = L.time_of(s);
      add_output_gradient(dy, s, cur(dh_));
      switch (L.spec.cell) {
        case RecurrentCell::simple_rnn: simple_rnn_step(t); break;
        case RecurrentCell::lstm: lstm_step(t); break;
        case RecurrentCell::gru:
          if (L.spec.reset_after) {
            gru_step_reset_after(t);
          } else {
            gru_step_reset_before(t);
          }
          break;
      }
      flip_ = !flip_;
    }
  }

  const T* dh_initial() { return cur(dh_); }
  const T* dc_initial() { return cur(dc_); }
  const T* dpre() const { return dpre_.get(); }
  // The pre-activation gradients the recurrent kernel sees.
  const T* drec() const { return L.spec.separate_recurrent() ? drec_.get() : dpre_.get(); }

 private:
  T* cur(const Scratch<T>& pair) const { return pair.get() + (flip_ ? L.B * L.U : 0); }
  T* prev(const Scratch<T>& pair) const { return pair.get() + (flip_ ? 0 : L.B * L.U); }

  // dh += dy where step s's output is its state h.
  void add_output_gradient(const T* dy, std::int64_t s, T* dh) const {
    for (std::int64_t b = 0; b < L.B; ++b) {
      const T* g = L.output_row(dy, b, s);
      if (g == nullptr || !L.output_kept(b, s)) continue;
      T* d = dh + b * L.U;
      for (std::int64_t u = 0; u < L.U; ++u) d[u] += g[u];
    }
  }

  // A masked row passes its state gradients through and has no gate
  // gradients; true when row b at time t is masked (and was handled).
  bool pass_masked(std::int64_t b, std::int64_t t, const Rows<T>& da) const {
    if (L.unmasked(b, t)) return false;
    const std::size_t bytes = static_cast<std::size_t>(L.U) * sizeof(T);
    std::memcpy(prev(dh_) + b * L.U, cur(dh_) + b * L.U, bytes);
    if (L.spec.cell == RecurrentCell::lstm) {
      std::memcpy(prev(dc_) + b * L.U, cur(dc_) + b * L.U, bytes);
    }
    std::fill(da.row(b), da.row(b) + L.GU, T(0));
    if (L.spec.separate_recurrent()) {
      T* dr = L.slice(drec_.get(), t, L.GU).row(b);
      std::fill(dr, dr + L.GU, T(0));
    }
    return true;
  }

  // dh_prev += sum over gates g of (dA_g . R_g^T) * recurrent mask_g, for the
  // gates [gate0, gate0 + n).
  void add_recurrent_gradient(const Rows<T>& da, std::int64_t gate0, std::int64_t n) {
    const T* R = L.w.recurrent_kernel;
    T* dh_prev = prev(dh_);
    if (gate0 == 0 && n == packed_gates()) {
      if (L.spec.recurrent_dropout_count == 0) {
        packed_.multiply(L.B, da.data, da.ld, T(1), dh_prev, L.U);
        return;
      }
      // One dropout mask: the product, then times the mask.
      T* p = product_.get();
      packed_.multiply(L.B, da.data, da.ld, T(0), p, L.U);
      for (std::int64_t b = 0; b < L.B; ++b) {
        const T* m = L.recurrent_mask(0, b);
        const T* pr = p + b * L.U;
        T* d = dh_prev + b * L.U;
        for (std::int64_t u = 0; u < L.U; ++u) d[u] += pr[u] * m[u];
      }
      return;
    }
    if (L.spec.recurrent_dropout_count == 0) {
      gemm(false, true, L.B, L.U, n * L.U, T(1), da.data + gate0 * L.U, da.ld, R + gate0 * L.U,
           L.GU, T(1), dh_prev, L.U);
      return;
    }
    const bool one_mask = L.spec.recurrent_dropout_count == 1;
    const std::int64_t groups = one_mask ? 1 : n;
    for (std::int64_t i = 0; i < groups; ++i) {
      const std::int64_t g = gate0 + i;
      const std::int64_t width = one_mask ? n * L.U : L.U;
      T* p = product_.get();
      gemm(false, true, L.B, L.U, width, T(1), da.data + g * L.U, da.ld, R + g * L.U, L.GU, T(0), p,
           L.U);
      for (std::int64_t b = 0; b < L.B; ++b) {
        const T* m = L.recurrent_mask(g, b);
        const T* pr = p + b * L.U;
        T* d = dh_prev + b * L.U;
        for (std::int64_t u = 0; u < L.U; ++u) d[u] += pr[u] * m[u];
      }
    }
  }

  bool reset_before() const { return L.spec.cell == RecurrentCell::gru && !L.spec.reset_after; }
  // As ForwardPass::packed_gates: the gates [0, n) whose transposed
  // recurrent kernel one packed product covers (0: none).
  std::int64_t packed_gates() const {
    if (L.spec.recurrent_dropout_count > 1) return 0;
    return reset_before() ? 2 : L.G;
  }

  Rows<T> dpre_rows(std::int64_t t) const { return L.slice(dpre_.get(), t, L.GU); }
  Rows<const T> tape_rows(T* base, std::int64_t t, std::int64_t width) const {
    const Rows<T> r = L.slice(base, t, width);
    return {r.data, r.ld};
  }

  void simple_rnn_step(std::int64_t t) {
    const Rows<T> da = dpre_rows(t);
    const Rows<const T> a = tape_rows(tape_.pre, t, L.GU);
    const Rows<const T> h = tape_rows(tape_.gates, t, L.GU);
    for_rows(L.B, L.U * 4, [&](std::int64_t b) {
      if (pass_masked(b, t, da)) return;
      act_.backward(cur(dh_) + b * L.U, a.row(b), h.row(b), da.row(b), L.U);
      std::fill(prev(dh_) + b * L.U, prev(dh_) + (b + 1) * L.U, T(0));
    });
    add_recurrent_gradient(da, 0, 1);
  }

  void lstm_step(std::int64_t t) {
    const std::int64_t U = L.U;
    const Rows<T> da = dpre_rows(t);
    const Rows<const T> a = tape_rows(tape_.pre, t, L.GU);
    const Rows<const T> gates = tape_rows(tape_.gates, t, L.GU);
    const Rows<const T> c_prev = tape_rows(tape_.c_prev, t, U);
    const Rows<const T> c_act = tape_rows(tape_.c_act, t, U);
    for_rows(L.B, L.GU * 8, [&](std::int64_t b) {
      if (pass_masked(b, t, da)) return;
      const T* g = gates.row(b);
      const T* cp = c_prev.row(b);
      const T* dh = cur(dh_) + b * U;
      const T* dc = cur(dc_) + b * U;
      T* d = da.row(b);
      const T* tc = c_act.row(b);  // act(c'), kept by the forward pass
      // c' itself only for an activation whose derivative reads its input.
      T* c = work_.get() + b * U;
      if (act_.uses_input) {
        for (std::int64_t u = 0; u < U; ++u) c[u] = g[U + u] * cp[u] + g[u] * g[2 * U + u];
      }
      // The gates' gradients and inputs apart. The loops write rows the
      // compiler cannot prove disjoint from the ones they read (for an
      // unknown U), so without `omp simd` they would stay scalar.
      T* d_i = d;
      T* d_f = d + U;
      T* d_g = d + 2 * U;
      T* d_o = d + 3 * U;
      T* dc_prev = prev(dc_) + b * U;
      const T* g_i = g;
      const T* g_f = g + U;
      const T* g_g = g + 2 * U;
      const T* g_o = g + 3 * U;
#pragma omp simd
      for (std::int64_t u = 0; u < U; ++u) {
        d_o[u] = dh[u] * tc[u];   // do
        d_g[u] = dh[u] * g_o[u];  // d act(c')
      }
      act_.backward(d_g, c, tc, d_g, U);
#pragma omp simd
      for (std::int64_t u = 0; u < U; ++u) {
        const T total = d_g[u] + dc[u];
        d_i[u] = total * g_g[u];  // di
        d_f[u] = total * cp[u];   // df
        d_g[u] = total * g_i[u];  // d candidate
        dc_prev[u] = total * g_f[u];
      }
      rec_act_.backward(d, a.row(b), g, d, 2 * U);
      act_.backward(d + 2 * U, a.row(b) + 2 * U, g + 2 * U, d + 2 * U, U);
      rec_act_.backward(d + 3 * U, a.row(b) + 3 * U, g + 3 * U, d + 3 * U, U);
      std::fill(prev(dh_) + b * U, prev(dh_) + (b + 1) * U, T(0));
    });
    add_recurrent_gradient(da, 0, 4);
  }

  void gru_step_reset_after(std::int64_t t) {
    const std::int64_t U = L.U;
    const Rows<T> da = dpre_rows(t);
    const Rows<T> dr = L.slice(drec_.get(), t, L.GU);
    const Rows<const T> a = tape_rows(tape_.pre, t, L.GU);
    const Rows<const T> gates = tape_rows(tape_.gates, t, L.GU);
    const Rows<const T> h_prev = tape_rows(tape_.h_prev, t, U);
    const Rows<const T> rec_h = tape_rows(tape_.rec_h, t, U);
    for_rows(L.B, L.GU * 8, [&](std::int64_t b) {
      if (pass_masked(b, t, da)) return;
      const T* g = gates.row(b);
      const T* hp = h_prev.row(b);
      const T* dh = cur(dh_) + b * U;
      T* d = da.row(b);
      T* dp = prev(dh_) + b * U;
#pragma omp simd  // d's gate blocks do not overlap (see lstm_step)
      for (std::int64_t u = 0; u < U; ++u) {
        d[u] = dh[u] * (hp[u] - g[2 * U + u]);  // dz
        d[2 * U + u] = dh[u] * (T(1) - g[u]);   // d hh
        dp[u] = dh[u] * g[u];
      }
      act_.backward(d + 2 * U, a.row(b) + 2 * U, g + 2 * U, d + 2 * U, U);
      const T* rh = rec_h.row(b);
      for (std::int64_t u = 0; u < U; ++u) d[U + u] = d[2 * U + u] * rh[u];  // dr
      rec_act_.backward(d, a.row(b), g, d, 2 * U);
      T* r = dr.row(b);
      std::memcpy(r, d, static_cast<std::size_t>(2 * U) * sizeof(T));
      for (std::int64_t u = 0; u < U; ++u) r[2 * U + u] = d[2 * U + u] * g[U + u];
    });
    add_recurrent_gradient(dr, 0, 3);
  }

  void gru_step_reset_before(std::int64_t t) {
    const std::int64_t U = L.U;
    const Rows<T> da = dpre_rows(t);
    const Rows<const T> a = tape_rows(tape_.pre, t, L.GU);
    const Rows<const T> gates = tape_rows(tape_.gates, t, L.GU);
    const Rows<const T> h_prev = tape_rows(tape_.h_prev, t, U);
    for_rows(L.B, U * 8, [&](std::int64_t b) {
      if (pass_masked(b, t, da)) return;
      const T* g = gates.row(b);
      const T* hp = h_prev.row(b);
      const T* dh = cur(dh_) + b * U;
      T* d = da.row(b);
      for (std::int64_t u = 0; u < U; ++u) {
        d[u] = dh[u] * (hp[u] - g[2 * U + u]);
        d[2 * U + u] = dh[u] * (T(1) - g[u]);
      }
      act_.backward(d + 2 * U, a.row(b) + 2 * U, g + 2 * U, d + 2 * U, U);
    });
    // dq = d(x_h + q.R_h) . R_h^T, q = r * h_d.
    T* dq = work_.get();
    packed_h_.multiply(L.B, da.data + 2 * U, da.ld, T(0), dq, U);
    for_rows(L.B, 2 * U * 8, [&](std::int64_t b) {
      if (!L.unmasked(b, t)) return;  // passed through above
      const T* g = gates.row(b);
      const T* hp = h_prev.row(b);
      const T* m = L.recurrent_mask(2, b);
      const T* dqr = dq + b * U;
      const T* dh = cur(dh_) + b * U;
      T* d = da.row(b);
      T* dp = prev(dh_) + b * U;
#pragma omp simd  // d's gate blocks do not overlap (see lstm_step)
      for (std::int64_t u = 0; u < U; ++u) {
        const T mh = m != nullptr ? m[u] : T(1);
        d[U + u] = dqr[u] * hp[u] * mh;  // dr
        dp[u] = dh[u] * g[u] + dqr[u] * g[U + u] * mh;
      }
      rec_act_.backward(d, a.row(b), g, d, 2 * U);
    });
    add_recurrent_gradient(da, 0, 2);
  }

  const Layout<T>& L;
  SpanActivation<T> act_, rec_act_;
  const RecurrentTape<T>& tape_;
  Scratch<T> dpre_, drec_, dh_, dc_, work_, product_;
  // R^T packed for the step products: gates [0, packed_gates()), and a GRU
  // without reset_after's candidate columns.
  StepMatrix<T> packed_, packed_h_;
  bool flip_ = false;
};

// dkernel = x_d^T . dA and dx = dA . kernel^T (times the input dropout mask),
// one GEMM per input operand.
template <class T>
void input_gradients(const Layout<T>& L, const T* x, const T* dpre, T* dx, T* dkernel) {
  const std::int64_t rows = L.B * L.steps;
  const std::int64_t groups = L.spec.input_dropout_count == 0 ? 1 : L.input_groups();
  const std::int64_t width = groups == 1 ? L.GU : L.U;
  const bool masked = L.spec.input_dropout_count > 0;
  Scratch<T> xd(masked && dkernel != nullptr ? rows * L.I : 0);
  Scratch<T> part(masked && dx != nullptr ? rows * L.I : 0);
  if (dx != nullptr && masked) std::fill(dx, dx + rows * L.I, T(0));
  for (std::int64_t g = 0; g < groups; ++g) {
    const T* da = dpre + g * L.U;
    const T* kernel = L.w.kernel + g * L.U;
    if (dkernel != nullptr) {
      const T* left = x;
      if (masked) {
        masked_inputs(L, x, g, xd.get());
        left = xd.get();
      }
      gemm(true, false, L.I, width, rows, T(1), left, L.I, da, L.GU, T(0), dkernel + g * L.U, L.GU);
    }
    if (dx == nullptr) continue;
    if (!masked) {
      gemm(false, true, rows, L.I, width, T(1), da, L.GU, kernel, L.GU, T(0), dx, L.I);
      continue;
    }
    T* p = part.get();
    gemm(false, true, rows, L.I, width, T(1), da, L.GU, kernel, L.GU, T(0), p, L.I);
    for_rows(L.B, L.steps * L.I, [&](std::int64_t b) {
      const T* m = L.input_mask(g, b);
      for (std::int64_t t = 0; t < L.steps; ++t) {
        const std::int64_t r = b * L.steps + t;
        for (std::int64_t i = 0; i < L.I; ++i) dx[r * L.I + i] += p[r * L.I + i] * m[i];
      }
    });
  }
}

// The left operand gate g's recurrent weights saw at every (b, t), into dst
// (B*T, U): h (with gate g's recurrent dropout mask), or for the candidate
// of a GRU without reset_after, r * h.
template <class T>
void recurrent_operand(const Layout<T>& L, const RecurrentTape<T>& tape, std::int64_t g, T* dst) {
  const bool reset_gate = L.spec.cell == RecurrentCell::gru && !L.spec.reset_after && g == 2;
  for_rows(L.B, L.steps * L.U, [&](std::int64_t b) {
    const T* m = L.recurrent_mask(g, b);
    for (std::int64_t t = 0; t < L.steps; ++t) {
      const std::int64_t r = b * L.steps + t;
      const T* h = tape.h_prev + r * L.U;
      const T* gate_r = tape.gates + r * L.GU + L.U;
      T* d = dst + r * L.U;
      for (std::int64_t u = 0; u < L.U; ++u) {
        T v = h[u];
        if (m != nullptr) v *= m[u];
        if (reset_gate) v *= gate_r[u];
        d[u] = v;
      }
    }
  });
}

// drecurrent_kernel = sum over steps of operand^T . dA_rec: one GEMM when
// all gates share one operand, else one per gate.
template <class T>
void recurrent_kernel_gradient(const Layout<T>& L, const RecurrentTape<T>& tape, const T* drec,
                               T* dR) {
  const std::int64_t rows = L.B * L.steps;
  const bool per_gate = L.spec.recurrent_dropout_count > 1 ||
                        (L.spec.cell == RecurrentCell::gru && !L.spec.reset_after);
  if (!per_gate) {
    const T* left = tape.h_prev;
    Scratch<T> operand(L.spec.recurrent_dropout_count == 1 ? rows * L.U : 0);
    if (L.spec.recurrent_dropout_count == 1) {
      recurrent_operand(L, tape, 0, operand.get());
      left = operand.get();
    }
    gemm(true, false, L.U, L.GU, rows, T(1), left, L.U, drec, L.GU, T(0), dR, L.GU);
    return;
  }
  Scratch<T> operand(rows * L.U);
  for (std::int64_t g = 0; g < L.G; ++g) {
    const bool plain = L.recurrent_mask(g, 0) == nullptr &&
                       !(L.spec.cell == RecurrentCell::gru && !L.spec.reset_after && g == 2);
    const T* left = tape.h_prev;
    if (!plain) {
      recurrent_operand(L, tape, g, operand.get());
      left = operand.get();
    }
    gemm(true, false, L.U, L.U, rows, T(1), left, L.U, drec + g * L.U, L.GU, T(0), dR + g * L.U,
         L.GU);
  }
}

}  // namespace

template <class T>
void recurrent_backward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                        const RecurrentConstants<T>& k, const T* x, const RecurrentTape<T>& tape,
                        const T* dy, const T* dh_out, const T* dc_out,
                        const RecurrentGradients<T>& grads) {
  if (spec.batch <= 0 || spec.time <= 0) return;
  const Layout<T> L(spec, w, k);
  BackwardPass<T> pass(L, tape);
  pass.run(dy, dh_out, dc_out);
  const std::size_t state_bytes = static_cast<std::size_t>(L.B * L.U) * sizeof(T);
  if (grads.dh0 != nullptr) std::memcpy(grads.dh0, pass.dh_initial(), state_bytes);
  if (grads.dc0 != nullptr && spec.cell == RecurrentCell::lstm) {
    std::memcpy(grads.dc0, pass.dc_initial(), state_bytes);
  }
  input_gradients(L, x, pass.dpre(), grads.dx, grads.dkernel);
  if (grads.drecurrent_kernel != nullptr) {
    recurrent_kernel_gradient(L, tape, pass.drec(), grads.drecurrent_kernel);
  }
  if (grads.dbias != nullptr) {
    const std::int64_t rows = L.B * L.steps;
    column_sums(pass.dpre(), rows, L.GU, L.GU, grads.dbias);
    if (spec.separate_recurrent()) column_sums(pass.drec(), rows, L.GU, L.GU, grads.dbias + L.GU);
  }
}

template void recurrent_backward<float>(const RecurrentSpec&, const RecurrentWeights<float>&,
                                        const RecurrentConstants<float>&, const float*,
                                        const RecurrentTape<float>&, const float*, const float*,
                                        const float*, const RecurrentGradients<float>&);
template void recurrent_backward<double>(const RecurrentSpec&, const RecurrentWeights<double>&,
                                         const RecurrentConstants<double>&, const double*,
                                         const RecurrentTape<double>&, const double*, const double*,
                                         const double*, const RecurrentGradients<double>&);

}  // namespace keras::backend::cpu
