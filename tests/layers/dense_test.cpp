// Dense against real Keras: fixtures, shapes, weights, errors.
#include "keras/layers/dense.hpp"

#include <gtest/gtest.h>

#include "keras/layers/flatten.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::check_layer_against_case;
using testing::error_message;
using testing::load_case;

class DenseFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(DenseFixture, MatchesKeras) {
  backend::clear_session();
  const auto c = load_case(GetParam());
  const std::int64_t units = c.output_shape[-1];
  const bool relu_no_bias = GetParam() == "dense_relu_nobias_3d";
  const Dense dense =
      relu_no_bias ? Dense(units, {.activation = "relu", .use_bias = false}) : Dense(units);
  check_layer_against_case(dense, c);
}

INSTANTIATE_TEST_SUITE_P(Cases, DenseFixture,
                         ::testing::Values("dense_2d", "dense_3d", "dense_4d",
                                           "dense_relu_nobias_3d", "seed1_dense_2x3",
                                           "seed1_dense_20x5"));

TEST(Dense, ContractsOnlyTheLastAxis) {
  const Dense dense(10);
  EXPECT_EQ(dense.compute_output_shape(Shape{None, 20, 5}), (Shape{None, 20, 10}));
  dense.impl().maybe_build({Shape{None, 20, 5}});
  EXPECT_EQ(dense.count_params(), 60);  // 5*10 + 10, the same kernel at each of 20 positions
  ASSERT_EQ(dense.weights().size(), 2u);
  EXPECT_EQ(dense.weights()[0].shape(), (Shape{5, 10}));
  EXPECT_EQ(dense.weights()[1].shape(), (Shape{10}));
}

TEST(Dense, EachPositionUsesTheSameKernel) {
  const Dense dense(2, {.use_bias = false});
  dense.impl().maybe_build({Shape{None, 3}});
  dense.set_weights({Tensor({3, 2}, {1, 0, 0, 1, 1, 1})});
  const Tensor x({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor y = dense(x);
  EXPECT_EQ(y.shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{4, 5, 10, 11}));
}

TEST(Dense, NoBiasMeansOneWeight) {
  const Dense dense(4, {.use_bias = false});
  dense.impl().maybe_build({Shape{None, 3}});
  ASSERT_EQ(dense.weights().size(), 1u);
  EXPECT_EQ(dense.weights()[0].name(), "kernel");
  EXPECT_EQ(dense.count_params(), 12);
}

TEST(Dense, WrongLastDimensionNamesLayerAndShapes) {
  backend::clear_session();
  const Dense first(3);
  const Dense dense(4);  // dense_1
  dense.impl().maybe_build({Shape{None, 20, 5}});
  const std::string message = error_message([&] {
    dense.compute_output_shape(Shape{None, 20, 6});
  });
  EXPECT_EQ(message,
            "Dense \"dense_1\" expects inputs whose last dimension is 5, got shape (None, 20, 6).");
  // Concrete calls check too.
  EXPECT_THROW(dense(Tensor::zeros(Shape{2, 20, 6})), Error);
}

TEST(Dense, SuggestsFlattenWhenAllAxesHoldTheExpectedValues) {
  const Dense dense(4);
  dense.impl().maybe_build({Shape{None, 120}});
  const std::string message = error_message([&] {
    dense.compute_output_shape(Shape{None, 20, 6});
  });
  EXPECT_NE(message.find("expects inputs whose last dimension is 120, got shape (None, 20, 6)."),
            std::string::npos);
  EXPECT_NE(message.find("Dense contracts only the last axis; add Flatten() first to mix all axes"),
            std::string::npos);
  // No hint when flattening would not help.
  const std::string other = error_message([&] { dense.compute_output_shape(Shape{None, 5, 6}); });
  EXPECT_EQ(other.find("Flatten"), std::string::npos);
}

TEST(Dense, NeedsRankTwo) {
  const Dense dense(4);
  const std::string message = error_message([&] { dense.compute_output_shape(Shape{None}); });
  EXPECT_NE(message.find("rank 2 or more"), std::string::npos);
  EXPECT_NE(message.find("(None,)"), std::string::npos);
  EXPECT_THROW(dense(Tensor::zeros(Shape{3})), Error);
  EXPECT_FALSE(dense.built());  // no weights were created for the bad input
}

TEST(Dense, RejectsBadArguments) {
  EXPECT_THROW(Dense(0), Error);
  EXPECT_THROW(Dense(-3), Error);
  const std::string message = error_message([] { Dense(3, {.activation = "relux"}); });
  EXPECT_NE(message.find("relux"), std::string::npos);
}

TEST(Dense, SeededInitializersAreRepeatable) {
  const Dense a(3, {.kernel_initializer = initializers::GlorotUniform(5)});
  const Dense b(3, {.kernel_initializer = initializers::GlorotUniform(5)});
  a.impl().maybe_build({Shape{None, 4}});
  b.impl().maybe_build({Shape{None, 4}});
  EXPECT_EQ(a.get_weights()[0].to_vector<float>(), b.get_weights()[0].to_vector<float>());
  const double limit = std::sqrt(6.0 / 7.0);
  for (float v : a.get_weights()[0].to_vector<float>()) EXPECT_LE(std::abs(v), limit);
  EXPECT_EQ(a.get_weights()[1].to_vector<float>(), std::vector<float>(3, 0.0f));
}

TEST(Dense, IntegerInputsComputeInFloat32) {
  const Dense dense(1, {.kernel_initializer = "ones"});
  const Tensor y = dense(Tensor(Shape{1, 2}, std::vector<std::int32_t>{2, 3}));
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_EQ(y.to_vector<float>(), std::vector<float>{5});
}

TEST(Dense, Float64InputsComputeInFloat64) {
  const Dense dense(1, {.kernel_initializer = "ones"});
  const Tensor y = dense(Tensor(Shape{1, 2}, std::vector<double>{0.1, 0.2}));
  EXPECT_EQ(y.dtype(), DType::float64);
  EXPECT_NEAR(y.item<double>(), 0.3, 1e-7);
}

TEST(Dense, SupportsMasking) { EXPECT_TRUE(Dense(2).impl().supports_masking()); }

}  // namespace
}  // namespace keras::layers
