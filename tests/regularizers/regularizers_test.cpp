// The regularizers: Keras' names, defaults and formulas, and their gradients.
#include "keras/regularizers.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"

namespace keras::regularizers {
namespace {

const Tensor kX({2, 2}, {1, -2, 3, -4});  // sum |x| = 10, sum x^2 = 30

double value(const Regularizer& r, const Tensor& x = kX) { return r(x).item<double>(); }

TEST(Regularizers, FormulasAndDefaultsAreKeras) {
  EXPECT_NEAR(value(L1()), 0.01 * 10, 1e-7);
  EXPECT_NEAR(value(L2()), 0.01 * 30, 1e-7);
  EXPECT_NEAR(value(L1(0.5)), 5.0, 1e-6);
  EXPECT_NEAR(value(L2(0.5)), 15.0, 1e-6);
  EXPECT_EQ(value(L1L2()), 0.0);  // Keras 3's L1L2 defaults are 0 and 0
  EXPECT_NEAR(value(L1L2(0.1, 0.2)), 1.0 + 6.0, 1e-6);
  EXPECT_NEAR(value(l1_l2(0.1)), 1.0, 1e-6);
  EXPECT_EQ(L2()(Tensor::ones(Shape{2}, DType::float64)).dtype(), DType::float64);
}

TEST(Regularizers, NamesAsKerasReadsThem) {
  EXPECT_EQ(Regularizer("l2").class_name(), "L2");
  EXPECT_EQ(Regularizer("L1").class_name(), "L1");
  EXPECT_EQ(Regularizer("l1l2").class_name(), "L1L2");
  EXPECT_EQ(Regularizer("orthogonal_regularizer").class_name(), "OrthogonalRegularizer");
  EXPECT_NEAR(Regularizer("l1").config().at("l1"), 0.01, 1e-9);
  try {
    get("l1_l2");
    ADD_FAILURE() << "Keras 3 reads no \"l1_l2\" string";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("L1L2(l1, l2)"), std::string::npos);
  }
  EXPECT_FALSE(Regularizer().defined());
  EXPECT_THROW(Regularizer()(kX), Error);
}

TEST(Regularizers, RejectNegativeOrNonFiniteFactors) {
  EXPECT_THROW(L1(-0.1), Error);
  EXPECT_THROW(L2(NAN), Error);
  EXPECT_THROW(L1L2(0.1, INFINITY), Error);
  EXPECT_THROW(OrthogonalRegularizer(0.1, "diagonal"), Error);
  EXPECT_THROW(L2()(Tensor(Shape{2}, std::vector<std::int32_t>{1, 2})), Error);
}

TEST(Regularizers, OrthogonalPenalisesCorrelatedRowsOrColumns) {
  // Orthogonal rows: no penalty.
  EXPECT_NEAR(value(OrthogonalRegularizer(1.0), Tensor({2, 2}, {1, 0, 0, 3})), 0.0, 1e-7);
  // Two identical rows: |cos| = 1 for the one pair; factor * 0.5 * 2 / 1.
  EXPECT_NEAR(value(OrthogonalRegularizer(1.0), Tensor({2, 2}, {1, 2, 1, 2})), 1.0, 1e-6);
  // Columns (1, 1) and (2, 2) are parallel; rows (1, 2) and (1, 2) are too.
  EXPECT_NEAR(value(OrthogonalRegularizer(0.5, "columns"), Tensor({2, 2}, {1, 2, 1, 2})), 0.5,
              1e-6);
  EXPECT_THROW(OrthogonalRegularizer()(Tensor::ones(Shape{2})), Error);
}

TEST(Regularizers, PenaltiesAreDifferentiable) {
  const Tensor x = kX.clone();
  GradientTape tape;
  tape.watch(x);
  const Tensor loss = L1L2(0.5, 0.25)(x);
  const std::vector<float> g = tape.gradient(loss, {x})[0].to_vector<float>();
  // 0.5 * sign(x) + 0.25 * 2x
  const std::vector<float> want{1.0f, -1.5f, 2.0f, -2.5f};
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], want[i], 1e-6);
}

}  // namespace
}  // namespace keras::regularizers
