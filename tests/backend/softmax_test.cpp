// softmax / log_softmax kernels against the plain double-precision reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "backend/cpu/softmax.hpp"

namespace {

namespace cpu = keras::backend::cpu;

template <class T>
void check(std::int64_t outer, std::int64_t n, std::int64_t inner, double scale, double tol) {
  SCOPED_TRACE(::testing::Message() << outer << "x" << n << "x" << inner << " scale " << scale);
  std::mt19937_64 gen(3);
  std::normal_distribution<double> dist(0.0, scale);
  std::vector<T> x(static_cast<std::size_t>(outer * n * inner));
  for (T& v : x) v = static_cast<T>(dist(gen));
  std::vector<T> fast(x.size()), ref(x.size());
  cpu::softmax(x.data(), fast.data(), outer, n, inner);
  cpu::reference_softmax(x.data(), ref.data(), outer, n, inner);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(fast[i], ref[i], tol) << i;
  cpu::log_softmax(x.data(), fast.data(), outer, n, inner);
  cpu::reference_log_softmax(x.data(), ref.data(), outer, n, inner);
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_NEAR(fast[i], ref[i], tol * (1 + std::fabs(ref[i]))) << i;
  }
}

TEST(Softmax, MatchesReference) {
  check<float>(5, 7, 1, 1.0, 1e-6);
  check<float>(3, 10, 4, 1.0, 1e-6);
  check<float>(2, 9, 300, 1.0, 1e-6);  // more columns than one block
  check<double>(4, 6, 3, 1.0, 1e-14);
  // Threaded; float32 sums of 1000 terms carry ~sqrt(n) eps relative error.
  check<float>(512, 1000, 1, 3.0, 1e-5);
  check<float>(4, 5, 1, 100.0, 1e-6);     // large logits: stable
  // Short rows have their exponentials taken 1024 values at a time: groups
  // of 102 rows of 10 (uneven last group, threaded), 1024 rows of 1, and
  // rows longer than a group.
  check<float>(2001, 10, 1, 2.0, 1e-6);
  check<float>(1500, 1, 1, 2.0, 1e-6);
  check<float>(3, 2000, 1, 2.0, 1e-6);
}

TEST(Softmax, BackwardIsTheJacobianProduct) {
  // dx = y * (dy - sum(dy * y)) for a 3-element row, by hand.
  const double y[] = {0.2, 0.3, 0.5}, dy[] = {1.0, -2.0, 0.5};
  double dx[3];
  cpu::softmax_backward(y, dy, dx, 1, 3, 1);
  const double s = 0.2 * 1.0 + 0.3 * -2.0 + 0.5 * 0.5;
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(dx[i], y[i] * (dy[i] - s), 1e-15);
  // log_softmax: dx = dy - exp(y) * sum(dy)
  const double ly[] = {std::log(0.2), std::log(0.3), std::log(0.5)};
  cpu::log_softmax_backward(ly, dy, dx, 1, 3, 1);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(dx[i], dy[i] - y[i] * (1.0 - 2.0 + 0.5), 1e-15);
}

}  // namespace
