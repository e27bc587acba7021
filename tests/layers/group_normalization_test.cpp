#include "keras/layers/group_normalization.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {
namespace {

TEST(GroupNormalization, OneGammaAndBetaPerChannel) {
  GroupNormalization gn({.groups = 2});
  gn.impl().maybe_build({Shape{None, 5, 6}});
  ASSERT_EQ(gn.weights().size(), 2u);
  EXPECT_EQ(gn.weights()[0].shape(), (Shape{6}));
  EXPECT_EQ(gn.count_params(), 12);
}

TEST(GroupNormalization, NormalisesEachGroupOfEachSample) {
  // Channels (a, b | c, d) in two groups; one position per sample.
  GroupNormalization gn({.groups = 2, .epsilon = 0.0});
  const Tensor x({1, 4}, {1, 3, 10, 30});
  EXPECT_EQ(gn(x).to_vector<float>(), (std::vector<float>{-1, 1, -1, 1}));
  // groups=-1 (instance normalization): each channel over the positions.
  GroupNormalization instance({.groups = -1, .epsilon = 0.0});
  const Tensor y = instance(Tensor({1, 2, 2}, {1, 10, 3, 30}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{-1, -1, 1, 1}));
  // Channels first: axis 1 of (1, 2, 2).
  GroupNormalization first({.groups = 2, .axis = 1, .epsilon = 0.0});
  const Tensor z = first(Tensor({1, 2, 2}, {1, 3, 10, 30}));
  EXPECT_EQ(z.to_vector<float>(), (std::vector<float>{-1, 1, -1, 1}));
}

TEST(GroupNormalization, RejectsGroupCountsThatDoNotFit) {
  backend::clear_session();
  EXPECT_THROW(GroupNormalization({.groups = 0}), Error);
  EXPECT_THROW(GroupNormalization({.groups = -2}), Error);
  const std::string more = testing::error_message([] {
    GroupNormalization()(Tensor::zeros(Shape{1, 4}));
  });
  EXPECT_NE(more.find("number of groups (32) cannot be more than the number of channels (4)"),
            std::string::npos)
      << more;
  EXPECT_THROW(GroupNormalization({.groups = 3})(Tensor::zeros(Shape{1, 4})), Error);
  EXPECT_THROW(GroupNormalization({.groups = 1, .axis = 0})(Tensor::zeros(Shape{1, 4})), Error);
}

TEST(GroupNormalization, ReadsKerasConfig) {
  const json object = json::parse(R"({"module": "keras.layers", "class_name":
    "GroupNormalization", "config": {"name": "gn", "trainable": true, "dtype": "float32",
    "groups": 3, "axis": -1, "epsilon": 0.001, "center": true, "scale": true,
    "beta_initializer": "zeros", "gamma_initializer": "ones", "beta_regularizer": null,
    "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null},
    "registered_name": null, "build_config": {"input_shape": [null, 2, 6]}})");
  const Layer gn(layer_from_config(object));
  EXPECT_EQ(gn.count_params(), 12);
  EXPECT_EQ(gn.compute_output_shape(Shape{None, 2, 6}), (Shape{None, 2, 6}));
}

}  // namespace
}  // namespace keras::layers
