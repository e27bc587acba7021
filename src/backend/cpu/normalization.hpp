#pragma once
// Fused normalization kernels (batch, layer and group normalization share
// them). The input is viewed as a row-major block (A, N, G, M1, M2):
// statistics (mean, variance) are taken per (a, g) over (n, m1, m2), and the
// affine parameters gamma/beta are indexed by p = n*pn + g*pg + m1*pm
// (constant along m2). For example, with C channels:
//   BatchNormalization, channels last (B..., C):   A=1, N=B..., G=C, pg=1
//   BatchNormalization, axis 1 of (B, C, S...):    A=1, N=B, G=C, M2=S..., pg=1
//   LayerNormalization over the last D values:     A=rows, M1=D, pm=1
//   GroupNormalization, (B, S..., G*K):            A=B, N=S..., G, M1=K, pg=K, pm=1
// Sums accumulate in double; the reductions split the work into a fixed
// number of chunks combined in order, so results do not depend on the
// thread count. The L2 normalization kernels are in normalization_l2.cpp.
#include <cstdint>

namespace keras::backend::cpu {

struct NormShape {
  std::int64_t a = 1, n = 1, g = 1, m1 = 1, m2 = 1;
  std::int64_t pn = 0, pg = 0, pm = 0;

  std::int64_t num_stats() const { return a * g; }
  std::int64_t group_size() const { return n * m1 * m2; }
  std::int64_t size() const { return a * n * g * m1 * m2; }
  // Number of affine parameters the indexing can reach (max index + 1).
  std::int64_t num_params() const {
    auto last = [](std::int64_t d) { return d > 0 ? d - 1 : 0; };
    return last(n) * pn + last(g) * pg + last(m1) * pm + 1;
  }
};

// Biased (population) mean and variance of each statistics group, as
// jnp.mean / jnp.var (two passes): mean and variance have num_stats() entries.
template <class T>
void norm_moments(const T* x, const NormShape& s, T* mean, T* variance);

// y = x * inv + res with inv = rsqrt(variance + epsilon) * gamma[p] and
// res = beta[p] - mean * inv (Keras' batch_normalization / layer_normalization
// formula); gamma or beta null means 1 or 0.
template <class T>
void norm_apply(const T* x, const NormShape& s, const T* mean, const T* variance, const T* gamma,
                const T* beta, T epsilon, T* y);

// The reductions of the backward pass, for y computed by norm_apply from dy:
// per statistics group, s1 = sum(dy * gamma[p]) and s2 = sum(dy * gamma[p] *
// (x - mean)); per parameter, dgamma = sum(dy * (x - mean) * rstd) and dbeta =
// sum(dy). Any output pointer may be null.
template <class T>
void norm_backward_sums(const T* x, const T* dy, const NormShape& s, const T* mean,
                        const T* variance, const T* gamma, T epsilon, T* s1, T* s2, T* dgamma,
                        T* dbeta);

// Batch-statistics normalization in one call: norm_moments then norm_apply,
// each statistics row from its moments to its output while it is in cache.
template <class T>
void norm_forward(const T* x, const NormShape& s, const T* gamma, const T* beta, T epsilon, T* y,
                  T* mean, T* variance);

// The backward of norm_forward (mean and variance depend on x):
// dx = rstd * (dy*gamma - s1/cnt - (x - mean) * rstd^2 * s2/cnt), plus, for
// gradients reaching the statistics themselves (dmean, dvariance; may be
// null), dmean/cnt + dvariance * 2 (x - mean) / cnt; and dgamma, dbeta as
// norm_backward_sums. dx, dgamma and dbeta may be null.
template <class T>
void norm_backward(const T* x, const T* dy, const NormShape& s, const T* mean, const T* variance,
                   const T* gamma, T epsilon, const T* dmean, const T* dvariance, T* dx, T* dgamma,
                   T* dbeta);

// dx when mean and variance are given (inference): dx = dy * gamma * rstd.
template <class T>
void norm_backward_fixed_dx(const T* dy, const NormShape& s, const T* variance, const T* gamma,
                            T epsilon, T* dx);

// L2 normalization along the middle axis of (outer, n, inner), as
// keras.ops.normalize(order=2): y = x * min(rsqrt(sum x^2), 1 / epsilon).
// inv_norm (outer*inner entries) receives the factor used.
template <class T>
void l2_normalize(const T* x, std::int64_t outer, std::int64_t n, std::int64_t inner, T epsilon,
                  T* y, T* inv_norm);
// Its backward: dx = inv * dy - x * inv^3 * sum(dy * x) where the factor was
// not clipped, else dx = dy / epsilon.
template <class T>
void l2_normalize_backward(const T* x, const T* dy, const T* inv_norm, std::int64_t outer,
                           std::int64_t n, std::int64_t inner, T epsilon, T* dx);

// Plain loops computing the same, for the tests to compare against.
namespace reference {
template <class T>
void norm_moments(const T* x, const NormShape& s, T* mean, T* variance);
template <class T>
void norm_apply(const T* x, const NormShape& s, const T* mean, const T* variance, const T* gamma,
                const T* beta, T epsilon, T* y);
template <class T>
void norm_backward_sums(const T* x, const T* dy, const NormShape& s, const T* mean,
                        const T* variance, const T* gamma, T epsilon, T* s1, T* s2, T* dgamma,
                        T* dbeta);
template <class T>
void norm_backward(const T* x, const T* dy, const NormShape& s, const T* mean, const T* variance,
                   const T* gamma, T epsilon, T* dx, T* dgamma, T* dbeta);
template <class T>
void l2_normalize(const T* x, std::int64_t outer, std::int64_t n, std::int64_t inner, T epsilon,
                  T* y, T* inv_norm);
}  // namespace reference

}  // namespace keras::backend::cpu
