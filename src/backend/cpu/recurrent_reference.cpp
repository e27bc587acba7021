// reference_recurrent_forward: Keras' RNN loop written plainly, one step and
// one gate value at a time, for the tests to compare the fused kernel with.
#include <cstdint>
#include <vector>

#include "backend/cpu/recurrent.hpp"

namespace keras::backend::cpu {

namespace {

template <class T>
T activate(const SpanActivation<T>& f, T x) {
  T y;
  f.forward(&x, &y, 1);
  return y;
}

template <class T>
struct Reference {
  const RecurrentSpec& spec;
  const RecurrentWeights<T>& w;
  const RecurrentConstants<T>& k;
  std::int64_t B, steps, I, U, G;

  // sum_i in[i] * M[i, col] over n rows of M with row stride ld.
  static T dot(const std::vector<T>& in, const T* M, std::int64_t ld, std::int64_t col) {
    T acc = 0;
    for (std::size_t i = 0; i < in.size(); ++i)
      acc += in[i] * M[static_cast<std::int64_t>(i) * ld + col];
    return acc;
  }

  // Gate g's view of x[b, t] (input dropout applied).
  std::vector<T> input(const T* x, std::int64_t b, std::int64_t t, std::int64_t g) const {
    std::vector<T> v(x + (b * steps + t) * I, x + (b * steps + t + 1) * I);
    if (spec.input_dropout_count > 0) {
      const std::int64_t which = spec.input_dropout_count == 1 ? 0 : g;
      for (std::int64_t i = 0; i < I; ++i) v[i] *= k.input_dropout[(which * B + b) * I + i];
    }
    return v;
  }
  std::vector<T> recurrent(const std::vector<T>& h, std::int64_t b, std::int64_t g) const {
    std::vector<T> v = h;
    if (spec.recurrent_dropout_count > 0) {
      const std::int64_t which = spec.recurrent_dropout_count == 1 ? 0 : g;
      for (std::int64_t u = 0; u < U; ++u) v[u] *= k.recurrent_dropout[(which * B + b) * U + u];
    }
    return v;
  }
  // x_d . K[:, g*U + u] + input bias.
  T x_part(const std::vector<T>& xg, std::int64_t g, std::int64_t u) const {
    const std::int64_t col = g * U + u;
    T v = dot(xg, w.kernel, G * U, col);
    if (w.bias != nullptr) v += w.bias[col];
    return v;
  }
  T h_part(const std::vector<T>& hg, std::int64_t g, std::int64_t u) const {
    return dot(hg, w.recurrent_kernel, G * U, g * U + u);
  }

  // One cell step for row b; h (and c) are replaced by the new states.
  void step(const T* x, std::int64_t b, std::int64_t t, std::vector<T>& h,
            std::vector<T>& c) const {
    const SpanActivation<T>& act = k.activation;
    const SpanActivation<T>& ract = k.recurrent_activation;
    std::vector<T> hn(U), cn(U);
    if (spec.cell == RecurrentCell::simple_rnn) {
      const auto xg = input(x, b, t, 0);
      const auto hg = recurrent(h, b, 0);
      for (std::int64_t u = 0; u < U; ++u)
        hn[u] = activate(act, x_part(xg, 0, u) + h_part(hg, 0, u));
    } else if (spec.cell == RecurrentCell::lstm) {
      std::vector<std::vector<T>> xs, hs;
      for (int g = 0; g < 4; ++g) {
        xs.push_back(input(x, b, t, g));
        hs.push_back(recurrent(h, b, g));
      }
      for (std::int64_t u = 0; u < U; ++u) {
        const T i = activate(ract, x_part(xs[0], 0, u) + h_part(hs[0], 0, u));
        const T f = activate(ract, x_part(xs[1], 1, u) + h_part(hs[1], 1, u));
        const T cc = activate(act, x_part(xs[2], 2, u) + h_part(hs[2], 2, u));
        const T o = activate(ract, x_part(xs[3], 3, u) + h_part(hs[3], 3, u));
        cn[u] = f * c[u] + i * cc;
        hn[u] = o * activate(act, cn[u]);
      }
    } else {
      std::vector<std::vector<T>> xs, hs;
      for (int g = 0; g < 3; ++g) {
        xs.push_back(input(x, b, t, g));
        hs.push_back(recurrent(h, b, g));
      }
      const T* rec_bias = spec.reset_after && w.bias != nullptr ? w.bias + 3 * U : nullptr;
      std::vector<T> z(U), r(U);
      for (std::int64_t u = 0; u < U; ++u) {
        T rz = h_part(hs[0], 0, u), rr = h_part(hs[1], 1, u);
        if (rec_bias != nullptr) {
          rz += rec_bias[u];
          rr += rec_bias[U + u];
        }
        z[u] = activate(ract, x_part(xs[0], 0, u) + rz);
        r[u] = activate(ract, x_part(xs[1], 1, u) + rr);
      }
      std::vector<T> rh(U);
      for (std::int64_t u = 0; u < U; ++u) rh[u] = r[u] * hs[2][u];
      for (std::int64_t u = 0; u < U; ++u) {
        T candidate;
        if (spec.reset_after) {
          T rec = h_part(hs[2], 2, u);
          if (rec_bias != nullptr) rec += rec_bias[2 * U + u];
          candidate = x_part(xs[2], 2, u) + r[u] * rec;
        } else {
          candidate = x_part(xs[2], 2, u) + h_part(rh, 2, u);
        }
        const T hh = activate(act, candidate);
        hn[u] = z[u] * h[u] + (T(1) - z[u]) * hh;
      }
    }
    h = hn;
    if (spec.cell == RecurrentCell::lstm) c = cn;
  }
};

}  // namespace

template <class T>
void reference_recurrent_forward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                                 const RecurrentConstants<T>& k, const T* x, const T* h0,
                                 const T* c0, T* y, T* h_out, T* c_out) {
  const Reference<T> ref{spec,           w,          k,           spec.batch, spec.time,
                         spec.input_dim, spec.units, spec.gates()};
  const std::int64_t U = spec.units, steps = spec.time;
  for (std::int64_t b = 0; b < spec.batch; ++b) {
    std::vector<T> h(h0 + b * U, h0 + (b + 1) * U);
    std::vector<T> c(U, T(0));
    if (c0 != nullptr) c.assign(c0 + b * U, c0 + (b + 1) * U);
    std::vector<T> last_output(U, T(0));  // for unroll's "previous output"
    for (std::int64_t s = 0; s < steps; ++s) {
      const std::int64_t t = spec.go_backwards ? steps - 1 - s : s;
      const bool on = k.mask == nullptr || k.mask[b * steps + t];
      std::vector<T> output(U, T(0));
      if (on) {
        ref.step(x, b, t, h, c);
        output = h;
      } else if (spec.masked_output == MaskedOutput::previous_state) {
        output = h;
      } else if (spec.masked_output == MaskedOutput::previous_output) {
        output = last_output;
      }
      last_output = output;
      if (spec.return_sequences) {
        for (std::int64_t u = 0; u < U; ++u) y[(b * steps + s) * U + u] = output[u];
      } else if (s == steps - 1) {
        for (std::int64_t u = 0; u < U; ++u) y[b * U + u] = output[u];
      }
    }
    for (std::int64_t u = 0; u < U; ++u) h_out[b * U + u] = h[u];
    if (c_out != nullptr && spec.cell == RecurrentCell::lstm) {
      for (std::int64_t u = 0; u < U; ++u) c_out[b * U + u] = c[u];
    }
  }
}

template void reference_recurrent_forward<float>(const RecurrentSpec&,
                                                 const RecurrentWeights<float>&,
                                                 const RecurrentConstants<float>&, const float*,
                                                 const float*, const float*, float*, float*,
                                                 float*);
template void reference_recurrent_forward<double>(const RecurrentSpec&,
                                                  const RecurrentWeights<double>&,
                                                  const RecurrentConstants<double>&, const double*,
                                                  const double*, const double*, double*, double*,
                                                  double*);

}  // namespace keras::backend::cpu
