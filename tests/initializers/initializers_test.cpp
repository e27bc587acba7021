// Keras' initializer formulas, checked by the statistics of large draws.
#include "keras/initializers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "initializers/random_initializers.hpp"
#include "keras/utils.hpp"

namespace keras::initializers {
namespace {

struct Stats {
  double mean = 0.0;
  double variance = 0.0;
  double min = 0.0;
  double max = 0.0;
};

Stats stats_of(const Tensor& t) {
  const std::vector<double> v = t.to_vector<double>();
  Stats s;
  s.min = s.max = v.at(0);
  for (double x : v) {
    s.mean += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.variance += (x - s.mean) * (x - s.mean);
  s.variance /= static_cast<double>(v.size());
  return s;
}

using Fans = std::pair<std::int64_t, std::int64_t>;

TEST(ComputeFans, FollowsKerasRules) {
  EXPECT_EQ(compute_fans(Shape{}), (Fans{1, 1}));
  EXPECT_EQ(compute_fans(Shape{7}), (Fans{7, 7}));
  EXPECT_EQ(compute_fans(Shape{5, 10}), (Fans{5, 10}));
  // Conv kernel (kh, kw, in, out): receptive field 3*3.
  EXPECT_EQ(compute_fans(Shape{3, 3, 4, 8}), (Fans{36, 72}));
}

TEST(GlorotUniform, StaysWithinLimitWithUniformVariance) {
  const Shape shape{200, 300};
  const Tensor w = GlorotUniform()(shape);
  EXPECT_EQ(w.dtype(), DType::float32);
  EXPECT_EQ(w.shape(), shape);
  const double limit = std::sqrt(6.0 / (200 + 300));
  const Stats s = stats_of(w);
  EXPECT_GE(s.min, -limit);
  EXPECT_LE(s.max, limit);
  EXPECT_GT(s.max, 0.99 * limit);  // the whole range is used
  EXPECT_NEAR(s.mean, 0.0, 0.01 * limit);
  EXPECT_NEAR(s.variance, limit * limit / 3.0, 0.03 * limit * limit / 3.0);
}

// Truncated normal draws of VarianceScaling keep the requested variance
// scale / fan and never leave two (pre-correction) standard deviations.
void expect_truncated(const Tensor& w, double variance) {
  const double stddev = std::sqrt(variance) / 0.8796256610342398;
  const Stats s = stats_of(w);
  EXPECT_GE(s.min, -2.0 * stddev - 1e-6);
  EXPECT_LE(s.max, 2.0 * stddev + 1e-6);
  EXPECT_NEAR(s.mean, 0.0, 0.02 * std::sqrt(variance));
  EXPECT_NEAR(s.variance, variance, 0.03 * variance);
}

TEST(VarianceScaling, NamedVariantsUseKerasScaleModeAndDistribution) {
  const Shape shape{250, 400};
  expect_truncated(GlorotNormal()(shape), 1.0 / 325.0);
  expect_truncated(HeNormal()(shape), 2.0 / 250.0);
  expect_truncated(LecunNormal()(shape), 1.0 / 250.0);
  const Stats he = stats_of(HeUniform()(shape));
  EXPECT_LE(he.max, std::sqrt(6.0 / 250.0));
  EXPECT_NEAR(he.variance, 2.0 / 250.0, 0.03 * 2.0 / 250.0);
  const Stats lecun = stats_of(LecunUniform()(shape));
  EXPECT_LE(lecun.max, std::sqrt(3.0 / 250.0));
  EXPECT_NEAR(lecun.variance, 1.0 / 250.0, 0.03 / 250.0);
}

TEST(VarianceScaling, ModesAndUntruncatedNormal) {
  const Shape shape{100, 900};
  const Stats out = stats_of(VarianceScaling(3.0, "fan_out", "untruncated_normal")(shape));
  EXPECT_NEAR(out.variance, 3.0 / 900.0, 0.03 * 3.0 / 900.0);
  // Untruncated: some values lie beyond two standard deviations.
  EXPECT_GT(out.max, 2.5 * std::sqrt(3.0 / 900.0));
  expect_truncated(VarianceScaling(1.0, "fan_in", "normal")(shape), 1.0 / 100.0);
}

TEST(VarianceScaling, NormalIsAnAliasOfTruncatedNormal) {
  const Initializer init = VarianceScaling(2.0, "fan_avg", "Normal");
  EXPECT_EQ(init.string_config().at("distribution"), "truncated_normal");
  EXPECT_EQ(init.string_config().at("mode"), "fan_avg");
  EXPECT_DOUBLE_EQ(init.config().at("scale"), 2.0);
}

TEST(VarianceScaling, RejectsBadArguments) {
  EXPECT_THROW(VarianceScaling(0.0), Error);
  EXPECT_THROW(VarianceScaling(1.0, "fan_sideways"), Error);
  EXPECT_THROW(VarianceScaling(1.0, "fan_in", "cauchy"), Error);
}

TEST(RandomInitializers, NormalUniformAndTruncatedNormal) {
  const Shape shape{400, 500};
  const Stats n = stats_of(RandomNormal(1.0, 0.5)(shape));
  EXPECT_NEAR(n.mean, 1.0, 0.01);
  EXPECT_NEAR(n.variance, 0.25, 0.01);
  const Stats u = stats_of(RandomUniform(-0.05, 0.05)(shape));
  EXPECT_GE(u.min, -0.05);
  EXPECT_LE(u.max, 0.05);
  EXPECT_NEAR(u.variance, 0.01 / 12.0, 0.03 * 0.01 / 12.0);
  const Stats t = stats_of(TruncatedNormal(0.5, 0.1)(shape));
  EXPECT_GE(t.min, 0.5 - 0.2 - 1e-6);
  EXPECT_LE(t.max, 0.5 + 0.2 + 1e-6);
  EXPECT_NEAR(t.mean, 0.5, 0.002);
  // Variance of a standard normal truncated to [-2, 2]: 0.8796^2.
  EXPECT_NEAR(t.variance, 0.01 * 0.8796256610342398 * 0.8796256610342398, 0.0003);
}

// max |M - I| for M = A A^T or A^T A.
double distance_from_identity(const std::vector<double>& a, std::int64_t rows, std::int64_t cols,
                              bool gram_of_columns, double gain) {
  const std::int64_t n = gram_of_columns ? cols : rows;
  double worst = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double dot = 0.0;
      const std::int64_t k_end = gram_of_columns ? rows : cols;
      for (std::int64_t k = 0; k < k_end; ++k) {
        dot +=
            gram_of_columns ? a[k * cols + i] * a[k * cols + j] : a[i * cols + k] * a[j * cols + k];
      }
      worst = std::max(worst, std::abs(dot - (i == j ? gain * gain : 0.0)));
    }
  }
  return worst;
}

TEST(Orthogonal, TallMatrixHasOrthonormalColumns) {
  const Tensor w = Orthogonal()(Shape{30, 20}, DType::float64);
  EXPECT_LT(distance_from_identity(w.to_vector<double>(), 30, 20, true, 1.0), 1e-12);
}

TEST(Orthogonal, WideMatrixHasOrthonormalRowsAndGainScales) {
  const Tensor w = Orthogonal(2.0)(Shape{20, 30}, DType::float64);
  EXPECT_LT(distance_from_identity(w.to_vector<double>(), 20, 30, false, 2.0), 1e-12);
}

TEST(Orthogonal, HigherRankFoldsLeadingAxesIntoRows) {
  const Tensor w = Orthogonal()(Shape{3, 4, 5});
  EXPECT_EQ(w.shape(), (Shape{3, 4, 5}));
  EXPECT_LT(distance_from_identity(w.to_vector<double>(), 12, 5, true, 1.0), 1e-5);
}

TEST(Orthogonal, RejectsRankBelowTwo) { EXPECT_THROW(Orthogonal()(Shape{5}), Error); }

TEST(ConstantInitializers, ZerosOnesConstantIdentity) {
  EXPECT_EQ(Zeros()(Shape{2, 3}).to_vector<float>(), std::vector<float>(6, 0.0f));
  EXPECT_EQ(Ones()(Shape{4}, DType::int32).to_vector<std::int32_t>(),
            std::vector<std::int32_t>(4, 1));
  EXPECT_EQ(Constant(2.5)(Shape{3}, DType::float64).to_vector<double>(),
            std::vector<double>(3, 2.5));
  EXPECT_EQ(Identity(3.0)(Shape{2, 3}).to_vector<float>(), (std::vector<float>{3, 0, 0, 0, 3, 0}));
  EXPECT_THROW(Identity()(Shape{2, 2, 2}), Error);
}

TEST(RandomInitializers, RejectIntegerDtypes) {
  EXPECT_THROW(GlorotUniform()(Shape{2, 2}, DType::int32), Error);
}

TEST(Seeds, GlobalSeedMakesDrawsRepeatable) {
  utils::set_random_seed(42);
  const std::vector<float> a = GlorotUniform()(Shape{10, 10}).to_vector<float>();
  const std::vector<float> b = GlorotUniform()(Shape{10, 10}).to_vector<float>();
  utils::set_random_seed(42);
  const std::vector<float> a_again = GlorotUniform()(Shape{10, 10}).to_vector<float>();
  EXPECT_EQ(a, a_again);
  EXPECT_NE(a, b);  // the generator advances between draws
}

TEST(Seeds, OwnSeedGivesTheSameValuesEveryCall) {
  const Initializer init = HeNormal(7);
  EXPECT_DOUBLE_EQ(init.config().at("seed"), 7.0);
  utils::set_random_seed(1);
  const std::vector<float> a = init(Shape{8, 8}).to_vector<float>();
  utils::set_random_seed(2);
  const std::vector<float> b = init(Shape{8, 8}).to_vector<float>();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, HeNormal(8)(Shape{8, 8}).to_vector<float>());
}

TEST(Get, AcceptsKerasNamesClassNamesAndAliases) {
  EXPECT_EQ(get("glorot_uniform").class_name(), "GlorotUniform");
  EXPECT_EQ(get("GlorotUniform").class_name(), "GlorotUniform");
  EXPECT_EQ(get("he_normal").class_name(), "HeNormal");
  EXPECT_EQ(get("uniform").class_name(), "RandomUniform");
  EXPECT_EQ(get("normal").class_name(), "RandomNormal");
  EXPECT_EQ(get("zero").class_name(), "Zeros");
  EXPECT_EQ(get("OrthogonalInitializer").class_name(), "Orthogonal");
  const Initializer implicit = "variance_scaling";
  EXPECT_EQ(implicit.class_name(), "VarianceScaling");
  EXPECT_EQ(implicit.string_config().at("mode"), "fan_in");
  EXPECT_DOUBLE_EQ(get("uniform").config().at("minval"), -0.05);
}

TEST(Get, UnknownNameListsKnownOnes) {
  try {
    get("glorot_uniformm");
    FAIL() << "expected keras::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("glorot_uniformm"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("\"he_normal\""), std::string::npos);
  }
}

TEST(Initializer, RejectsUnknownDimensions) { EXPECT_THROW(Zeros()(Shape{None, 3}), Error); }

}  // namespace
}  // namespace keras::initializers
