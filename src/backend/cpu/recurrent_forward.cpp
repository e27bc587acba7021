// recurrent_forward: the whole sequence of a SimpleRNN, LSTM or GRU (see
// recurrent.hpp). Cell formulas as keras/src/layers/rnn/{simple_rnn,lstm,gru}.py;
// the mask rule as keras/src/backend/jax/rnn.py: a masked row keeps its
// previous states.
#include <algorithm>
#include <cstring>

#include "backend/cpu/recurrent.hpp"
#include "backend/cpu/recurrent_common.hpp"
#include "backend/cpu/recurrent_gemm.hpp"

namespace keras::backend::cpu {

namespace {

using namespace recurrent_detail;

// pre (B*T, G*U) = x_d . kernel + input bias, one GEMM per input operand
// (one, or one per gate under per-gate input dropout). The GEMMs add to pre
// filled with the bias: one pass over pre instead of BLAS zeroing it and a
// second pass adding the bias.
template <class T>
void project_inputs(const Layout<T>& L, const T* x, T* pre) {
  const std::int64_t rows = L.B * L.steps;
  const T* bias = L.w.bias;  // GRU reset_after: row 0, the input bias
  const T beta = bias != nullptr ? T(1) : T(0);
  if (bias != nullptr) {
    for_rows(rows, L.GU, [&](std::int64_t r) {
      std::memcpy(pre + r * L.GU, bias, static_cast<std::size_t>(L.GU) * sizeof(T));
    });
  }
  if (L.spec.input_dropout_count == 0) {
    gemm(false, false, rows, L.GU, L.I, T(1), x, L.I, L.w.kernel, L.GU, beta, pre, L.GU);
    return;
  }
  Scratch<T> xd(rows * L.I);
  const std::int64_t groups = L.input_groups();
  const std::int64_t width = groups == 1 ? L.GU : L.U;
  for (std::int64_t g = 0; g < groups; ++g) {
    masked_inputs(L, x, g, xd.get());
    gemm(false, false, rows, width, L.I, T(1), xd.get(), L.I, L.w.kernel + g * L.U, L.GU, beta,
         pre + g * L.U, L.GU);
  }
}

template <class T>
class ForwardPass {
 public:
  ForwardPass(const Layout<T>& layout, const T* x, const T* h0, const T* c0, T* y, T* h_out,
              T* c_out, const RecurrentTape<T>* tape)
      : L(layout),
        act_(layout.k.activation),
        rec_act_(layout.k.recurrent_activation),
        y_(y),
        h_out_(h_out),
        c_out_(c_out),
        tape_(tape),
        pre_scratch_(tape != nullptr ? 0 : L.B * L.steps * L.GU),
        gates_scratch_(tape != nullptr ? 0 : L.B * L.GU),
        states_scratch_(tape != nullptr ? 0 : 2 * L.spec.states() * L.B * L.U),
        rec_(L.spec.cell == RecurrentCell::gru ? L.B * L.GU : 0),
        work_(L.B * L.U),
        hd_(L.spec.recurrent_dropout_count > 0 ? L.B * L.U : 0),
        packed_(L.w.recurrent_kernel, L.GU, packed_gates() > 0 ? L.U : 0, packed_gates() * L.U,
                false),
        packed_h_(L.w.recurrent_kernel + 2 * L.U, L.GU, reset_before() ? L.U : 0, L.U, false) {
    pre_ = tape != nullptr ? tape->pre : pre_scratch_.get();
    project_inputs(L, x, pre_);
    h_prev_ = {h0, L.U};
    c_prev_ = {c0, L.U};
    if (tape_ != nullptr) {
      // The tape holds each step's incoming states; step 0's are the initial ones.
      const std::int64_t t0 = L.time_of(0);
      h_prev_ = store_initial(tape_->h_prev, t0, h0);
      if (L.spec.cell == RecurrentCell::lstm) c_prev_ = store_initial(tape_->c_prev, t0, c0);
    }
  }

  void run() {
    for (std::int64_t s = 0; s < L.steps; ++s) {
      const std::int64_t t = L.time_of(s);
      const Rows<T> h_new = state_slot(s + 1, 0, h_out_, tape_ ? tape_->h_prev : nullptr);
      const Rows<T> c_new = L.spec.cell == RecurrentCell::lstm
                                ? state_slot(s + 1, 1, c_out_, tape_ ? tape_->c_prev : nullptr)
                                : Rows<T>{};
      const Rows<T> pre = L.slice(pre_, t, L.GU);
      const Rows<T> gates =
          tape_ != nullptr ? L.slice(tape_->gates, t, L.GU) : Rows<T>{gates_scratch_.get(), L.GU};
      switch (L.spec.cell) {
        case RecurrentCell::simple_rnn: simple_rnn_step(s, t, pre, gates, h_new); break;
        case RecurrentCell::lstm: lstm_step(s, t, pre, gates, h_new, c_new); break;
        case RecurrentCell::gru:
          if (L.spec.reset_after) {
            gru_step_reset_after(s, t, pre, gates, h_new);
          } else {
            gru_step_reset_before(s, t, pre, gates, h_new);
          }
          break;
      }
      h_prev_ = {h_new.data, h_new.ld};
      c_prev_ = {c_new.data, c_new.ld};
    }
  }

 private:
  bool reset_before() const { return L.spec.cell == RecurrentCell::gru && !L.spec.reset_after; }
  // How many gates, from the first, one packed product covers (0: none,
  // under per-gate recurrent dropout): all, but a GRU without reset_after
  // multiplies its candidate's columns by r * h separately.
  std::int64_t packed_gates() const {
    if (L.spec.recurrent_dropout_count > 1) return 0;
    return reset_before() ? 2 : L.G;
  }

  // out (+)= h_d . R[:, gates [0, n)] (see recurrent_product), through the
  // packed kernel when it covers those gates.
  void product(Rows<const T> h, std::int64_t n, T beta, T* out, std::int64_t ld_out) {
    if (n != packed_gates()) {
      recurrent_product(L, h, 0, n, beta, out, ld_out, hd_.get());
      return;
    }
    if (L.spec.recurrent_dropout_count == 1) {
      masked_copy(L, h, 0, hd_.get());
      h = {hd_.get(), L.U};
    }
    packed_.multiply(L.B, h.data, h.ld, beta, out, ld_out);
  }

  Rows<const T> store_initial(T* base, std::int64_t t0, const T* state) {
    const Rows<T> slot = L.slice(base, t0, L.U);
    for (std::int64_t b = 0; b < L.B; ++b) {
      std::memcpy(slot.row(b), state + b * L.U, static_cast<std::size_t>(L.U) * sizeof(T));
    }
    return {slot.data, slot.ld};
  }

  // Where the states after step s - 1 live: the tape's slot of the time step
  // s processes, the final-state output after the last step, else one of two
  // alternating scratch buffers.
  Rows<T> state_slot(std::int64_t s, int which, T* final_out, T* tape_base) {
    if (s == L.steps) return {final_out, L.U};
    if (tape_base != nullptr) return L.slice(tape_base, L.time_of(s), L.U);
    T* base = states_scratch_.get() + (which * 2 + (s % 2)) * L.B * L.U;
    return {base, L.U};
  }

  // A masked row keeps its states; any row then writes its output.
  void finish_row(std::int64_t b, std::int64_t s, std::int64_t t, const Rows<T>& h_new,
                  const Rows<T>* c_new) {
    const std::size_t bytes = static_cast<std::size_t>(L.U) * sizeof(T);
    if (!L.unmasked(b, t)) {
      std::memcpy(h_new.row(b), h_prev_.row(b), bytes);
      if (c_new != nullptr) std::memcpy(c_new->row(b), c_prev_.row(b), bytes);
    }
    T* out = L.output_row(y_, b, s);
    if (out == nullptr) return;
    if (L.output_kept(b, s)) {
      std::memcpy(out, h_new.row(b), bytes);
    } else {
      std::fill(out, out + L.U, T(0));
    }
  }

  void simple_rnn_step(std::int64_t s, std::int64_t t, const Rows<T>& pre, const Rows<T>& gates,
                       const Rows<T>& h_new) {
    product(h_prev_, 1, T(1), pre.data, pre.ld);
    for_rows(L.B, L.U * 8, [&](std::int64_t b) {
      act_.forward(pre.row(b), h_new.row(b), L.U);
      if (tape_ != nullptr) {
        std::memcpy(gates.row(b), h_new.row(b), static_cast<std::size_t>(L.U) * sizeof(T));
      }
      finish_row(b, s, t, h_new, nullptr);
    });
  }

  // z = x.K + h.R + b = [i f c o]; c' = f c + i act(z_c); h' = o act(c').
  void lstm_step(std::int64_t s, std::int64_t t, const Rows<T>& pre, const Rows<T>& gates,
                 const Rows<T>& h_new, const Rows<T>& c_new) {
    product(h_prev_, 4, T(1), pre.data, pre.ld);
    const std::int64_t U = L.U;
    // act(c') goes on the tape for the backward pass, else to scratch.
    const Rows<T> c_act = tape_ != nullptr ? L.slice(tape_->c_act, t, U) : Rows<T>{work_.get(), U};
    for_rows(L.B, L.GU * 8, [&](std::int64_t b) {
      const T* a = pre.row(b);
      T* g = gates.row(b);
      rec_act_.forward(a, g, 2 * U);  // i, f
      act_.forward(a + 2 * U, g + 2 * U, U);
      rec_act_.forward(a + 3 * U, g + 3 * U, U);
      const T* cp = c_prev_.row(b);
      T* c = c_new.row(b);
      for (std::int64_t u = 0; u < U; ++u) c[u] = g[U + u] * cp[u] + g[u] * g[2 * U + u];
      T* tc = c_act.row(b);
      act_.forward(c, tc, U);
      T* h = h_new.row(b);
      for (std::int64_t u = 0; u < U; ++u) h[u] = g[3 * U + u] * tc[u];
      finish_row(b, s, t, h_new, &c_new);
    });
  }

  // rec = h.R + b_rec; z, r = sigma(x_zr + rec_zr); hh = act(x_h + r rec_h);
  // h' = z h + (1 - z) hh.
  void gru_step_reset_after(std::int64_t s, std::int64_t t, const Rows<T>& pre,
                            const Rows<T>& gates, const Rows<T>& h_new) {
    const std::int64_t U = L.U, GU = L.GU;
    T* rec = rec_.get();
    product(h_prev_, 3, T(0), rec, GU);
    const T* rec_bias = L.w.bias != nullptr ? L.w.bias + GU : nullptr;
    const Rows<T> rec_h_tape = tape_ != nullptr ? L.slice(tape_->rec_h, t, U) : Rows<T>{};
    for_rows(L.B, GU * 8, [&](std::int64_t b) {
      T* a = pre.row(b);
      T* g = gates.row(b);
      T* rc = rec + b * GU;
      if (rec_bias != nullptr) {
        for (std::int64_t j = 0; j < GU; ++j) rc[j] += rec_bias[j];
      }
      for (std::int64_t j = 0; j < 2 * U; ++j) a[j] += rc[j];
      rec_act_.forward(a, g, 2 * U);
      for (std::int64_t u = 0; u < U; ++u) a[2 * U + u] += g[U + u] * rc[2 * U + u];
      act_.forward(a + 2 * U, g + 2 * U, U);
      const T* hp = h_prev_.row(b);
      T* h = h_new.row(b);
      for (std::int64_t u = 0; u < U; ++u) h[u] = g[u] * hp[u] + (T(1) - g[u]) * g[2 * U + u];
      if (tape_ != nullptr) {
        std::memcpy(rec_h_tape.row(b), rc + 2 * U, static_cast<std::size_t>(U) * sizeof(T));
      }
      finish_row(b, s, t, h_new, nullptr);
    });
  }

  // z, r = sigma(x_zr + h.R_zr); hh = act(x_h + (r h).R_h); h' = z h + (1 - z) hh.
  void gru_step_reset_before(std::int64_t s, std::int64_t t, const Rows<T>& pre,
                             const Rows<T>& gates, const Rows<T>& h_new) {
    const std::int64_t U = L.U;
    product(h_prev_, 2, T(1), pre.data, pre.ld);
    T* q = work_.get();  // r * h (with gate h's recurrent dropout), (B, U)
    for_rows(L.B, 2 * U * 8, [&](std::int64_t b) {
      const T* a = pre.row(b);
      T* g = gates.row(b);
      rec_act_.forward(a, g, 2 * U);
      const T* hp = h_prev_.row(b);
      const T* m = L.recurrent_mask(2, b);
      T* qr = q + b * U;
      if (m != nullptr) {
        for (std::int64_t u = 0; u < U; ++u) qr[u] = g[U + u] * hp[u] * m[u];
      } else {
        for (std::int64_t u = 0; u < U; ++u) qr[u] = g[U + u] * hp[u];
      }
    });
    packed_h_.multiply(L.B, q, U, T(1), pre.data + 2 * U, pre.ld);
    for_rows(L.B, U * 8, [&](std::int64_t b) {
      const T* a = pre.row(b);
      T* g = gates.row(b);
      act_.forward(a + 2 * U, g + 2 * U, U);
      const T* hp = h_prev_.row(b);
      T* h = h_new.row(b);
      for (std::int64_t u = 0; u < U; ++u) h[u] = g[u] * hp[u] + (T(1) - g[u]) * g[2 * U + u];
      finish_row(b, s, t, h_new, nullptr);
    });
  }

  const Layout<T>& L;
  SpanActivation<T> act_, rec_act_;
  T* y_;
  T* h_out_;
  T* c_out_;
  const RecurrentTape<T>* tape_;
  Scratch<T> pre_scratch_, gates_scratch_, states_scratch_, rec_, work_, hd_;
  // The recurrent kernel packed for the step products: gates [0,
  // packed_gates()), and a GRU without reset_after's candidate columns.
  StepMatrix<T> packed_, packed_h_;
  T* pre_ = nullptr;
  Rows<const T> h_prev_, c_prev_;
};

}  // namespace

template <class T>
void recurrent_forward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                       const RecurrentConstants<T>& k, const T* x, const T* h0, const T* c0, T* y,
                       T* h_out, T* c_out, const RecurrentTape<T>* tape) {
  if (spec.batch <= 0 || spec.time <= 0) return;
  const Layout<T> layout(spec, w, k);
  ForwardPass<T> pass(layout, x, h0, c0, y, h_out, c_out, tape);
  pass.run();
}

template void recurrent_forward<float>(const RecurrentSpec&, const RecurrentWeights<float>&,
                                       const RecurrentConstants<float>&, const float*, const float*,
                                       const float*, float*, float*, float*,
                                       const RecurrentTape<float>*);
template void recurrent_forward<double>(const RecurrentSpec&, const RecurrentWeights<double>&,
                                        const RecurrentConstants<double>&, const double*,
                                        const double*, const double*, double*, double*, double*,
                                        const RecurrentTape<double>*);

}  // namespace keras::backend::cpu
