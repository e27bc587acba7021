#include "keras/layers/gaussian_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(GaussianNoise, AddsNoiseOfTheGivenStddevOnlyWhenTraining) {
  utils::set_random_seed(1);
  const GaussianNoise noise(0.5);
  const Tensor x = Tensor::full(Shape{100, 50}, 2.0);
  EXPECT_EQ(noise(x).to_vector<float>(), x.to_vector<float>());
  const auto y = noise(x, /*training=*/true).to_vector<float>();
  double sum = 0, sq = 0;
  for (float v : y) {
    sum += v - 2.0;
    sq += (v - 2.0) * (v - 2.0);
  }
  const double n = static_cast<double>(y.size());
  EXPECT_NEAR(sum / n, 0.0, 0.03);
  EXPECT_NEAR(std::sqrt(sq / n), 0.5, 0.03);
}

TEST(GaussianNoise, SeedsRepeatAndStddevIsChecked) {
  const Tensor x = Tensor::zeros(Shape{3, 4});
  EXPECT_EQ(GaussianNoise(0.1, {.seed = 4})(x, true).to_vector<float>(),
            GaussianNoise(0.1, {.seed = 4})(x, true).to_vector<float>());
  EXPECT_EQ(GaussianNoise(0.0)(x, true).to_vector<float>(), x.to_vector<float>());
  EXPECT_THROW(GaussianNoise(1.5), Error);
  EXPECT_THROW(GaussianNoise(-0.1), Error);
}

TEST(GaussianNoise, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "GaussianNoise", "config": {"name": "gn",
    "trainable": true, "dtype": "float32", "stddev": 0.2, "seed": 3}})");
  const Layer layer(layer_from_config(object));
  EXPECT_TRUE(layer.built());
  EXPECT_TRUE(layer.impl().supports_masking());
}

}  // namespace
}  // namespace keras::layers
