// Plain, obviously correct versions of the normalization kernels (one loop
// nest each, every index written out), for the tests to compare against.
#include <cmath>
#include <vector>

#include "backend/cpu/normalization.hpp"

namespace keras::backend::cpu::reference {

namespace {

// Calls f(flat index, statistic index, parameter index) for every element.
template <class F>
void for_each_element(const NormShape& s, F&& f) {
  std::int64_t i = 0;
  for (std::int64_t a = 0; a < s.a; ++a) {
    for (std::int64_t n = 0; n < s.n; ++n) {
      for (std::int64_t g = 0; g < s.g; ++g) {
        for (std::int64_t m1 = 0; m1 < s.m1; ++m1) {
          for (std::int64_t m2 = 0; m2 < s.m2; ++m2) {
            f(i++, a * s.g + g, n * s.pn + g * s.pg + m1 * s.pm);
          }
        }
      }
    }
  }
}

}  // namespace

template <class T>
void norm_moments(const T* x, const NormShape& s, T* mean, T* variance) {
  std::vector<double> sum(static_cast<std::size_t>(s.num_stats()), 0.0);
  std::vector<double> sq(sum.size(), 0.0);
  const double count = static_cast<double>(s.group_size());
  for_each_element(s, [&](std::int64_t i, std::int64_t k, std::int64_t) { sum[k] += x[i]; });
  for (double& v : sum) v /= count;
  for_each_element(s, [&](std::int64_t i, std::int64_t k, std::int64_t) {
    sq[k] += (x[i] - sum[k]) * (x[i] - sum[k]);
  });
  for (std::size_t k = 0; k < sum.size(); ++k) {
    mean[k] = static_cast<T>(sum[k]);
    variance[k] = static_cast<T>(sq[k] / count);
  }
}

template <class T>
void norm_apply(const T* x, const NormShape& s, const T* mean, const T* variance, const T* gamma,
                const T* beta, T epsilon, T* y) {
  for_each_element(s, [&](std::int64_t i, std::int64_t k, std::int64_t p) {
    const T g = gamma != nullptr ? gamma[p] : T(1);
    const T b = beta != nullptr ? beta[p] : T(0);
    y[i] = (x[i] - mean[k]) / std::sqrt(variance[k] + epsilon) * g + b;
  });
}

template <class T>
void norm_backward_sums(const T* x, const T* dy, const NormShape& s, const T* mean,
                        const T* variance, const T* gamma, T epsilon, T* s1, T* s2, T* dgamma,
                        T* dbeta) {
  std::vector<double> t1(static_cast<std::size_t>(s.num_stats()), 0.0), t2(t1.size(), 0.0);
  std::vector<double> tg(static_cast<std::size_t>(s.num_params()), 0.0), tb(tg.size(), 0.0);
  for_each_element(s, [&](std::int64_t i, std::int64_t k, std::int64_t p) {
    const double g = gamma != nullptr ? gamma[p] : 1.0;
    const double xm = static_cast<double>(x[i]) - mean[k];
    t1[k] += dy[i] * g;
    t2[k] += dy[i] * g * xm;
    tg[p] += dy[i] * xm / std::sqrt(static_cast<double>(variance[k]) + epsilon);
    tb[p] += dy[i];
  });
  for (std::size_t k = 0; k < t1.size(); ++k) {
    if (s1 != nullptr) s1[k] = static_cast<T>(t1[k]);
    if (s2 != nullptr) s2[k] = static_cast<T>(t2[k]);
  }
  for (std::size_t p = 0; p < tg.size(); ++p) {
    if (dgamma != nullptr) dgamma[p] = static_cast<T>(tg[p]);
    if (dbeta != nullptr) dbeta[p] = static_cast<T>(tb[p]);
  }
}

template <class T>
void norm_backward(const T* x, const T* dy, const NormShape& s, const T* mean, const T* variance,
                   const T* gamma, T epsilon, T* dx, T* dgamma, T* dbeta) {
  std::vector<T> s1(static_cast<std::size_t>(s.num_stats())), s2(s1.size());
  reference::norm_backward_sums(x, dy, s, mean, variance, gamma, epsilon, s1.data(), s2.data(),
                                dgamma, dbeta);
  const double count = static_cast<double>(s.group_size());
  for_each_element(s, [&](std::int64_t i, std::int64_t k, std::int64_t p) {
    const double g = gamma != nullptr ? gamma[p] : 1.0;
    const double r = 1.0 / std::sqrt(static_cast<double>(variance[k]) + epsilon);
    const double xhat = (x[i] - static_cast<double>(mean[k])) * r;
    dx[i] = static_cast<T>(r * (dy[i] * g - s1[k] / count - xhat * r * s2[k] / count));
  });
}

template <class T>
void l2_normalize(const T* x, std::int64_t outer, std::int64_t n, std::int64_t inner, T epsilon,
                  T* y, T* inv_norm) {
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j = 0; j < inner; ++j) {
      double sum = 0.0;
      for (std::int64_t i = 0; i < n; ++i) {
        const double v = x[(o * n + i) * inner + j];
        sum += v * v;
      }
      T inv = T(1) / std::sqrt(static_cast<T>(sum));
      if (inv > T(1) / epsilon) inv = T(1) / epsilon;
      inv_norm[o * inner + j] = inv;
      for (std::int64_t i = 0; i < n; ++i) {
        y[(o * n + i) * inner + j] = x[(o * n + i) * inner + j] * inv;
      }
    }
  }
}

#define KERASCPP_INSTANTIATE(T)                                                                   \
  template void norm_moments<T>(const T*, const NormShape&, T*, T*);                              \
  template void norm_apply<T>(const T*, const NormShape&, const T*, const T*, const T*, const T*, \
                              T, T*);                                                             \
  template void norm_backward_sums<T>(const T*, const T*, const NormShape&, const T*, const T*,   \
                                      const T*, T, T*, T*, T*, T*);                               \
  template void norm_backward<T>(const T*, const T*, const NormShape&, const T*, const T*,        \
                                 const T*, T, T*, T*, T*);                                        \
  template void l2_normalize<T>(const T*, std::int64_t, std::int64_t, std::int64_t, T, T*, T*);
KERASCPP_INSTANTIATE(float)
KERASCPP_INSTANTIATE(double)
#undef KERASCPP_INSTANTIATE

}  // namespace keras::backend::cpu::reference
