#include "keras/layers/time_distributed.hpp"

#include <gtest/gtest.h>

#include "keras/layers/dense.hpp"
#include "keras/layers/flatten.hpp"
#include "keras/layers/softmax.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

TEST(TimeDistributed, MatchesKerasOnDense) {
  for (const char* name :
       {"time_distributed_dense_3d", "time_distributed_dense_4d", "seed1_timedistributed_20x5"}) {
    backend::clear_session();
    const auto c = testing::load_case(name);
    testing::check_layer_against_case(TimeDistributed(Dense(c.output_shape[-1])), c);
  }
}

TEST(TimeDistributed, MatchesKerasOnFlatten) {
  backend::clear_session();
  testing::check_layer_against_case(TimeDistributed(Flatten()),
                                    testing::load_case("time_distributed_flatten_4d"));
}

TEST(TimeDistributed, ComputesWhatDenseAloneComputes) {
  const Dense dense(6);
  const TimeDistributed wrapped(Dense(6));
  dense.impl().maybe_build({Shape{None, 5, 4}});
  wrapped.impl().maybe_build({Shape{None, 5, 4}});
  wrapped.set_weights(dense.get_weights());
  utils::set_random_seed(3);
  const Tensor x = initializers::RandomNormal(0.0, 1.0)(Shape{2, 5, 4});
  testing::expect_allclose(wrapped(x), dense(x), 1e-6, 1e-7);
}

TEST(TimeDistributed, SharesTheInnerWeightsAcrossSteps) {
  const Dense inner(6);
  const TimeDistributed wrapped(inner);
  EXPECT_EQ(wrapped.compute_output_shape(Shape{None, 50, 200}), (Shape{None, 50, 6}));
  wrapped.impl().maybe_build({Shape{None, 50, 200}});
  EXPECT_EQ(wrapped.count_params(), 200 * 6 + 6);
  ASSERT_EQ(wrapped.weights().size(), 2u);
  EXPECT_EQ(wrapped.weights()[0].id(), inner.weights()[0].id());  // the same variable
  EXPECT_EQ(wrapped.layer().name(), inner.name());
  EXPECT_EQ(inner.impl().build_shapes().at(0), (Shape{None, 200}));
}

TEST(TimeDistributed, NeedsATimeAxis) {
  backend::clear_session();
  const TimeDistributed wrapped(Dense(3));
  const std::string message = testing::error_message([&] {
    wrapped.compute_output_shape(Shape{None, 4});
  });
  EXPECT_NE(message.find("TimeDistributed \"time_distributed\" expects inputs of rank 3"),
            std::string::npos);
  EXPECT_THROW(wrapped(Tensor::zeros(Shape{2, 4})), Error);
}

TEST(TimeDistributed, ReportsInnerShapeErrors) {
  const TimeDistributed wrapped(Dense(3));
  wrapped.impl().maybe_build({Shape{None, 4, 5}});
  const std::string message = testing::error_message([&] {
    wrapped.compute_output_shape(Shape{None, 4, 6});
  });
  EXPECT_NE(message.find("expects inputs whose last dimension is 5, got shape (None, 6)"),
            std::string::npos);
}

TEST(TimeDistributed, FoldsTheMaskWithTheInput) {
  const TimeDistributed wrapped{Softmax()};
  CallContext ctx;
  ctx.masks.push_back(Tensor(Shape{1, 2, 2}, std::vector<bool>{true, false, true, true}));
  const Tensor x({1, 2, 2}, {3, 7, 1, 1});
  const std::vector<Tensor> y = wrapped.impl().apply({x}, ctx);
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{1.0f, 0.0f, 0.5f, 0.5f}));
  ctx.masks[0] = Tensor(Shape{1, 3}, std::vector<bool>{true, true, true});
  EXPECT_THROW(wrapped.impl().apply({x}, ctx), Error);
}

}  // namespace
}  // namespace keras::layers
