// GlobalMaxPooling1D: the maximum over steps, keepdims, both data formats.
#include "keras/layers/global_max_pooling1d.hpp"

#include <gtest/gtest.h>

#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(GlobalMaxPooling1D, MaxOverSteps) {
  backend::clear_session();
  const Tensor x({1, 3, 2}, {1, 10, 7, -20, 6, 60});
  const GlobalMaxPooling1D pool;
  EXPECT_EQ(pool.name(), "global_max_pooling1d");
  EXPECT_EQ(pool(x).to_vector<float>(), (std::vector<float>{7, 60}));
  EXPECT_EQ(GlobalMaxPooling1D({.keepdims = true}).compute_output_shape(Shape{None, 7, 3}),
            (Shape{None, 1, 3}));
  EXPECT_EQ(GlobalMaxPooling1D({.data_format = "channels_first"})(x).to_vector<float>(),
            (std::vector<float>{10, 7, 60}));
  EXPECT_FALSE(pool.impl().supports_masking());
  EXPECT_THROW(pool.compute_output_shape(Shape{None, 3, 3, 3}), Error);
}

}  // namespace
}  // namespace keras::layers
