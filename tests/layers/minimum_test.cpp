#include "keras/layers/minimum.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(Minimum, TakesTheElementWiseMinimumWithBroadcasting) {
  backend::clear_session();
  const Minimum min;
  const std::vector<Tensor> y = min({Tensor({1, 2, 2}, {1, 5, 3, 0}), Tensor({1, 1, 2}, {2, 2})});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{1, 2, 2, 0}));
  const std::string message = testing::error_message([&] {
    min.impl().compute_output_shape({Shape{None, 3}, Shape{None, 4}});
  });
  EXPECT_NE(message.find("Minimum \"minimum\" cannot take the minimum of inputs of shapes"),
            std::string::npos)
      << message;
}

TEST(Minimum, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "Minimum", "config": {"name": "mn",
    "trainable": true, "dtype": "float32"}})");
  EXPECT_EQ(Layer(layer_from_config(object)).class_name(), "Minimum");
}

}  // namespace
}  // namespace keras::layers
