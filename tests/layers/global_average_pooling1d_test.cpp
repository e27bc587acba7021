// GlobalAveragePooling1D: the mean over steps; with a mask only the unmasked
// steps count (and no mask goes on), as Keras.
#include "keras/layers/global_average_pooling1d.hpp"

#include <gtest/gtest.h>

#include "keras/layers/embedding.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

const Tensor kX({1, 3, 2}, {1, 10, 2, 20, 6, 60});

TEST(GlobalAveragePooling1D, MeanOverSteps) {
  backend::clear_session();
  const GlobalAveragePooling1D pool;
  EXPECT_EQ(pool.name(), "global_average_pooling1d");
  EXPECT_EQ(pool(kX).to_vector<float>(), (std::vector<float>{3, 30}));
  EXPECT_EQ(GlobalAveragePooling1D({.keepdims = true})(kX).shape(), (Shape{1, 1, 2}));
  const GlobalAveragePooling1D first({.data_format = "channels_first"});
  EXPECT_EQ(first.compute_output_shape(Shape{None, 3, 7}), (Shape{None, 3}));
  EXPECT_EQ(first(kX).to_vector<float>(), (std::vector<float>{5.5f, 11, 33}));
}

TEST(GlobalAveragePooling1D, MaskedStepsAreLeftOut) {
  const GlobalAveragePooling1D pool;
  EXPECT_TRUE(pool.impl().supports_masking());
  CallContext ctx;
  ctx.masks.push_back(Tensor({1, 3}, std::vector<bool>{true, true, false}));
  const std::vector<Tensor> y = pool.impl().apply({kX}, ctx);
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{1.5f, 15}));
  EXPECT_FALSE(pool.impl().compute_mask({kX}, ctx.masks)[0].has_value());
}

TEST(GlobalAveragePooling1D, AfterAMaskingEmbedding) {
  // Token 0 is padding: the mean covers the two real tokens only.
  const Embedding embedding(5, 1, {.mask_zero = true});
  Sequential model({Input({3}, {.dtype = "int32"}), embedding, GlobalAveragePooling1D()});
  embedding.set_weights({Tensor({5, 1}, {0, 1, 2, 3, 4})});
  const Tensor tokens(Shape{1, 3}, std::vector<std::int32_t>{2, 4, 0});
  EXPECT_EQ(model.predict(tokens).to_vector<float>(), (std::vector<float>{3}));
}

}  // namespace
}  // namespace keras::layers
