// The fused normalization kernels against their plain reference versions,
// and the normalization ops' gradients against finite differences (float64).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/normalization.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"
#include "common/gradient_check_testing.hpp"
#include "ops/normalization.hpp"

namespace keras {
namespace {

namespace cpu = backend::cpu;
using testing::check_gradients;
using testing::random_tensor;

// The layouts the layers use, small and (the last ones) large enough to run
// the reductions in several chunks on several threads.
struct Layout {
  const char* what;
  cpu::NormShape s;
};

std::vector<Layout> layouts() {
  auto make = [](std::int64_t a, std::int64_t n, std::int64_t g, std::int64_t m1, std::int64_t m2,
                 std::int64_t pn, std::int64_t pg, std::int64_t pm) {
    cpu::NormShape s;
    s.a = a, s.n = n, s.g = g, s.m1 = m1, s.m2 = m2, s.pn = pn, s.pg = pg, s.pm = pm;
    return s;
  };
  return {
      {"batch norm, channels last", make(1, 7, 5, 1, 1, 0, 1, 0)},
      {"batch norm, channels first", make(1, 3, 4, 1, 6, 0, 1, 0)},
      {"layer norm, last axis", make(6, 1, 1, 5, 1, 0, 0, 1)},
      {"layer norm, middle axis", make(3, 4, 5, 1, 1, 1, 0, 0)},
      {"group norm, channels last", make(2, 3, 2, 3, 1, 0, 3, 1)},
      {"group norm, middle axis", make(2, 2, 3, 2, 4, 0, 2, 1)},
      {"batch norm, large", make(1, 3000, 24, 1, 1, 0, 1, 0)},
      {"layer norm, large", make(900, 1, 1, 96, 1, 0, 0, 1)},
      {"layer norm, middle axis, large", make(40, 50, 33, 1, 1, 1, 0, 0)},
  };
}

template <class T>
std::vector<T> random_values(std::int64_t n, double shift, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> dist(shift, 2.0);
  std::vector<T> v(static_cast<std::size_t>(n));
  for (T& x : v) x = static_cast<T>(dist(gen));
  return v;
}

template <class T>
void expect_near_all(const std::vector<T>& got, const std::vector<T>& want, double tol,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], tol * (1.0 + std::abs(static_cast<double>(want[i]))))
        << what << " element " << i;
  }
}

template <class T>
void compare_kernels(const Layout& layout, double tol) {
  const cpu::NormShape& s = layout.s;
  const std::vector<T> x = random_values<T>(s.size(), 3.0, 1);
  const std::vector<T> dy = random_values<T>(s.size(), 0.0, 2);
  const std::vector<T> gamma = random_values<T>(s.num_params(), 1.0, 3);
  const std::vector<T> beta = random_values<T>(s.num_params(), 0.0, 4);
  const auto stats = static_cast<std::size_t>(s.num_stats());
  const auto params = static_cast<std::size_t>(s.num_params());
  std::vector<T> mean(stats), var(stats), ref_mean(stats), ref_var(stats);
  cpu::norm_moments(x.data(), s, mean.data(), var.data());
  cpu::reference::norm_moments(x.data(), s, ref_mean.data(), ref_var.data());
  expect_near_all(mean, ref_mean, tol, std::string(layout.what) + ": mean");
  expect_near_all(var, ref_var, tol, std::string(layout.what) + ": variance");

  std::vector<T> y(x.size()), ref_y(x.size());
  const T eps = T(1e-3);
  for (const bool affine : {true, false}) {
    const T* g = affine ? gamma.data() : nullptr;
    const T* b = affine ? beta.data() : nullptr;
    cpu::norm_apply(x.data(), s, mean.data(), var.data(), g, b, eps, y.data());
    cpu::reference::norm_apply(x.data(), s, mean.data(), var.data(), g, b, eps, ref_y.data());
    expect_near_all(y, ref_y, tol, std::string(layout.what) + ": y");

    std::vector<T> s1(stats), s2(stats), dg(params), db(params);
    std::vector<T> r1(stats), r2(stats), rg(params), rb(params);
    cpu::norm_backward_sums(x.data(), dy.data(), s, mean.data(), var.data(), g, eps, s1.data(),
                            s2.data(), dg.data(), db.data());
    cpu::reference::norm_backward_sums(x.data(), dy.data(), s, mean.data(), var.data(), g, eps,
                                       r1.data(), r2.data(), rg.data(), rb.data());
    expect_near_all(s1, r1, tol, std::string(layout.what) + ": s1");
    expect_near_all(s2, r2, tol, std::string(layout.what) + ": s2");
    expect_near_all(dg, rg, tol, std::string(layout.what) + ": dgamma");
    expect_near_all(db, rb, tol, std::string(layout.what) + ": dbeta");

    // The fused forward and backward through the batch statistics.
    std::vector<T> fy(x.size()), fmean(stats), fvar(stats);
    cpu::norm_forward(x.data(), s, g, b, eps, fy.data(), fmean.data(), fvar.data());
    expect_near_all(fmean, ref_mean, tol, std::string(layout.what) + ": fused mean");
    expect_near_all(fvar, ref_var, tol, std::string(layout.what) + ": fused variance");
    expect_near_all(fy, ref_y, tol, std::string(layout.what) + ": fused y");
    std::vector<T> dx(x.size()), ref_dx(x.size());
    cpu::norm_backward(x.data(), dy.data(), s, mean.data(), var.data(), g, eps,
                       static_cast<const T*>(nullptr), static_cast<const T*>(nullptr), dx.data(),
                       dg.data(), db.data());
    cpu::reference::norm_backward(x.data(), dy.data(), s, mean.data(), var.data(), g, eps,
                                  ref_dx.data(), rg.data(), rb.data());
    expect_near_all(dx, ref_dx, tol * 10, std::string(layout.what) + ": dx");
    expect_near_all(dg, rg, tol, std::string(layout.what) + ": fused dgamma");
    expect_near_all(db, rb, tol, std::string(layout.what) + ": fused dbeta");
  }
}

TEST(NormalizationKernels, MatchTheReferenceInFloat64) {
  for (const Layout& layout : layouts()) compare_kernels<double>(layout, 1e-10);
}

TEST(NormalizationKernels, MatchTheReferenceInFloat32) {
  for (const Layout& layout : layouts()) compare_kernels<float>(layout, 2e-4);
}

TEST(NormalizationKernels, L2NormalizeMatchesTheReference) {
  for (const auto& [outer, n, inner] :
       std::vector<std::array<std::int64_t, 3>>{{4, 6, 1}, {3, 5, 4}, {1, 7, 9}, {300, 70, 1}}) {
    const std::vector<double> x = random_values<double>(outer * n * inner, 0.5, 5);
    std::vector<double> y(x.size()), ref(x.size());
    std::vector<double> inv(static_cast<std::size_t>(outer * inner)), ref_inv(inv.size());
    cpu::l2_normalize(x.data(), outer, n, inner, 1e-12, y.data(), inv.data());
    cpu::reference::l2_normalize(x.data(), outer, n, inner, 1e-12, ref.data(), ref_inv.data());
    expect_near_all(y, ref, 1e-12, "l2_normalize");
    expect_near_all(inv, ref_inv, 1e-12, "l2_normalize inverse norms");
  }
}

TEST(NormalizationKernels, EmptyBatchGivesNaNStatisticsAndNoWork) {
  cpu::NormShape s;
  s.a = 0, s.m1 = 4, s.pm = 1;
  std::vector<float> mean(1, 1.0f), var(1, 1.0f);
  cpu::norm_moments<float>(nullptr, s, mean.data(), var.data());  // no statistics to write
  s.a = 1, s.n = 0, s.g = 2, s.m1 = 1, s.pm = 0, s.pg = 1;
  mean.assign(2, 0.0f);
  var.assign(2, 0.0f);
  cpu::norm_moments<float>(nullptr, s, mean.data(), var.data());
  EXPECT_TRUE(std::isnan(mean[0]) && std::isnan(var[1]));
}

// ---- gradients of the ops (float64, finite differences) ----

Tensor flat(const Tensor& t) { return ops::reshape(t, Shape{-1}); }

TEST(NormalizationOps, NormalizeWithMomentsGradientsMatchFiniteDifferences) {
  for (const Layout& layout : layouts()) {
    if (layout.s.size() > 200) continue;  // finite differences cost two calls per element
    const cpu::NormShape s = layout.s;
    const Tensor x = random_tensor(Shape{s.size()}, -2.0, 4.0, 11);
    const Tensor gamma = random_tensor(Shape{s.num_params()}, 0.5, 1.5, 12);
    const Tensor beta = random_tensor(Shape{s.num_params()}, -1.0, 1.0, 13);
    // y, and the statistics too (their gradients flow back into x).
    auto f = [s](const std::vector<Tensor>& in) {
      const ops::Normalized out = ops::normalize_with_moments(in[0], in[1], in[2], s, 1e-3);
      return ops::concatenate({flat(out.y), out.mean, ops::multiply(out.variance, 0.3)});
    };
    EXPECT_TRUE(check_gradients(f, {x, gamma, beta}, {.rtol = 1e-5, .atol = 1e-7})) << layout.what;
    auto plain = [s](const std::vector<Tensor>& in) {
      return ops::normalize_with_moments(in[0], Tensor(), Tensor(), s, 1e-2).y;
    };
    EXPECT_TRUE(check_gradients(plain, {x})) << layout.what << " without gamma and beta";
  }
}

TEST(NormalizationOps, NormalizeWithStatisticsGradientsMatchFiniteDifferences) {
  for (const Layout& layout : layouts()) {
    if (layout.s.size() > 200) continue;
    const cpu::NormShape s = layout.s;
    const Tensor x = random_tensor(Shape{s.size()}, -2.0, 4.0, 21);
    const Tensor mean = random_tensor(Shape{s.num_stats()}, -1.0, 1.0, 22);
    const Tensor variance = random_tensor(Shape{s.num_stats()}, 0.5, 2.0, 23);
    const Tensor gamma = random_tensor(Shape{s.num_params()}, 0.5, 1.5, 24);
    const Tensor beta = random_tensor(Shape{s.num_params()}, -1.0, 1.0, 25);
    auto f = [s](const std::vector<Tensor>& in) {
      return ops::normalize_with_statistics(in[0], in[1], in[2], in[3], in[4], s, 1e-3);
    };
    EXPECT_TRUE(check_gradients(f, {x, mean, variance, gamma, beta})) << layout.what;
  }
}

TEST(NormalizationOps, WithStatisticsIsKerasBatchNormalizationFormula) {
  cpu::NormShape s;
  s.n = 2, s.g = 2, s.pg = 1;
  const Tensor x({4}, {1.0f, 2.0f, 3.0f, 4.0f});
  const Tensor mean({2}, {1.0f, 2.0f}), var({2}, {4.0f, 0.25f});
  const Tensor gamma({2}, {2.0f, 1.0f}), beta({2}, {0.5f, -1.0f});
  const Tensor y = ops::normalize_with_statistics(x, mean, var, gamma, beta, s, 0.0);
  // (x - mean) / sqrt(var) * gamma + beta, channel = index % 2.
  const std::vector<float> want{0.5f, -1.0f, 2.5f, 3.0f};
  EXPECT_EQ(y.to_vector<float>(), want);
}

TEST(NormalizationOps, L2NormalizeGradientsMatchFiniteDifferences) {
  const Tensor x = random_tensor(Shape{3, 4, 5}, -1.0, 1.0, 31);
  for (const std::vector<int>& axes :
       std::vector<std::vector<int>>{{-1}, {1}, {0}, {1, 2}, {0, 2}}) {
    auto f = [axes](const std::vector<Tensor>& in) {
      return ops::l2_normalize(in[0], axes, 1e-12);
    };
    EXPECT_TRUE(check_gradients(f, {x})) << "axes of size " << axes.size();
  }
}

TEST(NormalizationOps, L2NormalizeOfZerosIsZeroWithTheCappedSlope) {
  const Tensor x = Tensor::zeros(Shape{2, 3}, DType::float64);
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::l2_normalize(x, {-1}, 1e-12);
  for (double v : y.to_vector<double>()) EXPECT_EQ(v, 0.0);
  const Tensor g = tape.gradient(ops::sum(y), {x})[0];
  // Near 0 the function is x / epsilon: its slope, not Keras' NaN (0 * inf).
  for (double v : g.to_vector<double>()) EXPECT_NEAR(v, 1e12, 1.0);
}

TEST(NormalizationOps, RejectMismatchedParameters) {
  cpu::NormShape s;
  s.a = 2, s.m1 = 3, s.pm = 1;
  const Tensor x = Tensor::zeros(Shape{2, 3});
  EXPECT_THROW(ops::normalize_with_moments(x, Tensor::ones(Shape{4}), Tensor(), s, 1e-3), Error);
  EXPECT_THROW(
      ops::normalize_with_moments(x, Tensor::ones(Shape{3}, DType::float64), Tensor(), s, 1e-3),
      Error);
  EXPECT_THROW(ops::normalize_with_moments(Tensor::zeros(Shape{2, 4}), Tensor(), Tensor(), s, 1e-3),
               Error);
  EXPECT_THROW(ops::normalize_with_moments(Tensor::zeros(Shape{2, 3}, DType::int32), Tensor(),
                                           Tensor(), s, 1e-3),
               Error);
}

}  // namespace
}  // namespace keras
