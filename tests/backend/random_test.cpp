// The random helpers of backend/random.hpp: distributions, seeding, masks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "backend/random.hpp"
#include "keras/utils.hpp"

namespace {

namespace random = keras::backend::random;
using keras::DType;
using keras::Shape;
using keras::Tensor;

struct Stats {
  double mean = 0, stddev = 0, min = 1e300, max = -1e300;
};

Stats stats(const Tensor& t) {
  Stats s;
  const auto v = t.to_vector<double>();
  for (double x : v) {
    s.mean += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.stddev += (x - s.mean) * (x - s.mean);
  s.stddev = std::sqrt(s.stddev / static_cast<double>(v.size()));
  return s;
}

TEST(Random, UniformCoversItsRange) {
  std::mt19937_64 gen(1);
  const Tensor t = random::uniform({200000}, DType::float32, -0.5, 1.5, gen);
  EXPECT_EQ(t.dtype(), DType::float32);
  const Stats s = stats(t);
  EXPECT_GE(s.min, -0.5);
  EXPECT_LT(s.max, 1.5);
  EXPECT_NEAR(s.mean, 0.5, 0.01);
  EXPECT_NEAR(s.stddev, 2.0 / std::sqrt(12.0), 0.01);
}

TEST(Random, NormalHasItsMeanAndStddev) {
  std::mt19937_64 gen(2);
  const Stats s = stats(random::normal({200000}, DType::float64, 3.0, 0.5, gen));
  EXPECT_NEAR(s.mean, 3.0, 0.01);
  EXPECT_NEAR(s.stddev, 0.5, 0.01);
}

TEST(Random, TruncatedNormalStaysWithinTwoStddev) {
  std::mt19937_64 gen(3);
  const Stats s = stats(random::truncated_normal({200000}, DType::float32, 1.0, 0.1, gen));
  EXPECT_GE(s.min, 1.0 - 0.2 - 1e-6);
  EXPECT_LE(s.max, 1.0 + 0.2 + 1e-6);
  EXPECT_NEAR(s.mean, 1.0, 0.002);
  EXPECT_NEAR(s.stddev, 0.1 * 0.8796, 0.002);  // stddev of N(0,1) truncated at +-2
}

TEST(Random, DropoutMaskZeroesAboutRateAndScalesTheRest) {
  std::mt19937_64 gen(4);
  const Tensor m = random::dropout_mask({100000}, DType::float32, 0.3, gen);
  const auto v = m.to_vector<float>();
  const auto zeros = std::count(v.begin(), v.end(), 0.0f);
  EXPECT_NEAR(static_cast<double>(zeros) / 100000.0, 0.3, 0.01);
  for (float x : v) ASSERT_TRUE(x == 0.0f || std::fabs(x - 1.0f / 0.7f) < 1e-6f);
  EXPECT_THROW(random::dropout_mask({3}, DType::float32, 1.0, gen), keras::Error);
  const auto ones = random::dropout_mask({5}, DType::float32, 0.0, gen).to_vector<float>();
  for (float x : ones) EXPECT_EQ(x, 1.0f);
}

TEST(Random, TheGlobalSeedMakesDrawsRepeatable) {
  keras::utils::set_random_seed(123);
  const auto a = random::normal({50}, DType::float32, 0, 1).to_vector<float>();
  const auto b = random::normal({50}, DType::float32, 0, 1).to_vector<float>();
  keras::utils::set_random_seed(123);
  const auto c = random::normal({50}, DType::float32, 0, 1).to_vector<float>();
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
  EXPECT_EQ(random::generator_for(7)(), random::generator_for(7)());
}

TEST(Random, PermutationHoldsEveryIndexOnce) {
  std::mt19937_64 gen(5);
  auto p = random::permutation(1000, gen);
  EXPECT_FALSE(std::is_sorted(p.begin(), p.end()));
  std::sort(p.begin(), p.end());
  for (std::int64_t i = 0; i < 1000; ++i) ASSERT_EQ(p[i], i);
}

TEST(Random, IntegerDtypesAreRejected) {
  std::mt19937_64 gen(6);
  EXPECT_THROW(random::uniform({2}, DType::int32, 0, 1, gen), keras::Error);
}

}  // namespace
