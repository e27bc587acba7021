#include "keras/layers/concatenate.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

std::vector<Shape> output_of(const Concatenate& layer, const std::vector<Shape>& shapes) {
  return layer.impl().compute_output_shape(shapes);
}

TEST(Concatenate, SumsTheAxisAsKerasDoes) {
  const Concatenate last;
  EXPECT_EQ(output_of(last, {Shape{None, 3, 4}, Shape{None, 3, 5}})[0], (Shape{None, 3, 9}));
  EXPECT_EQ(output_of(last, {Shape{None, 3, 4}, Shape{None, 3, None}})[0], (Shape{None, 3, None}));
  EXPECT_EQ(output_of(Concatenate({.axis = 1}), {Shape{None, 3, 4}, Shape{None, 5, 4}})[0],
            (Shape{None, 8, 4}));
  EXPECT_EQ(output_of(last, {Shape{None, 3, 4}})[0], (Shape{None, 3, 4}));
  EXPECT_EQ(last.impl().num_inputs(), -1);
}

TEST(Concatenate, RejectsMismatchedShapes) {
  backend::clear_session();
  const Concatenate layer;
  const std::string message = testing::error_message([&] {
    output_of(layer, {Shape{None, 3, 4}, Shape{None, 5, 4}});
  });
  EXPECT_EQ(message,
            "Concatenate \"concatenate\" requires inputs with matching shapes except for the "
            "concatenation axis -1. Received: input_shape=[(None, 3, 4), (None, 5, 4)].");
  EXPECT_THROW(output_of(layer, {Shape{None, 3, 4}, Shape{None, 5}}), Error);
  EXPECT_THROW(output_of(layer, {Shape{2, 3}, Shape{3, 3}}), Error);  // batch sizes
}

TEST(Concatenate, JoinsValues) {
  const Tensor a({2, 1}, {1, 2});
  const Tensor b({2, 2}, {3, 4, 5, 6});
  const std::vector<Tensor> y = Concatenate()({a, b});
  EXPECT_EQ(y[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{1, 3, 4, 2, 5, 6}));
  const std::vector<Tensor> rows = Concatenate({.axis = 0})({a, a});
  EXPECT_EQ(rows[0].shape(), (Shape{4, 1}));
}

TEST(Concatenate, MasksFollowKeras) {
  const Concatenate layer;
  const Tensor a = Tensor::zeros(Shape{1, 2, 3});
  const Tensor b = Tensor::zeros(Shape{1, 2, 4});
  // One input masked (B, T), the other not: the missing mask counts as all kept.
  const auto masks = layer.impl().compute_mask(
      {a, b}, {Tensor(Shape{1, 2}, std::vector<bool>{true, false}), std::nullopt});
  ASSERT_EQ(masks.size(), 1u);
  ASSERT_TRUE(masks[0].has_value());
  EXPECT_EQ(masks[0]->shape(), (Shape{1, 2}));
  EXPECT_EQ(masks[0]->to_vector<bool>(), (std::vector<bool>{true, true}));
  EXPECT_TRUE(layer.impl().compute_mask({a, b}, {std::nullopt, std::nullopt}).empty() ||
              !layer.impl().compute_mask({a, b}, {std::nullopt, std::nullopt})[0]);
}

}  // namespace
}  // namespace keras::layers
