// Activation with every activation name Keras accepts, against real Keras.
#include "keras/layers/activation.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

using testing::error_message;

class ActivationFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationFixture, MatchesKeras) {
  backend::clear_session();
  const auto c = testing::load_case(GetParam());
  if (!c.y.defined()) GTEST_SKIP() << "Keras computed no output for " << GetParam();
  const Activation layer(c.info.at("activation").get<std::string>());
  testing::check_layer_against_case(layer, c);
  EXPECT_EQ(layer.count_params(), 0);
}

INSTANTIATE_TEST_SUITE_P(Cases, ActivationFixture,
                         ::testing::ValuesIn(testing::case_names("activation_")),
                         [](const auto& info) { return info.param; });

TEST(Activation, EveryFixtureCaseIsPresent) {
  // 3.15.1 accepts 32 activation names (aliases included).
  EXPECT_GE(testing::case_names("activation_").size(), 32u);
}

TEST(Activation, UnknownNameFailsAtConstruction) {
  const std::string message = error_message([] { Activation("rleu"); });
  EXPECT_NE(message.find("rleu"), std::string::npos);
}

TEST(Activation, KeepsShapeAndPassesMasks) {
  const Activation layer("tanh");
  EXPECT_EQ(layer.compute_output_shape(Shape{None, 3, 7}), (Shape{None, 3, 7}));
  EXPECT_TRUE(layer.impl().supports_masking());
  EXPECT_TRUE(layer.weights().empty());
}

}  // namespace
}  // namespace keras::layers
