// matmul and the fused dense against their unfused definitions.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "keras/activations.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"

namespace {

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace ops = keras::ops;

Tensor random(const Shape& s, DType dtype = DType::float32, std::uint64_t seed = 1) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(-1, 1);
  std::vector<double> v(static_cast<std::size_t>(s.num_elements()));
  for (double& x : v) x = dist(gen);
  return Tensor(s, v).astype(dtype);
}

void expect_close(const Tensor& a, const Tensor& b, double tol) {
  ASSERT_EQ(a.shape(), b.shape());
  const auto x = a.to_vector<double>(), y = b.to_vector<double>();
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(x[i], y[i], tol) << "element " << i;
}

TEST(Matmul, ShapesFollowNumpy) {
  EXPECT_EQ(ops::matmul(Tensor::ones({2, 3}), Tensor::ones({3, 4})).shape(), (Shape{2, 4}));
  EXPECT_EQ(ops::matmul(Tensor::ones({5, 2, 3}), Tensor::ones({3, 4})).shape(), (Shape{5, 2, 4}));
  EXPECT_EQ(ops::matmul(Tensor::ones({2, 1, 2, 3}), Tensor::ones({5, 3, 4})).shape(),
            (Shape{2, 5, 2, 4}));
  EXPECT_EQ(ops::matmul(Tensor::ones({3}), Tensor::ones({3, 4})).shape(), (Shape{4}));
  EXPECT_EQ(ops::matmul(Tensor::ones({2, 3}), Tensor::ones({3})).shape(), (Shape{2}));
  EXPECT_EQ(ops::matmul(Tensor::ones({3}), Tensor::ones({3})).shape(), Shape{});
  EXPECT_THROW(ops::matmul(Tensor::ones({2, 3}), Tensor::ones({2, 3})), keras::Error);
  EXPECT_THROW(ops::matmul(Tensor::ones({2, 3}), Tensor::scalar(1)), keras::Error);
}

TEST(Matmul, ValuesOfABatchedProduct) {
  const Tensor a({2, 1, 2}, {1, 2, 3, 4});
  const Tensor b({2, 1}, {10, 100});
  EXPECT_EQ(ops::matmul(a, b).to_vector<float>(), (std::vector<float>{210, 430}));
}

TEST(Dense, EqualsMatmulPlusBiasThenActivation) {
  for (DType dtype : {DType::float32, DType::float64}) {
    for (const std::string& name : keras::activations::names()) {
      if (name == "threshold") continue;
      SCOPED_TRACE(name);
      for (const Shape& xs : {Shape{1, 8}, Shape{3, 5, 8}, Shape{300, 8}, Shape{8}}) {
        const Tensor x = random(xs, dtype, 1), k = random({8, 6}, dtype, 2);
        const Tensor b = random({6}, dtype, 3);
        const Tensor fused = ops::dense(x, k, b, name);
        const Tensor plain = keras::activations::get(name)(ops::add(ops::matmul(x, k), b));
        expect_close(fused, plain, dtype == DType::float32 ? 2e-6 : 1e-13);
        expect_close(ops::dense(x, k, Tensor(), name),
                     keras::activations::get(name)(ops::matmul(x, k)),
                     dtype == DType::float32 ? 2e-6 : 1e-13);
      }
    }
  }
}

TEST(Dense, TrainingSizedProductsEqualMatmulPlusBiasThenActivation) {
  // Large enough for the AVX-512 kernel, which applies bias and ReLU as it
  // stores C: 120 rows, 70 columns (a partial 32-column tile), an inner
  // dimension of 700 (two blocks), with and without a bias, recorded or not.
  const Tensor x = random({2, 60, 700}), k = random({700, 70}, DType::float32, 2);
  const Tensor b = random({70}, DType::float32, 3);
  for (const std::string name : {"linear", "relu"}) {
    SCOPED_TRACE(name);
    const auto activation = keras::activations::get(name);
    expect_close(ops::dense(x, k, b, name), activation(ops::add(ops::matmul(x, k), b)), 2e-5);
    expect_close(ops::dense(x, k, Tensor(), name), activation(ops::matmul(x, k)), 2e-5);
    keras::GradientTape tape;
    tape.watch(k);
    const Tensor y = ops::dense(x, k, b, name);
    expect_close(y, activation(ops::add(ops::matmul(x, k), b)), 2e-5);
  }
}

TEST(Dense, GradientsEqualThoseOfTheUnfusedOps) {
  for (const std::string name : {"linear", "relu", "gelu", "tanh", "softmax"}) {
    SCOPED_TRACE(name);
    const Tensor x = random({4, 3, 5}), k = random({5, 7}, DType::float32, 2);
    const Tensor b = random({7}, DType::float32, 3), w = random({4, 3, 7}, DType::float32, 4);
    std::vector<Tensor> fused, plain;
    {
      keras::GradientTape tape;
      for (const Tensor& t : {x, k, b}) tape.watch(t);
      const Tensor loss = ops::sum(ops::multiply(ops::dense(x, k, b, name), w));
      fused = tape.gradient(loss, std::vector<Tensor>{x, k, b});
    }
    {
      keras::GradientTape tape;
      for (const Tensor& t : {x, k, b}) tape.watch(t);
      const Tensor y = keras::activations::get(name)(ops::add(ops::matmul(x, k), b));
      plain = tape.gradient(ops::sum(ops::multiply(y, w)), std::vector<Tensor>{x, k, b});
    }
    for (int i = 0; i < 3; ++i) expect_close(fused[i], plain[i], 1e-5);
  }
}

TEST(Dense, EmptyContractionGivesTheBias) {
  const Tensor y = ops::dense(Tensor::zeros({5, 0}), Tensor::zeros({0, 3}), Tensor({3}, {1, 2, 3}),
                              "linear");
  EXPECT_EQ(y.shape(), (Shape{5, 3}));
  for (int r = 0; r < 5; ++r) EXPECT_EQ(y.to_vector<float>()[r * 3 + 2], 3.0f);
  EXPECT_EQ(ops::matmul(Tensor::zeros({2, 0}), Tensor::zeros({0, 2})).to_vector<float>(),
            (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(ops::dense(Tensor::zeros({0, 4}), Tensor::ones({4, 2}), Tensor(), "relu").shape(),
            (Shape{0, 2}));
}

TEST(Dense, ErrorsNameTheShapes) {
  try {
    ops::dense(Tensor::ones({2, 3}), Tensor::ones({4, 5}), Tensor(), "relu");
    FAIL();
  } catch (const keras::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("(2, 3)"), std::string::npos) << m;
    EXPECT_NE(m.find("(4, 5)"), std::string::npos) << m;
  }
  EXPECT_THROW(ops::dense(Tensor::ones({2, 3}), Tensor::ones({3, 5}), Tensor::ones({4}), "relu"),
               keras::Error);
  EXPECT_THROW(ops::dense(Tensor::ones({2, 3}), Tensor::ones({3, 5}), Tensor(), "nope"),
               keras::Error);
}

}  // namespace
