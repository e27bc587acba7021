#include "keras/layers/spatial_dropout1d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(SpatialDropout1D, IsTheIdentityAtInference) {
  const Tensor x = Tensor::ones(Shape{2, 3, 4});
  EXPECT_EQ(SpatialDropout1D(0.5)(x).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(SpatialDropout1D(0.5).count_params(), 0);
}

TEST(SpatialDropout1D, DropsWholeChannelsAcrossSteps) {
  utils::set_random_seed(3);
  const SpatialDropout1D drop(0.5);
  const Tensor x = Tensor::ones(Shape{40, 6, 8});
  const std::vector<float> y = drop(x, /*training=*/true).to_vector<float>();
  int dropped = 0;
  for (int b = 0; b < 40; ++b) {
    for (int c = 0; c < 8; ++c) {
      const float first = y[static_cast<std::size_t>((b * 6) * 8 + c)];
      EXPECT_TRUE(first == 0.0f || first == 2.0f);  // kept values scaled by 1 / (1 - rate)
      for (int t = 1; t < 6; ++t)
        EXPECT_EQ(y[static_cast<std::size_t>((b * 6 + t) * 8 + c)], first);
      dropped += first == 0.0f;
    }
  }
  EXPECT_GT(dropped, 100);  // about half of 320
  EXPECT_LT(dropped, 220);
}

TEST(SpatialDropout1D, SeedsRepeatAndBadInputsThrow) {
  const Tensor x = Tensor::ones(Shape{4, 2, 8});
  const auto a = SpatialDropout1D(0.5, {.seed = 9})(x, true).to_vector<float>();
  const auto b = SpatialDropout1D(0.5, {.seed = 9})(x, true).to_vector<float>();
  EXPECT_EQ(a, b);
  EXPECT_THROW(SpatialDropout1D(1.5), Error);
  EXPECT_THROW(SpatialDropout1D(0.5)(Tensor::ones(Shape{2, 3})), Error);  // needs rank 3
  EXPECT_EQ(SpatialDropout1D(1.0)(x, true).to_vector<float>(), std::vector<float>(64, 0.0f));
}

TEST(SpatialDropout1D, ReadsKerasConfigWithoutTrainable) {
  const json object = json::parse(R"({"module": "keras.layers", "class_name":
    "SpatialDropout1D", "config": {"rate": 0.3, "seed": null, "name": "sd", "dtype": {"module":
    "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name":
    null}}, "registered_name": null})");
  const Layer layer(layer_from_config(object));
  EXPECT_EQ(layer.name(), "sd");
  EXPECT_TRUE(layer.impl().supports_masking());
}

}  // namespace
}  // namespace keras::layers
