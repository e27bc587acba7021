// Element-wise arithmetic, unary math, comparisons, where and cast.
#include <gtest/gtest.h>

#include <cmath>

#include "keras/ops.hpp"

namespace {

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace ops = keras::ops;

std::vector<float> f32(const Tensor& t) { return t.to_vector<float>(); }

TEST(Arithmetic, BroadcastsAsNumpy) {
  const Tensor a({2, 1, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor b({2, 1}, {10, 20});
  const Tensor y = ops::add(a, b);
  EXPECT_EQ(y.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(f32(y), (std::vector<float>{11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26}));
  EXPECT_EQ(f32(ops::subtract(b, Tensor::scalar(1))), (std::vector<float>{9, 19}));
  EXPECT_EQ(f32(ops::divide(Tensor({2}, {1, 3}), Tensor({2}, {2, 4}))), (std::vector<float>{0.5, 0.75}));
  EXPECT_EQ(f32(ops::power(Tensor({2}, {2, 3}), 2.0)), (std::vector<float>{4, 9}));
  EXPECT_EQ(f32(ops::maximum(Tensor({3}, {-1, 0, 2}), 0.5)), (std::vector<float>{0.5, 0.5, 2}));
  EXPECT_EQ(f32(ops::minimum(Tensor({3}, {-1, 0, 2}), Tensor({1}, {0.5}))),
            (std::vector<float>{-1, 0, 0.5}));
}

TEST(Arithmetic, ShapeErrorsNameTheOpAndBothShapes) {
  try {
    ops::add(Tensor::zeros({2, 3}), Tensor::zeros({4}));
    FAIL() << "expected a keras::Error";
  } catch (const keras::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("add"), std::string::npos) << m;
    EXPECT_NE(m.find("(2, 3)"), std::string::npos) << m;
    EXPECT_NE(m.find("(4,)"), std::string::npos) << m;
  }
}

TEST(Arithmetic, DtypesMustMatchExceptFloatScalars) {
  const Tensor a = Tensor::ones({2}, DType::float32);
  const Tensor d = Tensor::ones({2}, DType::float64);
  EXPECT_THROW(ops::add(a, d), keras::Error);
  const Tensor y = ops::multiply(a, Tensor::scalar(3.0, DType::float64));
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_EQ(f32(y), (std::vector<float>{3, 3}));
  EXPECT_THROW(ops::add(a, Tensor::ones({2}, DType::int32)), keras::Error);
}

TEST(Arithmetic, IntegersAddMultiplyButDoNotDivide) {
  const Tensor a({3}, std::vector<std::int32_t>{1, -2, 3});
  const Tensor y = ops::add(ops::multiply(a, a), 1.0);
  EXPECT_EQ(y.dtype(), DType::int32);
  EXPECT_EQ(y.to_vector<std::int32_t>(), (std::vector<std::int32_t>{2, 5, 10}));
  EXPECT_THROW(ops::divide(a, a), keras::Error);
  EXPECT_THROW(ops::add(a, 0.5), keras::Error);
  EXPECT_EQ(ops::abs(a).to_vector<std::int32_t>(), (std::vector<std::int32_t>{1, 2, 3}));
  EXPECT_EQ(ops::negative(a).to_vector<std::int32_t>(), (std::vector<std::int32_t>{-1, 2, -3}));
}

TEST(Arithmetic, OperatorsAreTheOps) {
  const Tensor a({2}, {1, 2});
  const Tensor b({2}, {4, 8});
  EXPECT_EQ(f32(a + b), (std::vector<float>{5, 10}));
  EXPECT_EQ(f32(b - a), (std::vector<float>{3, 6}));
  EXPECT_EQ(f32(a * b), (std::vector<float>{4, 16}));
  EXPECT_EQ(f32(b / a), (std::vector<float>{4, 4}));
  EXPECT_EQ(f32(-a), (std::vector<float>{-1, -2}));
  EXPECT_EQ(f32(1.0 - a), (std::vector<float>{0, -1}));
  EXPECT_EQ(f32(8.0 / b), (std::vector<float>{2, 1}));
  EXPECT_EQ(f32(2.0 * a + 1.0), (std::vector<float>{3, 5}));
}

TEST(Arithmetic, LargeTensorsUseEveryElement) {
  // Threaded path: every element must be written.
  const Tensor a = Tensor::full({1000, 257}, 2.0);
  const Tensor b = Tensor::full({257}, 0.5);
  for (float v : f32(ops::multiply(a, b))) ASSERT_EQ(v, 1.0f);
}

TEST(UnaryMath, ValuesAndSpecialCases) {
  const Tensor x({4}, {-1.5f, -0.5f, 0.5f, 2.5f});
  EXPECT_EQ(f32(ops::round(x)), (std::vector<float>{-2, -0, 0, 2}));  // half to even
  EXPECT_EQ(f32(ops::floor(x)), (std::vector<float>{-2, -1, 0, 2}));
  EXPECT_EQ(f32(ops::sign(x)), (std::vector<float>{-1, -1, 1, 1}));
  EXPECT_EQ(f32(ops::clip(x, -1.0, 1.0)), (std::vector<float>{-1, -0.5, 0.5, 1}));
  EXPECT_EQ(f32(ops::abs(x)), (std::vector<float>{1.5, 0.5, 0.5, 2.5}));
  EXPECT_EQ(f32(ops::square(x)), (std::vector<float>{2.25, 0.25, 0.25, 6.25}));
  EXPECT_FLOAT_EQ(f32(ops::sqrt(Tensor({1}, {2.0f})))[0], std::sqrt(2.0f));
  EXPECT_FLOAT_EQ(f32(ops::rsqrt(Tensor({1}, {4.0f})))[0], 0.5f);
  EXPECT_FLOAT_EQ(f32(ops::exp(Tensor({1}, {1.0f})))[0], std::exp(1.0f));
  EXPECT_FLOAT_EQ(f32(ops::log(Tensor({1}, {10.0f})))[0], std::log(10.0f));
  EXPECT_FLOAT_EQ(f32(ops::sin(Tensor({1}, {1.0f})))[0], std::sin(1.0f));
  EXPECT_FLOAT_EQ(f32(ops::cos(Tensor({1}, {1.0f})))[0], std::cos(1.0f));
  EXPECT_TRUE(std::isnan(f32(ops::sqrt(Tensor({1}, {-1.0f})))[0]));
  EXPECT_THROW(ops::exp(Tensor({1}, std::vector<std::int32_t>{1})), keras::Error);
}

TEST(Comparison, GivesBoolsAndBroadcasts) {
  const Tensor a({3}, {1, 2, 3});
  const Tensor b({1}, {2});
  const Tensor y = ops::greater(a, b);
  EXPECT_EQ(y.dtype(), DType::bool_);
  EXPECT_EQ(y.to_vector<bool>(), (std::vector<bool>{false, false, true}));
  EXPECT_EQ(ops::equal(a, b).to_vector<bool>(), (std::vector<bool>{false, true, false}));
  EXPECT_EQ(ops::not_equal(a, b).to_vector<bool>(), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(ops::less_equal(a, b).to_vector<bool>(), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(ops::greater_equal(a, b).to_vector<bool>(), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(ops::less(a, b).to_vector<bool>(), (std::vector<bool>{true, false, false}));
  // Across dtypes values compare as numbers.
  const Tensor i({3}, std::vector<std::int64_t>{1, 5, 3});
  EXPECT_EQ(ops::equal(a, i).to_vector<bool>(), (std::vector<bool>{true, false, true}));
  const Tensor p({2}, std::vector<bool>{true, false}), q({2}, std::vector<bool>{true, true});
  EXPECT_EQ(ops::logical_and(p, q).to_vector<bool>(), (std::vector<bool>{true, false}));
  EXPECT_EQ(ops::logical_or(p, q).to_vector<bool>(), (std::vector<bool>{true, true}));
  EXPECT_EQ(ops::logical_not(p).to_vector<bool>(), (std::vector<bool>{false, true}));
}

TEST(Where, SelectsWithBroadcasting) {
  const Tensor cond({2, 1}, std::vector<bool>{true, false});
  const Tensor y = ops::where(cond, Tensor({3}, {1, 2, 3}), Tensor::scalar(0));
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(f32(y), (std::vector<float>{1, 2, 3, 0, 0, 0}));
  // A numeric condition counts non-zero as true.
  EXPECT_EQ(f32(ops::where(Tensor({2}, {0, 2}), Tensor({2}, {1, 1}), Tensor({2}, {5, 5}))),
            (std::vector<float>{5, 1}));
}

TEST(Cast, ConvertsBetweenDtypes) {
  const Tensor x({3}, {1.7f, -2.2f, 0.0f});
  EXPECT_EQ(ops::cast(x, DType::int32).to_vector<std::int32_t>(), (std::vector<std::int32_t>{1, -2, 0}));
  EXPECT_EQ(ops::cast(x, DType::bool_).to_vector<bool>(), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(ops::cast(x, DType::float64).dtype(), DType::float64);
  EXPECT_TRUE(ops::cast(x, DType::float32).shares_storage_with(x));
}

}  // namespace
