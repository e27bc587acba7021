// The vectorised float32 math against libm over wide ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "backend/cpu/vector_math.hpp"

namespace {

namespace cpu = keras::backend::cpu;

// Largest error in units of float32 epsilon relative to the double result.
template <class Fast, class Exact>
double worst_relative_error(Fast fast, Exact exact, float lo, float hi, int steps) {
  double worst = 0;
  for (int i = 0; i <= steps; ++i) {
    const float x = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(steps);
    const double ref = exact(static_cast<double>(x));
    if (ref == 0 || std::fabs(ref) < 1e-37 || std::isinf(ref)) continue;
    worst = std::max(worst, std::fabs(fast(x) - ref) / std::fabs(ref));
  }
  return worst / std::numeric_limits<float>::epsilon();
}

TEST(VectorMath, FloatFunctionsAreWithinAFewUlp) {
  EXPECT_LT(worst_relative_error([](float x) { return cpu::exp_fast(x); }, [](double x) { return std::exp(x); }, -87, 88, 200000), 2.0);
  EXPECT_LT(worst_relative_error([](float x) { return cpu::tanh_fast(x); },
                                 [](double x) { return std::tanh(x); }, -20, 20, 200000), 2.0);
  EXPECT_LT(worst_relative_error([](float x) { return cpu::sigmoid_fast(x); },
                                 [](double x) { return 1 / (1 + std::exp(-x)); }, -80, 80, 200000), 2.0);
  EXPECT_LT(worst_relative_error([](float x) { return cpu::expm1_fast(x); },
                                 [](double x) { return std::expm1(x); }, -20, 20, 200000), 2.0);
  EXPECT_LT(worst_relative_error([](float x) { return cpu::log_fast(x); },
                                 [](double x) { return std::log(x); }, 1e-6f, 1000, 200000), 2.0);
  EXPECT_LT(worst_relative_error([](float x) { return cpu::log1p_fast(x); },
                                 [](double x) { return std::log1p(x); }, -0.999f, 10, 200000), 2.0);
}

TEST(VectorMath, EdgeValuesMatchLibm) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(cpu::exp_fast(-200.0f), 0.0f);
  EXPECT_EQ(cpu::exp_fast(100.0f), inf);
  EXPECT_TRUE(std::isnan(cpu::exp_fast(std::nanf(""))));
  EXPECT_NEAR(cpu::exp_fast(-100.0f), std::exp(-100.0f), 1e-45);  // subnormal result
  EXPECT_EQ(cpu::tanh_fast(30.0f), 1.0f);
  EXPECT_EQ(cpu::tanh_fast(-30.0f), -1.0f);
  EXPECT_TRUE(std::isnan(cpu::tanh_fast(std::nanf(""))));
  EXPECT_EQ(cpu::sigmoid_fast(-200.0f), 0.0f);
  EXPECT_EQ(cpu::sigmoid_fast(200.0f), 1.0f);
  EXPECT_EQ(cpu::log_fast(0.0f), -inf);
  EXPECT_TRUE(std::isnan(cpu::log_fast(-1.0f)));
  EXPECT_EQ(cpu::log_fast(inf), inf);
  EXPECT_NEAR(cpu::log_fast(1e-40f), std::log(1e-40), 1e-5);  // subnormal input
  EXPECT_EQ(cpu::log1p_fast(1e-30f), 1e-30f);
}

TEST(VectorMath, DoubleVersionsAreLibm) {
  EXPECT_EQ(cpu::exp_fast(1.5), std::exp(1.5));
  EXPECT_EQ(cpu::tanh_fast(0.3), std::tanh(0.3));
  EXPECT_EQ(cpu::log_fast(7.0), std::log(7.0));
}

}  // namespace
