#include "keras/layers/add.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

Shape output_of(const Add& layer, const std::vector<Shape>& shapes) {
  return layer.impl().compute_output_shape(shapes).at(0);
}

TEST(Add, BroadcastsNonBatchShapesAsKerasDoes) {
  const Add add;
  EXPECT_EQ(output_of(add, {Shape{None, 3}, Shape{None, 3}}), (Shape{None, 3}));
  EXPECT_EQ(output_of(add, {Shape{None, 3, 4}, Shape{None, 4}}), (Shape{None, 3, 4}));
  EXPECT_EQ(output_of(add, {Shape{None, 3, 1}, Shape{None, 1, 4}}), (Shape{None, 3, 4}));
  EXPECT_EQ(output_of(add, {Shape{None, 3}, Shape{2, 3}}), (Shape{2, 3}));
  // Keras: an unknown dimension makes the result unknown.
  EXPECT_EQ(output_of(add, {Shape{None, None}, Shape{None, 3}}), (Shape{None, None}));
  // Keras 3.15 accepts a list of one input.
  EXPECT_EQ(output_of(add, {Shape{None, 3}}), (Shape{None, 3}));
  EXPECT_EQ(add.impl().num_inputs(), -1);
}

TEST(Add, RejectsShapesThatDoNotBroadcast) {
  backend::clear_session();
  const Add add;
  const std::string message = testing::error_message([&] {
    output_of(add, {Shape{None, 3}, Shape{None, 4}});
  });
  EXPECT_NE(message.find("Add \"add\" cannot add inputs of shapes [(None, 3), (None, 4)]"),
            std::string::npos);
  const std::string batch = testing::error_message([&] {
    output_of(add, {Shape{2, 3, 4}, Shape{3, 3, 4}});
  });
  EXPECT_NE(batch.find("different batch sizes"), std::string::npos);
  EXPECT_THROW(add({Tensor::zeros(Shape{1, 3}), Tensor::zeros(Shape{1, 4})}), Error);
}

TEST(Add, SumsAndAlignsLowerRankInputsAfterTheBatchAxis) {
  const Add add;
  const Tensor a({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor b({1, 3}, {10, 20, 30});
  const std::vector<Tensor> y = add({a, b, a});
  EXPECT_EQ(y[0].shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{12, 24, 36, 18, 30, 42}));
}

TEST(Add, MaskIsTheOrOfAllMasksOrNone) {
  const Add add;
  const Tensor x = Tensor::zeros(Shape{1, 2});
  const Tensor m1(Shape{1, 2}, std::vector<bool>{true, false});
  const Tensor m2(Shape{1, 2}, std::vector<bool>{false, false});
  const auto both = add.impl().compute_mask({x, x}, {m1, m2});
  ASSERT_TRUE(both.at(0).has_value());
  EXPECT_EQ(both[0]->to_vector<bool>(), (std::vector<bool>{true, false}));
  const auto one = add.impl().compute_mask({x, x}, {m1, std::nullopt});
  EXPECT_FALSE(one.at(0).has_value());
}

}  // namespace
}  // namespace keras::layers
