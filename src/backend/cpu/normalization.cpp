// The fused normalization kernels of normalization.hpp.
//
// Work is organised by slab: the G*M1*M2 values of one (a, n). The innermost
// loops run over contiguous memory (the channels when M1*M2 == 1, else m1 or
// m2) so that they vectorise. When there are several statistics rows (A > 1:
// layer and group normalization) each row is normalised on its own while its
// values are in cache: one trip through memory forward, one backward. With a
// single row (batch normalization) the statistics need a pass over the whole
// input first; it takes the sum and the sum of squares at once, in double.
#include "backend/cpu/normalization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backend/cpu/parallel.hpp"

namespace keras::backend::cpu {

namespace {

// Reductions across rows use this many chunks at most, whatever the thread
// count, and add them up in order: the same bits with 1 or 2 threads.
constexpr std::int64_t kMaxChunks = 8;

std::int64_t slab_size(const NormShape& s) { return s.g * s.m1 * s.m2; }

// Calls body(chunk, begin, end) over [0, items) split into `chunks` parts,
// the parts spread over the threads.
template <class Body>
void for_each_chunk(std::int64_t items, std::int64_t chunks, std::int64_t cost_per_item,
                    Body&& body) {
  parallel_for(chunks, items / chunks * cost_per_item + 1,
               [&](std::int64_t begin, std::int64_t end) {
                 for (std::int64_t k = begin; k < end; ++k) {
                   body(k, items * k / chunks, items * (k + 1) / chunks);
                 }
               });
}

std::int64_t chunk_count(std::int64_t items) {
  return std::max<std::int64_t>(1, std::min(kMaxChunks, items));
}

// gamma or beta when given, else a block of ones or zeros of the right size.
template <class T>
const T* or_constant(const T* p, std::int64_t count, T value, std::vector<T>& storage) {
  if (p != nullptr) return p;
  storage.assign(static_cast<std::size_t>(count), value);
  return storage.data();
}

template <class T>
T reciprocal_std(T variance, T epsilon) {
  return T(1) / std::sqrt(variance + epsilon);
}

// ---- per slab ----

// acc[g] += sum over the slab's group g of f(value, g).
template <class T, class F>
void accumulate_slab(const T* slab, const NormShape& s, double* acc, F&& f) {
  const std::int64_t m = s.m1 * s.m2;
  if (m == 1) {
    for (std::int64_t g = 0; g < s.g; ++g) acc[g] += f(slab[g], g);
    return;
  }
  for (std::int64_t g = 0; g < s.g; ++g) {
    const T* row = slab + g * m;
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (std::int64_t i = 0; i < m; ++i) sum += f(row[i], g);
    acc[g] += sum;
  }
}

// y = x * inv + res for the slab of (a, n), with r and mu the a's statistics.
template <class T>
void apply_slab(const T* xs, T* ys, const NormShape& s, std::int64_t n, const T* r, const T* mu,
                const T* gam, const T* bet) {
  const std::int64_t m = s.m1 * s.m2;
  const std::int64_t pbase = n * s.pn;
  if (m == 1) {
#pragma omp simd
    for (std::int64_t g = 0; g < s.g; ++g) {
      const std::int64_t p = pbase + g * s.pg;
      const T inv = r[g] * gam[p];
      ys[g] = xs[g] * inv + (bet[p] - mu[g] * inv);
    }
    return;
  }
  for (std::int64_t g = 0; g < s.g; ++g) {
    const T rg = r[g], mug = mu[g];
    if (s.m2 == 1) {
      const T* gp = gam + pbase + g * s.pg;
      const T* bp = bet + pbase + g * s.pg;
      const T* xg = xs + g * m;
      T* yg = ys + g * m;
      const std::int64_t pm = s.pm;
#pragma omp simd
      for (std::int64_t i = 0; i < s.m1; ++i) {
        const T inv = rg * gp[i * pm];
        yg[i] = xg[i] * inv + (bp[i * pm] - mug * inv);
      }
      continue;
    }
    for (std::int64_t i = 0; i < s.m1; ++i) {
      const std::int64_t p = pbase + g * s.pg + i * s.pm;
      const T inv = rg * gam[p];
      const T res = bet[p] - mug * inv;
      const T* xr = xs + (g * s.m1 + i) * s.m2;
      T* yr = ys + (g * s.m1 + i) * s.m2;
#pragma omp simd
      for (std::int64_t j = 0; j < s.m2; ++j) yr[j] = xr[j] * inv + res;
    }
  }
}

// The backward sums of the slab of (a, n): per group acc1 += sum(dy * gamma),
// acc2 += sum(dy * gamma * (x - mean)); per parameter dg += sum(dy * (x -
// mean) * rstd), db += sum(dy).
template <class T>
void backward_sums_slab(const T* xs, const T* ds, const NormShape& s, std::int64_t n, const T* r,
                        const T* mu, const T* gam, double* acc1, double* acc2, double* dg,
                        double* db) {
  const std::int64_t m = s.m1 * s.m2;
  const std::int64_t pbase = n * s.pn;
  if (m == 1 && s.pg == 0) {
    // One parameter for the whole slab (LayerNormalization over a middle axis).
    double tg = 0.0, tb = 0.0;
    const double gp = gam[pbase];
#pragma omp simd reduction(+ : tg, tb)
    for (std::int64_t g = 0; g < s.g; ++g) {
      const double d = ds[g];
      const double xm = static_cast<double>(xs[g]) - static_cast<double>(mu[g]);
      acc1[g] += d * gp;
      acc2[g] += d * gp * xm;
      tg += d * xm * r[g];
      tb += d;
    }
    dg[pbase] += tg;
    db[pbase] += tb;
    return;
  }
  if (m == 1) {
    // Each channel its own parameter (pg >= 1): no two lanes write one p.
#pragma omp simd
    for (std::int64_t g = 0; g < s.g; ++g) {
      const std::int64_t p = pbase + g * s.pg;
      const double d = ds[g];
      const double xm = static_cast<double>(xs[g]) - static_cast<double>(mu[g]);
      acc1[g] += d * gam[p];
      acc2[g] += d * gam[p] * xm;
      dg[p] += d * xm * r[g];
      db[p] += d;
    }
    return;
  }
  for (std::int64_t g = 0; g < s.g; ++g) {
    const double mug = mu[g], rg = r[g];
    if (s.m2 == 1) {
      const std::int64_t p0 = pbase + g * s.pg;
      const T* xg = xs + g * m;
      const T* dgr = ds + g * m;
      double t1 = 0.0, t2 = 0.0;
      for (std::int64_t i = 0; i < s.m1; ++i) {
        const std::int64_t p = p0 + i * s.pm;
        const double d = dgr[i];
        const double xm = static_cast<double>(xg[i]) - mug;
        t1 += d * gam[p];
        t2 += d * gam[p] * xm;
        dg[p] += d * xm * rg;
        db[p] += d;
      }
      acc1[g] += t1;
      acc2[g] += t2;
      continue;
    }
    for (std::int64_t i = 0; i < s.m1; ++i) {
      const std::int64_t p = pbase + g * s.pg + i * s.pm;
      const T* xr = xs + (g * s.m1 + i) * s.m2;
      const T* dr = ds + (g * s.m1 + i) * s.m2;
      double sd = 0.0, sdx = 0.0;
#pragma omp simd reduction(+ : sd, sdx)
      for (std::int64_t j = 0; j < s.m2; ++j) {
        const double d = dr[j];
        sd += d;
        sdx += d * (static_cast<double>(xr[j]) - mug);
      }
      acc1[g] += gam[p] * sd;
      acc2[g] += gam[p] * sdx;
      dg[p] += sdx * rg;
      db[p] += sd;
    }
  }
}

// dx = dy * (rstd * gamma[p]) + k0 + (x - mean) * k1 for the slab of (a, n).
template <class T>
void dx_slab(const T* xs, const T* ds, T* out, const NormShape& s, std::int64_t n, const T* r,
             const T* mu, const T* gam, const T* k0, const T* k1) {
  const std::int64_t m = s.m1 * s.m2;
  const std::int64_t pbase = n * s.pn;
  if (m == 1) {
#pragma omp simd
    for (std::int64_t g = 0; g < s.g; ++g) {
      out[g] = ds[g] * (r[g] * gam[pbase + g * s.pg]) + k0[g] + (xs[g] - mu[g]) * k1[g];
    }
    return;
  }
  for (std::int64_t g = 0; g < s.g; ++g) {
    const T rg = r[g], mug = mu[g], c0 = k0[g], c1 = k1[g];
    if (s.m2 == 1) {
      const T* gp = gam + pbase + g * s.pg;
      const T* xg = xs + g * m;
      const T* dg = ds + g * m;
      T* og = out + g * m;
      const std::int64_t pm = s.pm;
#pragma omp simd
      for (std::int64_t i = 0; i < s.m1; ++i) {
        og[i] = dg[i] * (rg * gp[i * pm]) + c0 + (xg[i] - mug) * c1;
      }
      continue;
    }
    for (std::int64_t i = 0; i < s.m1; ++i) {
      const T scale = rg * gam[pbase + g * s.pg + i * s.pm];
      const std::int64_t row = (g * s.m1 + i) * s.m2;
#pragma omp simd
      for (std::int64_t j = 0; j < s.m2; ++j) {
        out[row + j] = ds[row + j] * scale + c0 + (xs[row + j] - mug) * c1;
      }
    }
  }
}

// The mean and variance of the groups of one statistics row (its N slabs,
// in cache), two passes as jnp.mean / jnp.var; acc is G doubles of scratch.
template <class T>
void row_moments(const T* xa, const NormShape& s, double* acc, T* mean, T* variance) {
  const double count = static_cast<double>(s.group_size());
  const std::int64_t size = slab_size(s);
  std::fill(acc, acc + s.g, 0.0);
  for (std::int64_t n = 0; n < s.n; ++n) {
    accumulate_slab(xa + n * size, s, acc,
                    [](T v, std::int64_t) { return static_cast<double>(v); });
  }
  for (std::int64_t g = 0; g < s.g; ++g) mean[g] = static_cast<T>(acc[g] / count);
  std::fill(acc, acc + s.g, 0.0);
  for (std::int64_t n = 0; n < s.n; ++n) {
    accumulate_slab(xa + n * size, s, acc, [mean](T v, std::int64_t g) {
      const double d = static_cast<double>(v) - static_cast<double>(mean[g]);
      return d * d;
    });
  }
  for (std::int64_t g = 0; g < s.g; ++g) variance[g] = static_cast<T>(acc[g] / count);
}

// Per-statistic k0, k1 of the batch backward (see norm_backward).
template <class T>
void batch_backward_coefficients(std::int64_t count_stats, double count, const T* rstd,
                                 const double* s1, const double* s2, const T* dmean,
                                 const T* dvariance, T* k0, T* k1) {
  for (std::int64_t i = 0; i < count_stats; ++i) {
    const double r = rstd[i];
    double c0 = -r * s1[i] / count;
    double c1 = -r * r * r * s2[i] / count;
    if (dmean != nullptr) c0 += dmean[i] / count;
    if (dvariance != nullptr) c1 += 2.0 * dvariance[i] / count;
    k0[i] = static_cast<T>(c0);
    k1[i] = static_cast<T>(c1);
  }
}

}  // namespace

// ---- public kernels ----

template <class T>
void norm_moments(const T* x, const NormShape& s, T* mean, T* variance) {
  if (s.size() == 0) {  // as jnp.mean of nothing: NaN
    std::fill(mean, mean + s.num_stats(), std::numeric_limits<T>::quiet_NaN());
    std::fill(variance, variance + s.num_stats(), std::numeric_limits<T>::quiet_NaN());
    return;
  }
  const std::int64_t size = slab_size(s);
  if (s.a > 1) {
    parallel_for(s.a, s.n * size * 2, [&](std::int64_t begin, std::int64_t end) {
      std::vector<double> acc(static_cast<std::size_t>(s.g));
      for (std::int64_t a = begin; a < end; ++a) {
        row_moments(x + a * s.n * size, s, acc.data(), mean + a * s.g, variance + a * s.g);
      }
    });
    return;
  }
  // One row: the sum and the sum of squares in one pass (double keeps the
  // difference E[x^2] - E[x]^2 accurate for float data), chunked over n.
  const std::int64_t chunks = chunk_count(s.n);
  std::vector<double> sums(static_cast<std::size_t>(2 * chunks * s.g), 0.0);
  for_each_chunk(s.n, chunks, size, [&](std::int64_t k, std::int64_t n0, std::int64_t n1) {
    double* sum = sums.data() + 2 * k * s.g;
    double* squares = sum + s.g;
    for (std::int64_t n = n0; n < n1; ++n) {
      const T* slab = x + n * size;
      accumulate_slab(slab, s, sum, [](T v, std::int64_t) { return static_cast<double>(v); });
      accumulate_slab(slab, s, squares, [](T v, std::int64_t) {
        const double d = v;
        return d * d;
      });
    }
  });
  const double count = static_cast<double>(s.group_size());
  for (std::int64_t g = 0; g < s.g; ++g) {
    double sum = 0.0, squares = 0.0;
    for (std::int64_t k = 0; k < chunks; ++k) {
      sum += sums[static_cast<std::size_t>(2 * k * s.g + g)];
      squares += sums[static_cast<std::size_t>((2 * k + 1) * s.g + g)];
    }
    const double m = sum / count;
    mean[g] = static_cast<T>(m);
    variance[g] = static_cast<T>(std::max(squares / count - m * m, 0.0));
  }
}

template <class T>
void norm_apply(const T* x, const NormShape& s, const T* mean, const T* variance, const T* gamma,
                const T* beta, T epsilon, T* y) {
  std::vector<T> rstd(static_cast<std::size_t>(s.num_stats()));
  for (std::int64_t i = 0; i < s.num_stats(); ++i) rstd[i] = reciprocal_std(variance[i], epsilon);
  std::vector<T> ones, zeros;
  const T* gam = or_constant(gamma, s.num_params(), T(1), ones);
  const T* bet = or_constant(beta, s.num_params(), T(0), zeros);
  const std::int64_t size = slab_size(s);
  parallel_for(s.a * s.n, size * 2, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t slab = begin; slab < end; ++slab) {
      const std::int64_t a = slab / s.n;
      apply_slab(x + slab * size, y + slab * size, s, slab % s.n, rstd.data() + a * s.g,
                 mean + a * s.g, gam, bet);
    }
  });
}

template <class T>
void norm_forward(const T* x, const NormShape& s, const T* gamma, const T* beta, T epsilon, T* y,
                  T* mean, T* variance) {
  if (s.a <= 1 || s.size() == 0) {
    norm_moments(x, s, mean, variance);
    if (s.size() > 0) norm_apply(x, s, mean, variance, gamma, beta, epsilon, y);
    return;
  }
  std::vector<T> ones, zeros;
  const T* gam = or_constant(gamma, s.num_params(), T(1), ones);
  const T* bet = or_constant(beta, s.num_params(), T(0), zeros);
  const std::int64_t size = slab_size(s);
  // Each row from statistics to output while it is in cache.
  parallel_for(s.a, s.n * size * 4, [&](std::int64_t begin, std::int64_t end) {
    std::vector<double> acc(static_cast<std::size_t>(s.g));
    std::vector<T> rstd(static_cast<std::size_t>(s.g));
    for (std::int64_t a = begin; a < end; ++a) {
      const T* xa = x + a * s.n * size;
      T* mu = mean + a * s.g;
      T* var = variance + a * s.g;
      row_moments(xa, s, acc.data(), mu, var);
      for (std::int64_t g = 0; g < s.g; ++g) rstd[g] = reciprocal_std(var[g], epsilon);
      for (std::int64_t n = 0; n < s.n; ++n) {
        apply_slab(xa + n * size, y + (a * s.n + n) * size, s, n, rstd.data(), mu, gam, bet);
      }
    }
  });
}

template <class T>
void norm_backward_sums(const T* x, const T* dy, const NormShape& s, const T* mean,
                        const T* variance, const T* gamma, T epsilon, T* s1, T* s2, T* dgamma,
                        T* dbeta) {
  const std::int64_t stats = s.num_stats(), params = s.num_params();
  std::vector<T> rstd(static_cast<std::size_t>(stats));
  for (std::int64_t i = 0; i < stats; ++i) rstd[i] = reciprocal_std(variance[i], epsilon);
  std::vector<T> ones;
  const T* gam = or_constant(gamma, params, T(1), ones);
  const std::int64_t size = slab_size(s);
  // Chunks over a own their statistics; chunks over n (one row) keep partial
  // statistics. Parameters always get partial sums per chunk.
  const bool over_a = s.a > 1;
  const std::int64_t chunks = chunk_count(over_a ? s.a : s.n);
  const std::int64_t stat_rows = over_a ? stats : chunks * s.g;
  std::vector<double> t1(static_cast<std::size_t>(stat_rows), 0.0), t2(t1.size(), 0.0);
  std::vector<double> pg(static_cast<std::size_t>(chunks * params), 0.0), pb(pg.size(), 0.0);
  if (s.size() > 0) {
    for_each_chunk(over_a ? s.a : s.n, chunks, over_a ? s.n * size * 2 : size * 2,
                   [&](std::int64_t k, std::int64_t begin, std::int64_t end) {
                     for (std::int64_t i = begin; i < end; ++i) {
                       const std::int64_t a = over_a ? i : 0;
                       const std::int64_t n0 = over_a ? 0 : i, n1 = over_a ? s.n : i + 1;
                       const std::int64_t row = over_a ? a * s.g : k * s.g;
                       for (std::int64_t n = n0; n < n1; ++n) {
                         const std::int64_t offset = (a * s.n + n) * size;
                         backward_sums_slab(x + offset, dy + offset, s, n, rstd.data() + a * s.g,
                                            mean + a * s.g, gam, t1.data() + row, t2.data() + row,
                                            pg.data() + k * params, pb.data() + k * params);
                       }
                     }
                   });
  }
  for (std::int64_t i = 0; i < stats; ++i) {
    double a1 = 0.0, a2 = 0.0;
    if (over_a) {
      a1 = t1[i];
      a2 = t2[i];
    } else {
      for (std::int64_t k = 0; k < chunks; ++k) {
        a1 += t1[static_cast<std::size_t>(k * s.g + i)];
        a2 += t2[static_cast<std::size_t>(k * s.g + i)];
      }
    }
    if (s1 != nullptr) s1[i] = static_cast<T>(a1);
    if (s2 != nullptr) s2[i] = static_cast<T>(a2);
  }
  for (std::int64_t p = 0; p < params; ++p) {
    double tg = 0.0, tb = 0.0;
    for (std::int64_t k = 0; k < chunks; ++k) {
      tg += pg[static_cast<std::size_t>(k * params + p)];
      tb += pb[static_cast<std::size_t>(k * params + p)];
    }
    if (dgamma != nullptr) dgamma[p] = static_cast<T>(tg);
    if (dbeta != nullptr) dbeta[p] = static_cast<T>(tb);
  }
}

template <class T>
void norm_backward(const T* x, const T* dy, const NormShape& s, const T* mean, const T* variance,
                   const T* gamma, T epsilon, const T* dmean, const T* dvariance, T* dx, T* dgamma,
                   T* dbeta) {
  const std::int64_t stats = s.num_stats(), params = s.num_params();
  const double count = static_cast<double>(s.group_size());
  std::vector<T> ones;
  const T* gam = or_constant(gamma, params, T(1), ones);
  std::vector<T> rstd(static_cast<std::size_t>(stats));
  for (std::int64_t i = 0; i < stats; ++i) rstd[i] = reciprocal_std(variance[i], epsilon);
  const std::int64_t size = slab_size(s);
  if (s.a <= 1 || s.size() == 0) {
    // One row: the sums over the whole input first, then dx.
    std::vector<T> s1(static_cast<std::size_t>(stats)), s2(s1.size());
    norm_backward_sums(x, dy, s, mean, variance, gamma, epsilon, s1.data(), s2.data(), dgamma,
                       dbeta);
    if (dx == nullptr || s.size() == 0) return;
    std::vector<double> d1(s1.begin(), s1.end()), d2(s2.begin(), s2.end());
    std::vector<T> k0(s1.size()), k1(s1.size());
    batch_backward_coefficients(stats, count, rstd.data(), d1.data(), d2.data(), dmean, dvariance,
                                k0.data(), k1.data());
    parallel_for(s.n, size * 3, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t n = begin; n < end; ++n) {
        dx_slab(x + n * size, dy + n * size, dx + n * size, s, n, rstd.data(), mean, gam, k0.data(),
                k1.data());
      }
    });
    return;
  }
  // Several rows: each row's sums, then its dx while its values are in cache.
  const std::int64_t chunks = chunk_count(s.a);
  std::vector<double> pg(static_cast<std::size_t>(chunks * params), 0.0), pb(pg.size(), 0.0);
  for_each_chunk(
      s.a, chunks, s.n * size * 5, [&](std::int64_t k, std::int64_t a0, std::int64_t a1) {
        std::vector<double> t1(static_cast<std::size_t>(s.g)), t2(t1.size());
        std::vector<T> k0(t1.size()), k1(t1.size());
        for (std::int64_t a = a0; a < a1; ++a) {
          std::fill(t1.begin(), t1.end(), 0.0);
          std::fill(t2.begin(), t2.end(), 0.0);
          const T* r = rstd.data() + a * s.g;
          const T* mu = mean + a * s.g;
          for (std::int64_t n = 0; n < s.n; ++n) {
            const std::int64_t offset = (a * s.n + n) * size;
            backward_sums_slab(x + offset, dy + offset, s, n, r, mu, gam, t1.data(), t2.data(),
                               pg.data() + k * params, pb.data() + k * params);
          }
          if (dx == nullptr) continue;
          batch_backward_coefficients(
              s.g, count, r, t1.data(), t2.data(), dmean != nullptr ? dmean + a * s.g : nullptr,
              dvariance != nullptr ? dvariance + a * s.g : nullptr, k0.data(), k1.data());
          for (std::int64_t n = 0; n < s.n; ++n) {
            const std::int64_t offset = (a * s.n + n) * size;
            dx_slab(x + offset, dy + offset, dx + offset, s, n, r, mu, gam, k0.data(), k1.data());
          }
        }
      });
  for (std::int64_t p = 0; p < params; ++p) {
    double tg = 0.0, tb = 0.0;
    for (std::int64_t k = 0; k < chunks; ++k) {
      tg += pg[static_cast<std::size_t>(k * params + p)];
      tb += pb[static_cast<std::size_t>(k * params + p)];
    }
    if (dgamma != nullptr) dgamma[p] = static_cast<T>(tg);
    if (dbeta != nullptr) dbeta[p] = static_cast<T>(tb);
  }
}

template <class T>
void norm_backward_fixed_dx(const T* dy, const NormShape& s, const T* variance, const T* gamma,
                            T epsilon, T* dx) {
  const std::int64_t stats = s.num_stats();
  std::vector<T> rstd(static_cast<std::size_t>(stats));
  for (std::int64_t i = 0; i < stats; ++i) rstd[i] = reciprocal_std(variance[i], epsilon);
  std::vector<T> ones;
  const T* gam = or_constant(gamma, s.num_params(), T(1), ones);
  const std::vector<T> zero(static_cast<std::size_t>(stats), T(0));
  const std::int64_t size = slab_size(s);
  // x does not matter when k1 is 0: dy stands in for it (and zeros for the mean).
  parallel_for(s.a * s.n, size * 2, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t slab = begin; slab < end; ++slab) {
      const std::int64_t a = slab / s.n;
      const T* ds = dy + slab * size;
      dx_slab(ds, ds, dx + slab * size, s, slab % s.n, rstd.data() + a * s.g, zero.data(), gam,
              zero.data(), zero.data());
    }
  });
}

#define KERASCPP_INSTANTIATE(T)                                                                   \
  template void norm_moments<T>(const T*, const NormShape&, T*, T*);                              \
  template void norm_apply<T>(const T*, const NormShape&, const T*, const T*, const T*, const T*, \
                              T, T*);                                                             \
  template void norm_forward<T>(const T*, const NormShape&, const T*, const T*, T, T*, T*, T*);   \
  template void norm_backward_sums<T>(const T*, const T*, const NormShape&, const T*, const T*,   \
                                      const T*, T, T*, T*, T*, T*);                               \
  template void norm_backward<T>(const T*, const T*, const NormShape&, const T*, const T*,        \
                                 const T*, T, const T*, const T*, T*, T*, T*);                    \
  template void norm_backward_fixed_dx<T>(const T*, const NormShape&, const T*, const T*, T, T*);
KERASCPP_INSTANTIATE(float)
KERASCPP_INSTANTIATE(double)
#undef KERASCPP_INSTANTIATE

}  // namespace keras::backend::cpu
