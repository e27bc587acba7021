#include "keras/layers/subtract.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(Subtract, TakesExactlyTwoInputs) {
  backend::clear_session();
  const Subtract sub;
  const std::vector<Tensor> y = sub({Tensor({1, 2}, {5, 7}), Tensor({1, 2}, {1, 2})});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{4, 5}));
  const std::string message = testing::error_message([&] {
    sub.impl().compute_output_shape({Shape{None, 2}, Shape{None, 2}, Shape{None, 2}});
  });
  EXPECT_EQ(message,
            "Subtract \"subtract\" should be called on exactly 2 inputs. Received: "
            "input_shape=[(None, 2), (None, 2), (None, 2)]");
}

TEST(Subtract, BroadcastsAsKerasDoes) {
  backend::clear_session();
  const Subtract sub;
  EXPECT_EQ(sub.impl().compute_output_shape({Shape{None, 3, 1}, Shape{None, 3, 4}})[0],
            (Shape{None, 3, 4}));
  const std::string message = testing::error_message([&] {
    sub.impl().compute_output_shape({Shape{None, 3}, Shape{None, 4}});
  });
  EXPECT_NE(message.find("Subtract \"subtract\" cannot subtract inputs of shapes"),
            std::string::npos);
  // An input of lower rank gets its new axes after the batch axis.
  const std::vector<Tensor> y = sub({Tensor({1, 2, 2}, {1, 2, 3, 4}), Tensor({1, 2}, {1, 1})});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{0, 1, 2, 3}));
}

TEST(Subtract, ReadsKerasConfig) {
  const json object = json::parse(R"({"class_name": "Subtract", "config": {"name": "s",
    "trainable": true, "dtype": "float32"}})");
  EXPECT_EQ(Layer(layer_from_config(object)).class_name(), "Subtract");
}

}  // namespace
}  // namespace keras::layers
