#include "keras/layers/dot.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

Shape output_of(const Dot& dot, const std::vector<Shape>& shapes) {
  return dot.impl().compute_output_shape(shapes).at(0);
}

TEST(Dot, OutputShapesFollowKeras) {
  EXPECT_EQ(output_of(Dot(1), {Shape{None, 4}, Shape{None, 4}}), (Shape{None, 1}));
  EXPECT_EQ(output_of(Dot({1, 2}), {Shape{None, 3, 5}, Shape{None, 10, 3}}), (Shape{None, 5, 10}));
  EXPECT_EQ(output_of(Dot(-1), {Shape{None, 3, 5}, Shape{None, 4, 5}}), (Shape{None, 3, 4}));
  EXPECT_EQ(output_of(Dot(1), {Shape{None, 4}, Shape{None, 4, 3}}), (Shape{None, 3}));
}

TEST(Dot, ComputesBatchDotProducts) {
  const Tensor a({2, 2}, {1, 2, 3, 4});
  const Tensor b({2, 2}, {5, 6, 7, 8});
  const std::vector<Tensor> y = Dot(1)({a, b});
  EXPECT_EQ(y[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{17, 53}));
  // (1, 2, 3) . (1, 3, 2) over axes (2, 1): a matrix product per sample.
  const Tensor m({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor n({1, 3, 2}, {1, 0, 0, 1, 1, 1});
  EXPECT_EQ(Dot({2, 1})({m, n})[0].to_vector<float>(), (std::vector<float>{4, 5, 10, 11}));
  // normalize: the cosine similarity.
  const Tensor c({1, 2}, {3, 4}), d({1, 2}, {4, 3});
  EXPECT_NEAR(Dot(1, {.normalize = true})({c, d})[0].item<float>(), 24.0f / 25.0f, 1e-6);
}

TEST(Dot, RejectsTheBatchAxisAndMismatchedSizes) {
  backend::clear_session();
  const std::string batch = testing::error_message([] {
    Dot(0).impl().compute_output_shape({Shape{None, 4}, Shape{None, 4}});
  });
  EXPECT_NE(batch.find("cannot perform batch_dot over axis 0"), std::string::npos);
  const std::string sizes = testing::error_message([] {
    Dot(1)({Tensor::zeros(Shape{1, 3}), Tensor::zeros(Shape{1, 4})});
  });
  EXPECT_NE(sizes.find("axis values 3 (at axis 1) != 4 (at axis 1)"), std::string::npos) << sizes;
  EXPECT_THROW(Dot(1)({Tensor::zeros(Shape{1, 3})}), Error);
  EXPECT_THROW(Dot(1).impl().compute_output_shape({Shape{None}, Shape{None}}), Error);
}

TEST(Dot, HasNoMaskAndReadsKerasConfig) {
  const Tensor x = Tensor::zeros(Shape{1, 2});
  const Tensor m(Shape{1}, std::vector<bool>{true});
  EXPECT_TRUE(Dot(1).impl().compute_mask({x, x}, {m, m}).empty());
  const json pair = json::parse(R"({"class_name": "Dot", "config": {"name": "d", "trainable":
    true, "dtype": "float32", "axes": [1, 2], "normalize": true}})");
  const Layer dot(layer_from_config(pair));
  const Tensor a({1, 2, 3}, {3, 0, 0, 4, 0, 0});  // columns (3, 4) and zeros
  const Tensor b({1, 3, 2}, {4, 3, 0, 0, 0, 0});  // rows (4, 3) and zeros
  const std::vector<Tensor> y = dot({a, b});
  ASSERT_EQ(y[0].shape(), (Shape{1, 3, 3}));
  EXPECT_NEAR(y[0].to_vector<float>()[0], 24.0f / 25.0f, 1e-6);
  const json single = json::parse(R"({"class_name": "Dot", "config": {"name": "e", "trainable":
    true, "dtype": "float32", "axes": -1, "normalize": false}})");
  EXPECT_EQ(Layer(layer_from_config(single))
                .impl()
                .compute_output_shape({Shape{None, 3, 5}, Shape{None, 4, 5}})[0],
            (Shape{None, 3, 4}));
}

}  // namespace
}  // namespace keras::layers
