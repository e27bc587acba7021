#include "keras/layers/unit_normalization.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(UnitNormalization, ScalesEachSampleToUnitNorm) {
  UnitNormalization un;
  EXPECT_TRUE(un.built());  // nothing to build, as Keras' _build_at_init
  EXPECT_EQ(un.count_params(), 0);
  const Tensor y = un(Tensor({2, 2}, {3, 4, 0, 0}));
  // An all-zero sample stays zero (the norm is capped below at 1e-12).
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{0.6f, 0.8f, 0, 0}));
  UnitNormalization both({.axis = {1, 2}});
  const Tensor z = both(Tensor({1, 2, 2}, {1, 1, 1, 1}));
  for (float v : z.to_vector<float>()) EXPECT_FLOAT_EQ(v, 0.5f);
}

TEST(UnitNormalization, RejectsAxesTheInputDoesNotHave) {
  backend::clear_session();
  const std::string message = testing::error_message([] {
    UnitNormalization({.axis = {2}}).compute_output_shape(Shape{None, 3});
  });
  EXPECT_EQ(message,
            "UnitNormalization \"unit_normalization\": axis 2 is out of bounds for input shape "
            "(None, 3).");
}

TEST(UnitNormalization, ReadsKerasConfig) {
  const json object = json::parse(R"({"module": "keras.layers", "class_name":
    "UnitNormalization", "config": {"name": "un", "trainable": true, "dtype": "float32",
    "axis": [1, 2]}, "registered_name": null})");
  const Layer un(layer_from_config(object));
  const Tensor z = un(Tensor({1, 2, 2}, {2, 2, 2, 2}));
  for (float v : z.to_vector<float>()) EXPECT_FLOAT_EQ(v, 0.5f);
}

}  // namespace
}  // namespace keras::layers
