// Shape manipulation, reductions and indexing.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/ops.hpp"

namespace {

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace ops = keras::ops;

std::vector<float> f32(const Tensor& t) { return t.to_vector<float>(); }
Tensor arange(const Shape& s) {
  std::vector<float> v(static_cast<std::size_t>(s.num_elements()));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  return Tensor(s, v);
}

TEST(ShapeOps, ReshapeIsAViewAndChecksSizes) {
  const Tensor x = arange({2, 3});
  const Tensor y = ops::reshape(x, Shape{3, -1});
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_TRUE(y.shares_storage_with(x));
  EXPECT_THROW(ops::reshape(x, Shape{4, 2}), keras::Error);
  EXPECT_EQ(ops::expand_dims(x, -1).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(ops::expand_dims(x, 0).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(ops::squeeze(Tensor::zeros({1, 3, 1})).shape(), (Shape{3}));
  EXPECT_THROW(ops::squeeze(x, 0), keras::Error);
}

TEST(ShapeOps, TransposeMovesValues) {
  const Tensor x = arange({2, 3});
  EXPECT_EQ(f32(ops::transpose(x)), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  const Tensor y = ops::transpose(arange({2, 3, 4}), {1, 2, 0});
  EXPECT_EQ(y.shape(), (Shape{3, 4, 2}));
  EXPECT_EQ(f32(y)[1], 12.0f);
  EXPECT_THROW(ops::transpose(x, {0, 0}), keras::Error);
  EXPECT_THROW(ops::transpose(x, {0}), keras::Error);
}

TEST(ShapeOps, BroadcastTo) {
  const Tensor y = ops::broadcast_to(Tensor({2, 1}, {1, 2}), Shape{3, 2, 2});
  EXPECT_EQ(f32(y), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}));
  EXPECT_THROW(ops::broadcast_to(Tensor::zeros({2, 3}), Shape{3, 3}), keras::Error);
}

TEST(ShapeOps, ConcatenateStackSplit) {
  const Tensor a = arange({2, 2}), b = Tensor({2, 1}, {9, 8});
  const Tensor c = ops::concatenate({a, b}, -1);
  EXPECT_EQ(f32(c), (std::vector<float>{0, 1, 9, 2, 3, 8}));
  EXPECT_THROW(ops::concatenate({a, b}, 0), keras::Error);
  const Tensor s = ops::stack({b, b}, 0);
  EXPECT_EQ(s.shape(), (Shape{2, 2, 1}));
  const auto parts = ops::split_sizes(c, {1, 2}, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(f32(parts[0]), (std::vector<float>{0, 2}));
  EXPECT_EQ(f32(parts[1]), (std::vector<float>{1, 9, 3, 8}));
  EXPECT_EQ(ops::split(arange({6}), 3)[2].to_vector<float>(), (std::vector<float>{4, 5}));
  EXPECT_THROW(ops::split(arange({5}), 2), keras::Error);
  // Works on every dtype.
  const Tensor ints({2}, std::vector<std::int64_t>{1, 2});
  EXPECT_EQ(ops::concatenate({ints, ints}).to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{1, 2, 1, 2}));
}

TEST(ShapeOps, SliceRepeatTileFlip) {
  const Tensor x = arange({2, 3});
  EXPECT_EQ(f32(ops::slice_axis(x, 1, 1, 2)), (std::vector<float>{1, 2, 4, 5}));
  EXPECT_TRUE(ops::slice_axis(x, 0, 1, 1).shares_storage_with(x));
  EXPECT_THROW(ops::slice_axis(x, 1, 2, 2), keras::Error);
  EXPECT_EQ(f32(ops::repeat(Tensor({2}, {1, 2}), 2, 0)), (std::vector<float>{1, 1, 2, 2}));
  EXPECT_EQ(f32(ops::tile(Tensor({2}, {1, 2}), {2, 2})), (std::vector<float>{1, 2, 1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(ops::tile(Tensor({2}, {1, 2}), {2, 2}).shape(), (Shape{2, 4}));
  EXPECT_EQ(f32(ops::flip(x, 1)), (std::vector<float>{2, 1, 0, 5, 4, 3}));
}

TEST(Indexing, TakeGathersAlongAnAxis) {
  const Tensor x = arange({3, 2});
  const Tensor idx({2, 2}, std::vector<std::int32_t>{2, 0, -1, 1});
  const Tensor y = ops::take(x, idx, 0);
  EXPECT_EQ(y.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(f32(y), (std::vector<float>{4, 5, 0, 1, 4, 5, 2, 3}));
  EXPECT_EQ(f32(ops::take(x, Tensor({1}, std::vector<std::int64_t>{1}), 1)), (std::vector<float>{1, 3, 5}));
  try {
    ops::take(x, Tensor({1}, std::vector<std::int64_t>{3}), 0);
    FAIL();
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("index 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::take(x, Tensor({1}, {1.0f}), 0), keras::Error);
}

TEST(Indexing, OneHotGivesZerosOutsideTheClasses) {
  const Tensor y = ops::one_hot(Tensor({3}, std::vector<std::int32_t>{2, -1, 0}), 3);
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_EQ(f32(y), (std::vector<float>{0, 0, 1, 0, 0, 0, 1, 0, 0}));
}

TEST(Reduction, AxesAndKeepdims) {
  const Tensor x = arange({2, 3});
  EXPECT_EQ(f32(ops::sum(x)), (std::vector<float>{15}));
  EXPECT_EQ(ops::sum(x).shape(), Shape{});
  EXPECT_EQ(f32(ops::sum(x, {0})), (std::vector<float>{3, 5, 7}));
  EXPECT_EQ(ops::sum(x, {1}, true).shape(), (Shape{2, 1}));
  EXPECT_EQ(f32(ops::mean(x, {-1})), (std::vector<float>{1, 4}));
  EXPECT_EQ(f32(ops::max(x, {1})), (std::vector<float>{2, 5}));
  EXPECT_EQ(f32(ops::min(x, {0})), (std::vector<float>{0, 1, 2}));
  EXPECT_FLOAT_EQ(f32(ops::var(x))[0], 35.0f / 12.0f);
  EXPECT_THROW(ops::sum(x, {2}), keras::Error);
  EXPECT_THROW(ops::sum(x, {0, 0}), keras::Error);
  EXPECT_THROW(ops::max(Tensor::zeros({0, 2}), {0}), keras::Error);
  // Booleans sum as integers; integer means are float32.
  const Tensor flags({3}, std::vector<bool>{true, false, true});
  EXPECT_EQ(ops::sum(flags).item<std::int64_t>(), 2);
  EXPECT_EQ(ops::mean(Tensor({2}, std::vector<std::int32_t>{1, 2})).dtype(), DType::float32);
}

TEST(Reduction, ArgmaxTakesTheFirstOfTies) {
  const Tensor x({2, 3}, {1, 5, 5, 7, 0, 7});
  const Tensor a = ops::argmax(x, 1);
  EXPECT_EQ(a.dtype(), DType::int64);
  EXPECT_EQ(a.to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(ops::argmin(x, 0).to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 1, 0}));
}

TEST(Reduction, LogsumexpIsStable) {
  const Tensor x({2}, {1000.0f, 1000.0f});
  EXPECT_NEAR(ops::logsumexp(x).item<float>(), 1000.0f + std::log(2.0f), 1e-3);
}

}  // namespace
