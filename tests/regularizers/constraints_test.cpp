// The constraints: Keras' names, defaults and formulas.
#include "keras/constraints.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace keras::constraints {
namespace {

// Columns (3, 4) and (0, 0.5): norms 5 and 0.5 over axis 0.
const Tensor kW({2, 2}, {3, 0, 4, 0.5f});

std::vector<float> apply(const Constraint& c, const Tensor& w = kW) {
  return c(w).to_vector<float>();
}

void expect_near_all(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << i;
}

TEST(Constraints, MaxNormClipsEachColumnsNorm) {
  // Column 0 scaled to norm 2 (Keras' default), column 1 kept (up to 1e-7).
  expect_near_all(apply(MaxNorm()), {1.2f, 0, 1.6f, 0.5f});
  // Over axis 1, rows (3, 0) and (4, 0.5).
  const auto rows = apply(MaxNorm(1.0, 1));
  EXPECT_NEAR(rows[0], 1.0f, 1e-5);
  EXPECT_NEAR(std::hypot(rows[2], rows[3]), 1.0f, 1e-5);
  expect_near_all(apply(MaxNorm(100.0, {0, 1})), kW.to_vector<float>());
}

TEST(Constraints, NonNegUnitNormMinMaxNorm) {
  expect_near_all(apply(NonNeg(), Tensor({3}, {-1, 0, 2})), {0, 0, 2});
  expect_near_all(apply(UnitNorm()), {0.6f, 0, 0.8f, 1});
  // min_value 1, max_value 2, rate 0.5: column 0 aims at 0.5 * 2 + 0.5 * 5 = 3.5,
  // column 1 at 0.5 * 1 + 0.5 * 0.5 = 0.75.
  expect_near_all(apply(MinMaxNorm(1.0, 2.0, 0.5)), {2.1f, 0, 2.8f, 0.75f});
  expect_near_all(apply(MinMaxNorm()), {0.6f, 0, 0.8f, 0.5f});  // defaults [0, 1], rate 1
}

TEST(Constraints, NamesAndErrors) {
  EXPECT_EQ(Constraint("max_norm").class_name(), "MaxNorm");
  EXPECT_EQ(Constraint("NonNeg").class_name(), "NonNeg");
  EXPECT_EQ(Constraint("unit_norm").axes(), (std::vector<int>{0}));
  EXPECT_EQ(Constraint("min_max_norm").config().at("max_value"), 1.0);
  EXPECT_THROW(Constraint("max_normm"), Error);
  EXPECT_THROW(MaxNorm(2.0, 3)(kW), Error);  // axis 3 of a rank-2 weight
  EXPECT_THROW(Constraint()(kW), Error);
  EXPECT_EQ(max_norm(3.0).config().at("max_value"), 3.0);
}

}  // namespace
}  // namespace keras::constraints
