#include "keras/layers/spatial_dropout2d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

// Whether every channel of every sample is either all kept or all dropped.
bool whole_channels(const std::vector<float>& y, int batch, int positions, int channels,
                    bool channels_first) {
  for (int b = 0; b < batch; ++b) {
    for (int c = 0; c < channels; ++c) {
      auto at = [&](int p) {
        return channels_first ? y[static_cast<std::size_t>((b * channels + c) * positions + p)]
                              : y[static_cast<std::size_t>((b * positions + p) * channels + c)];
      };
      for (int p = 1; p < positions; ++p) {
        if (at(p) != at(0)) return false;
      }
    }
  }
  return true;
}

TEST(SpatialDropout2D, DropsWholeFeatureMaps) {
  utils::set_random_seed(5);
  const Tensor last = Tensor::ones(Shape{8, 3, 4, 5});
  const auto y = SpatialDropout2D(0.5)(last, true).to_vector<float>();
  EXPECT_TRUE(whole_channels(y, 8, 12, 5, false));
  EXPECT_NE(std::count(y.begin(), y.end(), 0.0f), 0);
  const Tensor first = Tensor::ones(Shape{8, 5, 3, 4});
  const auto z =
      SpatialDropout2D(0.5, {.data_format = "channels_first"})(first, true).to_vector<float>();
  EXPECT_TRUE(whole_channels(z, 8, 12, 5, true));
  EXPECT_EQ(SpatialDropout2D(0.5)(last).to_vector<float>(), last.to_vector<float>());
}

TEST(SpatialDropout2D, RejectsBadArguments) {
  EXPECT_THROW(SpatialDropout2D(-0.1), Error);
  EXPECT_THROW(SpatialDropout2D(0.1, {.data_format = "channels_middle"}), Error);
  EXPECT_THROW(SpatialDropout2D(0.1)(Tensor::ones(Shape{2, 3, 4})), Error);
}

TEST(SpatialDropout2D, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "SpatialDropout2D", "config": {"rate": 0.5,
    "seed": 7, "name": "sd2", "dtype": "float32", "data_format": "channels_first"}})");
  const Layer layer(layer_from_config(object));
  const auto y = layer(Tensor::ones(Shape{4, 3, 2, 2}), true).to_vector<float>();
  EXPECT_TRUE(whole_channels(y, 4, 4, 3, true));
}

}  // namespace
}  // namespace keras::layers
