// GradientTape: what gets recorded, and how gradients flow and accumulate.
#include <gtest/gtest.h>

#include <cmath>

#include "autodiff/tape.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"

namespace {

using keras::GradientTape;
using keras::Shape;
using keras::Tensor;
using keras::Variable;
namespace ops = keras::ops;

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }

TEST(GradientTape, NothingIsRecordedWithoutATape) {
  EXPECT_FALSE(keras::autodiff::is_recording());
  const Tensor x({2}, {1.0f, 2.0f});
  ops::exp(x);
  {
    GradientTape tape;
    EXPECT_TRUE(keras::autodiff::is_recording());
  }
  EXPECT_FALSE(keras::autodiff::is_recording());
}

TEST(GradientTape, RecordsOnlyOpsThatDependOnWatchedTensors) {
  const Tensor x({2}, {1.0f, 2.0f}), other({2}, {3.0f, 4.0f});
  GradientTape tape;
  ops::exp(other);  // not watched: not recorded
  EXPECT_EQ(keras::autodiff::recorded_op_count(), 0u);
  tape.watch(x);
  const Tensor y = ops::exp(x);
  EXPECT_EQ(keras::autodiff::recorded_op_count(), 1u);
  ops::add(other, other);
  ops::greater(y, other);  // not differentiable: not recorded
  EXPECT_EQ(keras::autodiff::recorded_op_count(), 1u);
  ops::multiply(y, other);  // depends on x through y
  EXPECT_EQ(keras::autodiff::recorded_op_count(), 2u);
}

TEST(GradientTape, ChainRuleAndFanOutAccumulate) {
  const Tensor x({3}, {0.5, -1.0, 2.0});  // float64 from std::vector<double>
  GradientTape tape;
  tape.watch(x);
  // y = x * x + 3 x: x is used three times.
  const Tensor y = ops::sum(ops::add(ops::multiply(x, x), ops::multiply(x, 3.0)));
  const auto g = tape.gradient(y, std::vector<Tensor>{x});
  const std::vector<double> expected{2 * 0.5 + 3, 2 * -1.0 + 3, 2 * 2.0 + 3};
  EXPECT_EQ(values(g[0]), expected);
}

TEST(GradientTape, NonScalarTargetIsSummed) {
  const Tensor x({2, 2}, std::vector<double>{1, 2, 3, 4});
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::multiply(x, 2.0);
  EXPECT_EQ(values(tape.gradient(y, std::vector<Tensor>{x})[0]), (std::vector<double>{2, 2, 2, 2}));
}

TEST(GradientTape, BroadcastOperandGetsSummedGradient) {
  const Tensor x({2, 3}, std::vector<double>{1, 2, 3, 4, 5, 6});
  const Tensor b({3}, std::vector<double>{0.5, 0.5, 0.5});
  GradientTape tape;
  tape.watch(b);
  const Tensor y = ops::sum(ops::multiply(ops::add(x, b), 2.0));
  const auto g = tape.gradient(y, std::vector<Tensor>{b});
  EXPECT_EQ(g[0].shape(), Shape{3});
  EXPECT_EQ(values(g[0]), (std::vector<double>{4, 4, 4}));
}

TEST(GradientTape, UnconnectedAndUnwatchedSourcesGetZeros) {
  const Tensor x({2}, std::vector<double>{1, 2});
  const Tensor unused({3}, std::vector<double>{1, 2, 3});
  const Tensor unwatched({2}, std::vector<double>{5, 6});
  GradientTape tape;
  tape.watch(x);
  tape.watch(unused);
  const Tensor y = ops::sum(ops::multiply(x, unwatched));
  const auto g = tape.gradient(y, std::vector<Tensor>{x, unused, unwatched});
  EXPECT_EQ(values(g[0]), (std::vector<double>{5, 6}));
  EXPECT_EQ(values(g[1]), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(values(g[2]), (std::vector<double>{0, 0}));
}

TEST(GradientTape, GradientWithRespectToAnIntermediate) {
  const Tensor x({2}, std::vector<double>{1, 2});
  GradientTape tape;
  tape.watch(x);
  const Tensor h = ops::multiply(x, 3.0);
  const Tensor y = ops::sum(ops::square(h));
  const auto g = tape.gradient(y, std::vector<Tensor>{h, x});
  EXPECT_EQ(values(g[0]), (std::vector<double>{6, 12}));   // 2h
  EXPECT_EQ(values(g[1]), (std::vector<double>{18, 36}));  // 2h * 3
}

TEST(GradientTape, VariablesAreWatchedThroughTheirValue) {
  Variable w("w", Tensor({2}, {1.0f, -2.0f}));
  const Tensor x({2}, {3.0f, 4.0f});
  for (int step = 0; step < 2; ++step) {
    GradientTape tape;
    tape.watch(w);
    const Tensor loss = ops::sum(ops::multiply(w.value(), x));
    const auto g = tape.gradient(loss, std::vector<Variable>{w});
    EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{3.0f, 4.0f}));
    w.assign(ops::subtract(w.value(), ops::multiply(g[0], 0.1)));  // in place: same tensor id
  }
  EXPECT_NEAR(w.value().to_vector<float>()[0], 1.0f - 2 * 0.3f, 1e-6);
}

TEST(GradientTape, GradientOnlyOnceAndNoRecordingAfter) {
  const Tensor x({1}, std::vector<double>{2});
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::square(x);
  tape.gradient(y, std::vector<Tensor>{x});
  EXPECT_FALSE(keras::autodiff::is_recording());
  EXPECT_THROW(tape.gradient(y, std::vector<Tensor>{x}), keras::Error);
}

TEST(GradientTape, NestedTapesRecordIndependently) {
  const Tensor x({1}, std::vector<double>{3});
  const Tensor z({1}, std::vector<double>{5});
  GradientTape outer;
  outer.watch(x);
  const Tensor a = ops::square(x);  // outer only
  std::vector<Tensor> inner_grads;
  {
    GradientTape inner;
    inner.watch(z);
    const Tensor b = ops::multiply(a, z);  // both: a is reached by outer, z by inner
    inner_grads = inner.gradient(b, std::vector<Tensor>{z, x});
    const auto outer_grads = outer.gradient(b, std::vector<Tensor>{x});
    EXPECT_EQ(values(outer_grads[0]), (std::vector<double>{2 * 3 * 5}));
  }
  EXPECT_EQ(values(inner_grads[0]), (std::vector<double>{9}));
  EXPECT_EQ(values(inner_grads[1]), (std::vector<double>{0}));  // x not watched by inner
}

TEST(GradientTape, ViewsAndReshapesKeepGradientsApart) {
  const Tensor x({2, 3}, std::vector<double>{1, 2, 3, 4, 5, 6});
  GradientTape tape;
  tape.watch(x);
  const Tensor row = ops::slice_axis(x, 0, 1, 1);  // a view on x's storage
  const Tensor y = ops::sum(ops::multiply(ops::reshape(row, Shape{3}), 2.0));
  EXPECT_EQ(values(tape.gradient(y, std::vector<Tensor>{x})[0]),
            (std::vector<double>{0, 0, 0, 2, 2, 2}));
}

TEST(GradientTape, IntegerTargetIsRejected) {
  const Tensor x({2}, std::vector<std::int32_t>{1, 2});
  GradientTape tape;
  tape.watch(x);
  EXPECT_THROW(tape.gradient(ops::sum(x), std::vector<Tensor>{x}), keras::Error);
}

TEST(GradientTape, Float32GradientsKeepTheirDtype) {
  const Tensor x({2}, {1.0f, 2.0f});
  GradientTape tape;
  tape.watch(x);
  const Tensor y = ops::sum(ops::tanh(x));
  const auto g = tape.gradient(y, std::vector<Tensor>{x});
  EXPECT_EQ(g[0].dtype(), keras::DType::float32);
  EXPECT_NEAR(g[0].to_vector<float>()[1], 1 - std::tanh(2.0) * std::tanh(2.0), 1e-6);
}

}  // namespace
