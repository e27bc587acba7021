// keras.activations and keras.ops against real Keras: the fixtures under
// tests/fixtures/ops come from reference/make_ops_fixtures.py (Keras 3, JAX),
// one input and Keras' output per case, in float32 and float64.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "keras/activations.hpp"
#include "keras/io/npy.hpp"
#include "keras/ops.hpp"

namespace {

using keras::Tensor;
namespace ops = keras::ops;
namespace act = keras::activations;

using Fn = std::function<Tensor(const Tensor&)>;

Fn named(const std::string& name) { return act::get(name); }

// One entry per case of reference/make_ops_fixtures.py, same expression.
const std::map<std::string, Fn>& cases() {
  static const std::map<std::string, Fn> table = {
      {"act_relu", named("relu")},
      {"act_leaky_relu", named("leaky_relu")},
      {"act_relu6", named("relu6")},
      {"act_softmax", named("softmax")},
      {"act_celu", named("celu")},
      {"act_elu", named("elu")},
      {"act_selu", named("selu")},
      {"act_softplus", named("softplus")},
      {"act_softsign", named("softsign")},
      {"act_squareplus", named("squareplus")},
      {"act_soft_shrink", named("soft_shrink")},
      {"act_sparse_plus", named("sparse_plus")},
      {"act_silu", named("silu")},
      {"act_swish", named("swish")},
      {"act_gelu", named("gelu")},
      {"act_glu", named("glu")},
      {"act_tanh", named("tanh")},
      {"act_tanh_shrink", named("tanh_shrink")},
      {"act_sigmoid", named("sigmoid")},
      {"act_sparse_sigmoid", named("sparse_sigmoid")},
      {"act_exponential", named("exponential")},
      {"act_hard_sigmoid", named("hard_sigmoid")},
      {"act_hard_silu", named("hard_silu")},
      {"act_hard_swish", named("hard_swish")},
      {"act_hard_tanh", named("hard_tanh")},
      {"act_hard_shrink", named("hard_shrink")},
      {"act_linear", named("linear")},
      {"act_mish", named("mish")},
      {"act_log_softmax", named("log_softmax")},
      {"act_log_sigmoid", named("log_sigmoid")},
      {"act_sparsemax", named("sparsemax")},
      {"act_relu_slope", [](const Tensor& x) { return act::relu(x, 0.1); }},
      {"act_relu_max", [](const Tensor& x) { return act::relu(x, 0.0, 1.5); }},
      {"act_relu_max6", [](const Tensor& x) { return act::relu(x, 0.0, 6.0); }},
      {"act_relu_threshold", [](const Tensor& x) { return act::relu(x, 0.0, std::nullopt, 0.2); }},
      {"act_relu_all", [](const Tensor& x) { return act::relu(x, 0.1, 1.5, 0.2); }},
      {"act_relu_slope_threshold",
       [](const Tensor& x) { return act::relu(x, 0.3, std::nullopt, -0.5); }},
      {"ops_gelu", [](const Tensor& x) { return ops::gelu(x); }},
      {"ops_gelu_exact", [](const Tensor& x) { return ops::gelu(x, false); }},
      {"ops_elu_alpha", [](const Tensor& x) { return ops::elu(x, 0.5); }},
      {"ops_celu_alpha", [](const Tensor& x) { return ops::celu(x, 2.0); }},
      {"ops_leaky_relu_slope", [](const Tensor& x) { return ops::leaky_relu(x, 0.05); }},
      {"ops_softmax_axis0", [](const Tensor& x) { return ops::softmax(x, 0); }},
      {"ops_softmax_axis1", [](const Tensor& x) { return ops::softmax(x, 1); }},
      {"ops_log_softmax_axis1", [](const Tensor& x) { return ops::log_softmax(x, 1); }},
      {"ops_glu_axis1", [](const Tensor& x) { return ops::glu(x, 1); }},
      {"ops_sparsemax_axis0", [](const Tensor& x) { return ops::sparsemax(x, 0); }},
      {"ops_squareplus_b", [](const Tensor& x) { return ops::squareplus(x, 1.0); }},
      {"ops_soft_shrink_1", [](const Tensor& x) { return ops::soft_shrink(x, 1.0); }},
      {"ops_hard_shrink_1", [](const Tensor& x) { return ops::hard_shrink(x, 1.0); }},
      {"ops_threshold", [](const Tensor& x) { return ops::threshold(x, 0.3, -2.0); }},
      {"ops_logsumexp_axis1", [](const Tensor& x) { return ops::logsumexp(x, {1}); }},
      {"ops_logsumexp_all", [](const Tensor& x) { return ops::logsumexp(x); }},
      {"ops_var_axis02", [](const Tensor& x) { return ops::var(x, {0, 2}); }},
      {"ops_mean_axis2_keepdims", [](const Tensor& x) { return ops::mean(x, {2}, true); }},
      {"ops_max_axis1", [](const Tensor& x) { return ops::max(x, {1}); }},
      {"ops_min_axis0", [](const Tensor& x) { return ops::min(x, {0}); }},
      {"ops_sum_axis12", [](const Tensor& x) { return ops::sum(x, {1, 2}); }},
      {"ops_round", [](const Tensor& x) { return ops::round(x * 2.0); }},
      {"ops_sign", [](const Tensor& x) { return ops::sign(ops::round(x)); }},
      {"ops_erf", [](const Tensor& x) { return ops::erf(x); }},
      {"ops_expm1", [](const Tensor& x) { return ops::expm1(x); }},
      {"ops_log1p", [](const Tensor& x) { return ops::log1p(ops::abs(x)); }},
      {"ops_log", [](const Tensor& x) { return ops::log(ops::abs(x) + 0.001); }},
      {"ops_sqrt", [](const Tensor& x) { return ops::sqrt(ops::abs(x)); }},
      {"ops_rsqrt", [](const Tensor& x) { return ops::rsqrt(ops::abs(x) + 0.01); }},
      {"ops_power", [](const Tensor& x) { return ops::power(ops::abs(x), 1.7); }},
      {"ops_clip", [](const Tensor& x) { return ops::clip(x, -1.25, 2.5); }},
      {"ops_transpose", [](const Tensor& x) { return ops::transpose(x, {2, 0, 1}); }},
      {"ops_tile", [](const Tensor& x) { return ops::tile(x, {2, 1, 3}); }},
      {"ops_repeat", [](const Tensor& x) { return ops::repeat(x, 2, 1); }},
      {"ops_flip", [](const Tensor& x) { return ops::flip(x, 2); }},
      {"ops_matmul_batched",
       [](const Tensor& x) { return ops::matmul(x, ops::transpose(x, {0, 2, 1})); }},
  };
  return table;
}

const std::string kDir = std::string(KERASCPP_FIXTURES_DIR) + "/ops";

std::set<std::string> fixture_cases() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = "_x.npy";
    if (file.size() > suffix.size() && file.ends_with(suffix)) {
      names.insert(file.substr(0, file.size() - suffix.size()));
    }
  }
  return names;
}

std::string base_name(const std::string& c) {
  return c.substr(0, c.rfind('_'));  // drop "_float32" / "_float64"
}

TEST(KerasReference, EveryFixtureHasACaseAndEveryCaseAFixture) {
  const std::set<std::string> fixtures = fixture_cases();
  std::set<std::string> bases;
  for (const std::string& c : fixtures) bases.insert(base_name(c));
  for (const std::string& b : bases) EXPECT_TRUE(cases().count(b)) << "no C++ case for " << b;
  for (const auto& [name, fn] : cases()) {
    EXPECT_TRUE(fixtures.count(name + "_float32")) << "no fixture for " << name;
    EXPECT_TRUE(fixtures.count(name + "_float64")) << "no fixture for " << name;
  }
}

TEST(KerasReference, MatchesKeras) {
  int compared = 0;
  for (const std::string& c : fixture_cases()) {
    SCOPED_TRACE(c);
    auto it = cases().find(base_name(c));
    if (it == cases().end()) continue;
    const Tensor x = keras::io::load_npy(kDir + "/" + c + "_x.npy");
    const Tensor expected = keras::io::load_npy(kDir + "/" + c + "_y.npy");
    const Tensor got = it->second(x);
    ASSERT_EQ(got.shape(), expected.shape());
    EXPECT_EQ(got.dtype(), x.dtype());
    // float64 results agree to 1e-12. float32 ones to a few ulp of the
    // values (|x| <= 6), whose last bits depend on how tanh, exp... are
    // evaluated. Keras answers some float64 inputs in float32 (tanh, var) or
    // computes them in float32 (mean): those compare at float32 precision.
    const bool f64 = expected.dtype() == keras::DType::float64 &&
                     base_name(c) != "ops_mean_axis2_keepdims";
    const double rtol = f64 ? 1e-12 : 2e-6, atol = f64 ? 1e-13 : 1e-6;
    const auto g = got.to_vector<double>();
    const auto e = expected.to_vector<double>();
    int mismatches = 0;
    for (std::size_t i = 0; i < g.size() && mismatches < 3; ++i) {
      const bool ok = std::fabs(g[i] - e[i]) <= atol + rtol * std::fabs(e[i]) ||
                      (std::isnan(g[i]) && std::isnan(e[i]));
      if (!ok) ++mismatches;
      EXPECT_TRUE(ok) << "element " << i << ": got " << g[i] << ", Keras " << e[i];
    }
    ++compared;
  }
  EXPECT_EQ(compared, 2 * static_cast<int>(cases().size()));
}

TEST(KerasReference, ThresholdByNameFailsAsInKeras) {
  const Tensor x({2}, {1.0f, -1.0f});
  EXPECT_THROW(act::get("threshold")(x), keras::Error);
}

}  // namespace
