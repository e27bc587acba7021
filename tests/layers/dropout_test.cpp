#include "keras/layers/dropout.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(Dropout, IsTheIdentityAtInferenceAsInKeras) {
  backend::clear_session();
  const auto c = testing::load_case("dropout_3d");
  const Dropout dropout(0.5);
  testing::check_layer_against_case(dropout, c);
  testing::expect_allclose(dropout(c.x), c.x, 0.0, 0.0);
}

TEST(Dropout, TrainingDropsAboutRateAndScalesTheRest) {
  const double rate = 0.3;
  const Dropout dropout(rate);
  const Tensor x = Tensor::ones(Shape{200, 500});
  const std::vector<float> y = dropout(x, /*training=*/true).to_vector<float>();
  std::int64_t zeros = 0;
  double sum = 0.0;
  const float kept = static_cast<float>(1.0 / (1.0 - rate));
  for (float v : y) {
    if (v == 0.0f) {
      ++zeros;
    } else {
      EXPECT_FLOAT_EQ(v, kept);
    }
    sum += v;
  }
  const double fraction = static_cast<double>(zeros) / static_cast<double>(y.size());
  EXPECT_NEAR(fraction, rate, 0.01);  // 100000 draws: the standard error is 0.0015
  EXPECT_NEAR(sum / static_cast<double>(y.size()), 1.0, 0.02);  // inverted dropout
}

TEST(Dropout, NoiseShapeSharesThePatternAlongBroadcastAxes) {
  const Dropout dropout(0.5, {.noise_shape = std::vector<std::int64_t>{None, 1, 8}});
  const Tensor y = dropout(Tensor::ones(Shape{4, 5, 8}), true);
  const std::vector<float> v = y.to_vector<float>();
  int dropped = 0;
  for (int b = 0; b < 4; ++b) {
    for (int f = 0; f < 8; ++f) {
      const float first = v[static_cast<std::size_t>(b * 40 + f)];
      dropped += first == 0.0f;
      for (int t = 1; t < 5; ++t) EXPECT_EQ(v[static_cast<std::size_t>(b * 40 + t * 8 + f)], first);
    }
  }
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, 32);
  EXPECT_THROW(dropout(Tensor::ones(Shape{4, 5}), true), Error);  // rank differs
  const Dropout mismatched(0.5, {.noise_shape = std::vector<std::int64_t>{None, 3, 8}});
  EXPECT_THROW(mismatched(Tensor::ones(Shape{4, 5, 8}), true), Error);
}

TEST(Dropout, SeedsMakeDrawsRepeatable) {
  const Tensor x = Tensor::ones(Shape{10, 10});
  const Dropout a(0.5, {.seed = 3});
  const Dropout b(0.5, {.seed = 3});
  const std::vector<float> first = a(x, true).to_vector<float>();
  EXPECT_EQ(first, b(x, true).to_vector<float>());
  EXPECT_NE(first, a(x, true).to_vector<float>());  // the layer's generator advances

  const Dropout unseeded(0.5);
  utils::set_random_seed(11);
  const std::vector<float> c = unseeded(x, true).to_vector<float>();
  utils::set_random_seed(11);
  EXPECT_EQ(c, unseeded(x, true).to_vector<float>());
}

TEST(Dropout, RateZeroAndOne) {
  const Tensor x({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(Dropout(0.0)(x, true).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(Dropout(1.0)(x, true).to_vector<float>(), std::vector<float>(4, 0.0f));
}

TEST(Dropout, RejectsBadArguments) {
  EXPECT_THROW(Dropout(1.5), Error);
  EXPECT_THROW(Dropout(-0.1), Error);
  EXPECT_THROW(Dropout(0.5, {.noise_shape = std::vector<std::int64_t>{None, 0}}), Error);
}

TEST(Dropout, HasNoWeightsAndPassesMasks) {
  const Dropout dropout(0.2);
  EXPECT_EQ(dropout.compute_output_shape(Shape{None, 4}), (Shape{None, 4}));
  EXPECT_TRUE(dropout.weights().empty());
  EXPECT_TRUE(dropout.impl().supports_masking());
}

}  // namespace
}  // namespace keras::layers
