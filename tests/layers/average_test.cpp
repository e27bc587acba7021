#include "keras/layers/average.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(Average, AveragesAnyNumberOfInputs) {
  const Average avg;
  const std::vector<Tensor> y =
      avg({Tensor({1, 2}, {1, 2}), Tensor({1, 2}, {3, 4}), Tensor({1, 2}, {5, 9})});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{3, 5}));
  EXPECT_EQ(avg.impl().compute_output_shape({Shape{None, 3, 4}, Shape{None, 1, 4}})[0],
            (Shape{None, 3, 4}));
  EXPECT_THROW(avg({Tensor::zeros(Shape{1, 2}), Tensor::zeros(Shape{2, 2})}), Error);
}

TEST(Average, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "Average", "config": {"name": "a",
    "trainable": true, "dtype": "float32"}})");
  EXPECT_EQ(Layer(layer_from_config(object)).class_name(), "Average");
}

}  // namespace
}  // namespace keras::layers
