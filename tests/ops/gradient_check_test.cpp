// Every op's gradient against finite differences (float64). The table below
// has at least one case per function declared in include/keras/ops.hpp: the
// first test parses the header and fails when an op (or overload) has no case.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "common/gradient_check_testing.hpp"
#include "keras/ops.hpp"

namespace {

using keras::DType;
using keras::Shape;
using keras::Tensor;
using keras::testing::GradientCheckOptions;
using keras::testing::TensorFn;
namespace ops = keras::ops;
using Ts = std::vector<Tensor>;

struct OpCase {
  std::string signature;  // as parsed from ops.hpp: "add(Tensor,double)"
  std::string label;
  Ts inputs;              // float64
  TensorFn fn;
  bool differentiable = true;
  GradientCheckOptions options = {};
};

std::uint64_t next_seed() {
  static std::uint64_t seed = 1000;
  return ++seed;
}

Tensor uniform(const Shape& s, double lo = -2.0, double hi = 2.0) {
  return keras::testing::random_tensor(s, lo, hi, next_seed());
}
// Away from the kinks of piecewise functions.
Tensor away(const Shape& s, std::vector<double> kinks, double lo = -4.0, double hi = 4.0) {
  return keras::testing::random_tensor_away(s, lo, hi, next_seed(), kinks);
}

Tensor int64s(const Shape& s, std::vector<std::int64_t> v) { return Tensor(s, std::move(v)); }

// Unary op with one input.
OpCase unary(const std::string& sig, Tensor x, std::function<Tensor(const Tensor&)> f) {
  return {sig, sig, {x}, [f](const Ts& in) { return f(in[0]); }};
}
OpCase binary(const std::string& sig, const std::string& label, Tensor a, Tensor b,
              std::function<Tensor(const Tensor&, const Tensor&)> f) {
  return {sig, label, {a, b}, [f](const Ts& in) { return f(in[0], in[1]); }};
}
OpCase not_differentiable(const std::string& sig, Ts inputs, TensorFn f) {
  return {sig, sig, std::move(inputs), std::move(f), false};
}

std::vector<OpCase> op_cases() {
  std::vector<OpCase> c;
  const Shape s{3, 4};
  // ---- arithmetic ----
  c.push_back(binary("add(Tensor,Tensor)", "add broadcast", uniform({3, 1, 4}), uniform({2, 4}),
                     [](auto& a, auto& b) { return ops::add(a, b); }));
  c.push_back(binary("subtract(Tensor,Tensor)", "subtract broadcast", uniform({2, 3}),
                     uniform({3}), [](auto& a, auto& b) { return ops::subtract(a, b); }));
  c.push_back(binary("multiply(Tensor,Tensor)", "multiply outer", uniform({2, 1}), uniform({1, 3}),
                     [](auto& a, auto& b) { return ops::multiply(a, b); }));
  c.push_back(binary("multiply(Tensor,Tensor)", "multiply same", uniform(s), uniform(s),
                     [](auto& a, auto& b) { return ops::multiply(a, b); }));
  c.push_back(binary("multiply(Tensor,Tensor)", "multiply x by itself", uniform(s), uniform(s),
                     [](auto& a, auto&) { return ops::multiply(a, a); }));
  c.push_back(binary("divide(Tensor,Tensor)", "divide broadcast", uniform({2, 3}),
                     uniform({2, 1}, 0.5, 2.0), [](auto& a, auto& b) { return ops::divide(a, b); }));
  c.push_back(binary("maximum(Tensor,Tensor)", "maximum", uniform(s), uniform(s),
                     [](auto& a, auto& b) { return ops::maximum(a, b); }));
  c.push_back(binary("minimum(Tensor,Tensor)", "minimum broadcast", uniform(s), uniform({4}),
                     [](auto& a, auto& b) { return ops::minimum(a, b); }));
  c.push_back(binary("power(Tensor,Tensor)", "power", uniform(s, 0.5, 2.0), uniform(s, -1.5, 2.0),
                     [](auto& a, auto& b) { return ops::power(a, b); }));
  c.push_back(unary("add(Tensor,double)", uniform(s), [](auto& x) { return ops::add(x, 1.5); }));
  c.push_back(unary("subtract(Tensor,double)", uniform(s),
                    [](auto& x) { return ops::subtract(x, 0.5); }));
  c.push_back(unary("multiply(Tensor,double)", uniform(s),
                    [](auto& x) { return ops::multiply(x, -3.0); }));
  c.push_back(unary("divide(Tensor,double)", uniform(s), [](auto& x) { return ops::divide(x, 4.0); }));
  c.push_back(unary("maximum(Tensor,double)", away(s, {0.3}),
                    [](auto& x) { return ops::maximum(x, 0.3); }));
  c.push_back(unary("minimum(Tensor,double)", away(s, {-0.2}),
                    [](auto& x) { return ops::minimum(x, -0.2); }));
  c.push_back(unary("power(Tensor,double)", uniform(s, 0.5, 2.0),
                    [](auto& x) { return ops::power(x, 2.5); }));
  // ---- unary ----
  c.push_back(unary("negative(Tensor)", uniform(s), [](auto& x) { return ops::negative(x); }));
  c.push_back(unary("abs(Tensor)", away(s, {0.0}), [](auto& x) { return ops::abs(x); }));
  c.push_back(unary("square(Tensor)", uniform(s), [](auto& x) { return ops::square(x); }));
  c.push_back(unary("sqrt(Tensor)", uniform(s, 0.5, 3.0), [](auto& x) { return ops::sqrt(x); }));
  c.push_back(unary("rsqrt(Tensor)", uniform(s, 0.5, 3.0), [](auto& x) { return ops::rsqrt(x); }));
  c.push_back(unary("exp(Tensor)", uniform(s), [](auto& x) { return ops::exp(x); }));
  c.push_back(unary("expm1(Tensor)", uniform(s), [](auto& x) { return ops::expm1(x); }));
  c.push_back(unary("log(Tensor)", uniform(s, 0.5, 3.0), [](auto& x) { return ops::log(x); }));
  c.push_back(unary("log1p(Tensor)", uniform(s, -0.5, 3.0), [](auto& x) { return ops::log1p(x); }));
  c.push_back(unary("sin(Tensor)", uniform(s), [](auto& x) { return ops::sin(x); }));
  c.push_back(unary("cos(Tensor)", uniform(s), [](auto& x) { return ops::cos(x); }));
  c.push_back(unary("tanh(Tensor)", uniform(s), [](auto& x) { return ops::tanh(x); }));
  c.push_back(unary("erf(Tensor)", uniform(s), [](auto& x) { return ops::erf(x); }));
  c.push_back(not_differentiable("sign(Tensor)", {uniform(s)}, [](const Ts& in) { return ops::sign(in[0]); }));
  c.push_back(not_differentiable("floor(Tensor)", {uniform(s)}, [](const Ts& in) { return ops::floor(in[0]); }));
  c.push_back(not_differentiable("round(Tensor)", {uniform(s)}, [](const Ts& in) { return ops::round(in[0]); }));
  c.push_back(unary("clip(Tensor,double,double)", away(s, {-1.0, 1.5}),
                    [](auto& x) { return ops::clip(x, -1.0, 1.5); }));
  // ---- comparisons and selection ----
  const std::vector<std::pair<std::string, Tensor (*)(const Tensor&, const Tensor&)>> compares = {
      {"equal(Tensor,Tensor)", ops::equal},       {"not_equal(Tensor,Tensor)", ops::not_equal},
      {"greater(Tensor,Tensor)", ops::greater},   {"greater_equal(Tensor,Tensor)", ops::greater_equal},
      {"less(Tensor,Tensor)", ops::less},         {"less_equal(Tensor,Tensor)", ops::less_equal},
      {"logical_and(Tensor,Tensor)", ops::logical_and},
      {"logical_or(Tensor,Tensor)", ops::logical_or}};
  for (const auto& [sig, f] : compares) {
    auto fn = f;
    c.push_back(not_differentiable(sig, {uniform(s), uniform(s)},
                                   [fn](const Ts& in) { return fn(in[0], in[1]); }));
  }
  c.push_back(not_differentiable("logical_not(Tensor)", {uniform(s)},
                                 [](const Ts& in) { return ops::logical_not(in[0]); }));
  {
    const Tensor cond({3, 1}, std::vector<bool>{true, false, true});
    c.push_back(binary("where(Tensor,Tensor,Tensor)", "where broadcast", uniform(s), uniform({4}),
                       [cond](auto& a, auto& b) { return ops::where(cond, a, b); }));
  }
  {
    OpCase cast_case = unary("cast(Tensor,DType)", uniform(s), [](auto& x) {
      return ops::cast(ops::multiply(ops::cast(x, DType::float32), 3.0), DType::float64);
    });
    // Through float32: values carry float32 rounding, so a larger step.
    cast_case.options = {.epsilon = 1e-2, .rtol = 1e-4, .atol = 1e-5};
    c.push_back(cast_case);
  }
  // ---- activations ----
  c.push_back(unary("relu(Tensor)", away(s, {0.0}), [](auto& x) { return ops::relu(x); }));
  c.push_back(unary("relu6(Tensor)", away({4, 5}, {0.0, 6.0}, -3.0, 8.0),
                    [](auto& x) { return ops::relu6(x); }));
  c.push_back(unary("elu(Tensor,double)", away(s, {0.0}), [](auto& x) { return ops::elu(x, 0.7); }));
  c.push_back(unary("selu(Tensor)", away(s, {0.0}), [](auto& x) { return ops::selu(x); }));
  c.push_back(unary("celu(Tensor,double)", away(s, {0.0}), [](auto& x) { return ops::celu(x, 1.5); }));
  c.push_back(unary("gelu(Tensor,bool)", uniform({4, 5}, -5.0, 5.0),
                    [](auto& x) { return ops::gelu(x, true); }));
  c.push_back(unary("gelu(Tensor,bool)", uniform({4, 5}, -5.0, 5.0),
                    [](auto& x) { return ops::gelu(x, false); }));
  c.push_back(unary("glu(Tensor,int)", uniform({3, 4}), [](auto& x) { return ops::glu(x, -1); }));
  c.push_back(unary("glu(Tensor,int)", uniform({4, 3}), [](auto& x) { return ops::glu(x, 0); }));
  c.push_back(unary("silu(Tensor)", uniform(s, -5, 5), [](auto& x) { return ops::silu(x); }));
  c.push_back(unary("hard_silu(Tensor)", away({4, 5}, {-3.0, 3.0}, -5, 5),
                    [](auto& x) { return ops::hard_silu(x); }));
  c.push_back(unary("sigmoid(Tensor)", uniform(s, -5, 5), [](auto& x) { return ops::sigmoid(x); }));
  c.push_back(unary("hard_sigmoid(Tensor)", away({4, 5}, {-3.0, 3.0}, -5, 5),
                    [](auto& x) { return ops::hard_sigmoid(x); }));
  c.push_back(unary("log_sigmoid(Tensor)", uniform(s, -5, 5),
                    [](auto& x) { return ops::log_sigmoid(x); }));
  c.push_back(unary("softplus(Tensor)", uniform(s, -5, 5), [](auto& x) { return ops::softplus(x); }));
  c.push_back(unary("softsign(Tensor)", away(s, {0.0}), [](auto& x) { return ops::softsign(x); }));
  c.push_back(unary("soft_shrink(Tensor,double)", away(s, {-0.5, 0.5}),
                    [](auto& x) { return ops::soft_shrink(x, 0.5); }));
  c.push_back(unary("hard_shrink(Tensor,double)", away(s, {-0.7, 0.7}),
                    [](auto& x) { return ops::hard_shrink(x, 0.7); }));
  c.push_back(unary("tanh_shrink(Tensor)", uniform(s), [](auto& x) { return ops::tanh_shrink(x); }));
  c.push_back(unary("hard_tanh(Tensor)", away(s, {-1.0, 1.0}), [](auto& x) { return ops::hard_tanh(x); }));
  c.push_back(unary("squareplus(Tensor,double)", uniform(s),
                    [](auto& x) { return ops::squareplus(x, 2.0); }));
  c.push_back(unary("sparse_plus(Tensor)", away(s, {-1.0, 1.0}),
                    [](auto& x) { return ops::sparse_plus(x); }));
  c.push_back(unary("sparse_sigmoid(Tensor)", away(s, {-1.0, 1.0}),
                    [](auto& x) { return ops::sparse_sigmoid(x); }));
  c.push_back(unary("sparsemax(Tensor,int)", uniform({3, 5}, -1, 1),
                    [](auto& x) { return ops::sparsemax(x, -1); }));
  c.push_back(unary("sparsemax(Tensor,int)", uniform({5, 2, 3}, -1, 1),
                    [](auto& x) { return ops::sparsemax(x, 0); }));
  c.push_back(unary("mish(Tensor)", uniform(s, -4, 4), [](auto& x) { return ops::mish(x); }));
  c.push_back(unary("leaky_relu(Tensor,double)", away(s, {0.0}),
                    [](auto& x) { return ops::leaky_relu(x, 0.1); }));
  c.push_back(unary("threshold(Tensor,double,double)", away(s, {0.4}),
                    [](auto& x) { return ops::threshold(x, 0.4, -1.0); }));
  c.push_back(unary("softmax(Tensor,int)", uniform({3, 5}), [](auto& x) { return ops::softmax(x, -1); }));
  c.push_back(unary("softmax(Tensor,int)", uniform({2, 3, 4}), [](auto& x) { return ops::softmax(x, 1); }));
  c.push_back(unary("log_softmax(Tensor,int)", uniform({3, 5}),
                    [](auto& x) { return ops::log_softmax(x, -1); }));
  c.push_back(unary("log_softmax(Tensor,int)", uniform({2, 3, 4}),
                    [](auto& x) { return ops::log_softmax(x, 0); }));
  // ---- reductions ----
  const Shape r{2, 3, 4};
  c.push_back(unary("sum(Tensor,vector<int>,bool)", uniform(r), [](auto& x) { return ops::sum(x); }));
  c.push_back(unary("sum(Tensor,vector<int>,bool)", uniform(r),
                    [](auto& x) { return ops::sum(x, {0, 2}, true); }));
  c.push_back(unary("mean(Tensor,vector<int>,bool)", uniform(r),
                    [](auto& x) { return ops::mean(x, {1}); }));
  c.push_back(unary("max(Tensor,vector<int>,bool)", uniform(r), [](auto& x) { return ops::max(x, {-1}); }));
  c.push_back(unary("min(Tensor,vector<int>,bool)", uniform(r),
                    [](auto& x) { return ops::min(x, {0, 1}, true); }));
  c.push_back(unary("var(Tensor,vector<int>,bool)", uniform(r), [](auto& x) { return ops::var(x, {2}); }));
  c.push_back(unary("logsumexp(Tensor,vector<int>,bool)", uniform(r),
                    [](auto& x) { return ops::logsumexp(x, {1}); }));
  c.push_back(unary("logsumexp(Tensor,vector<int>,bool)", uniform(r),
                    [](auto& x) { return ops::logsumexp(x, {}, true); }));
  c.push_back(not_differentiable("argmax(Tensor,int)", {uniform(r)},
                                 [](const Ts& in) { return ops::argmax(in[0], 1); }));
  c.push_back(not_differentiable("argmin(Tensor,int)", {uniform(r)},
                                 [](const Ts& in) { return ops::argmin(in[0], -1); }));
  // ---- shapes ----
  c.push_back(unary("reshape(Tensor,Shape)", uniform(r), [](auto& x) {
    return ops::multiply(ops::reshape(x, Shape{4, -1}), ops::reshape(x, Shape{4, 6}));
  }));
  c.push_back(unary("transpose(Tensor,vector<int>)", uniform(r),
                    [](auto& x) { return ops::transpose(x, {2, 0, 1}); }));
  c.push_back(unary("transpose(Tensor,vector<int>)", uniform({3, 5}),
                    [](auto& x) { return ops::transpose(x); }));
  c.push_back(unary("expand_dims(Tensor,int)", uniform(s), [](auto& x) { return ops::expand_dims(x, -1); }));
  c.push_back(unary("squeeze(Tensor,optional<int>)", uniform({3, 1, 4}),
                    [](auto& x) { return ops::squeeze(x, 1); }));
  c.push_back(unary("broadcast_to(Tensor,Shape)", uniform({3, 1}),
                    [](auto& x) { return ops::broadcast_to(x, Shape{2, 3, 4}); }));
  c.push_back({"concatenate(vector<Tensor>,int)", "concatenate", {uniform({2, 3}), uniform({2, 1}), uniform({2, 2})},
               [](const Ts& in) { return ops::concatenate(in, 1); }});
  c.push_back({"stack(vector<Tensor>,int)", "stack", {uniform({2, 3}), uniform({2, 3})},
               [](const Ts& in) { return ops::stack(in, 1); }});
  c.push_back(unary("split(Tensor,int,int)", uniform({2, 6}), [](auto& x) {
    auto parts = ops::split(x, 3, 1);
    return ops::add(ops::multiply(parts[0], 2.0), parts[2]);  // parts[1] unused: zeros
  }));
  c.push_back(unary("split_sizes(Tensor,vector<int64_t>,int)", uniform({5, 2}), [](auto& x) {
    auto parts = ops::split_sizes(x, {1, 4}, 0);
    return ops::multiply(parts[1], ops::sum(parts[0]));
  }));
  c.push_back(unary("slice_axis(Tensor,int,int64_t,int64_t)", uniform({5, 3}),
                    [](auto& x) { return ops::slice_axis(x, 0, 1, 3); }));
  c.push_back(unary("slice_axis(Tensor,int,int64_t,int64_t)", uniform({2, 5, 3}),
                    [](auto& x) { return ops::slice_axis(x, 1, 2, 2); }));
  c.push_back(unary("repeat(Tensor,int64_t,int)", uniform({2, 3}), [](auto& x) { return ops::repeat(x, 3, 1); }));
  c.push_back(unary("tile(Tensor,vector<int64_t>)", uniform({2, 3}), [](auto& x) { return ops::tile(x, {2, 1, 2}); }));
  c.push_back(unary("flip(Tensor,int)", uniform(r), [](auto& x) { return ops::flip(x, 1); }));
  {
    const Tensor idx = int64s({2, 2}, {0, 2, -1, 0});  // row 0 taken twice
    c.push_back(unary("take(Tensor,Tensor,int)", uniform({4, 3}), [idx](auto& x) { return ops::take(x, idx, 0); }));
    c.push_back(unary("take(Tensor,Tensor,int)", uniform({2, 4, 3}), [idx](auto& x) { return ops::take(x, idx, 1); }));
  }
  c.push_back(not_differentiable("one_hot(Tensor,int64_t,DType)", {}, [](const Ts&) {
    return ops::one_hot(int64s({3}, {0, 2, 1}), 3, DType::float64);
  }));
  // ---- linear algebra ----
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul 2d", uniform({3, 4}), uniform({4, 2}),
                     [](auto& a, auto& b) { return ops::matmul(a, b); }));
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul rank 3 by matrix", uniform({2, 3, 4}),
                     uniform({4, 5}), [](auto& a, auto& b) { return ops::matmul(a, b); }));
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul broadcast batches", uniform({2, 1, 3, 4}),
                     uniform({3, 4, 2}), [](auto& a, auto& b) { return ops::matmul(a, b); }));
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul vector by matrix", uniform({4}),
                     uniform({2, 4, 3}), [](auto& a, auto& b) { return ops::matmul(a, b); }));
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul matrix by vector", uniform({3, 4}),
                     uniform({4}), [](auto& a, auto& b) { return ops::matmul(a, b); }));
  c.push_back(binary("matmul(Tensor,Tensor)", "matmul dot", uniform({4}), uniform({4}),
                     [](auto& a, auto& b) { return ops::matmul(a, b); }));
  for (std::string activation : {"linear", "relu", "tanh", "sigmoid", "gelu", "elu", "selu",
                                  "softplus", "swish", "softmax", "log_softmax", "glu"}) {
    c.push_back({"dense(Tensor,Tensor,Tensor,string)", "dense " + activation,
                 {uniform({2, 3, 4}), uniform({4, 6}, -1, 1), uniform({6}, -1, 1)},
                 [activation](const Ts& in) { return ops::dense(in[0], in[1], in[2], activation); }});
  }
  c.push_back({"dense(Tensor,Tensor,Tensor,string)", "dense relu no bias",
               {uniform({5, 4}), uniform({4, 3}, -1, 1)},
               [](const Ts& in) { return ops::dense(in[0], in[1], Tensor(), "relu"); }});
  c.push_back({"dense(Tensor,Tensor,Tensor,string)", "dense one row",
               {uniform({4}), uniform({4, 3}, -1, 1), uniform({3})},
               [](const Ts& in) { return ops::dense(in[0], in[1], in[2], "sigmoid"); }});
  // ---- convolution and pooling ----
  using I64 = std::vector<std::int64_t>;
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d valid", uniform({2, 5, 6, 3}), uniform({3, 2, 3, 4}, -1, 1),
                     [](auto& x, auto& k) { return ops::conv(x, k); }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d same strides (2, 1)", uniform({2, 7, 6, 2}),
                     uniform({3, 3, 2, 3}, -1, 1),
                     [](auto& x, auto& k) { return ops::conv(x, k, I64{2, 1}, "same"); }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d same dilation 2", uniform({1, 7, 6, 2}),
                     uniform({3, 2, 2, 2}, -1, 1), [](auto& x, auto& k) {
                       return ops::conv(x, k, I64{1}, "same", "channels_last", I64{2});
                     }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d groups 2", uniform({2, 5, 4, 4}), uniform({3, 3, 2, 6}, -1, 1),
                     [](auto& x, auto& k) { return ops::conv(x, k, I64{1}, "same"); }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d 1x1", uniform({2, 3, 4, 3}), uniform({1, 1, 3, 2}, -1, 1),
                     [](auto& x, auto& k) { return ops::conv(x, k); }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 2d channels_first", uniform({2, 3, 5, 4}), uniform({2, 3, 3, 2}, -1, 1),
                     [](auto& x, auto& k) {
                       return ops::conv(x, k, I64{2}, "same", "channels_first");
                     }));
  c.push_back(binary("conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "conv 1d channels_first strides 2", uniform({2, 3, 9}),
                     uniform({3, 3, 4}, -1, 1), [](auto& x, auto& k) {
                       return ops::conv(x, k, I64{2}, "same", "channels_first");
                     }));
  c.push_back(binary("depthwise_conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "depthwise_conv multiplier 2 strides 2 same", uniform({2, 6, 5, 3}),
                     uniform({3, 3, 3, 2}, -1, 1), [](auto& x, auto& k) {
                       return ops::depthwise_conv(x, k, I64{2}, "same");
                     }));
  c.push_back(binary("depthwise_conv(Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
                     "depthwise_conv multiplier 1 dilation 2", uniform({2, 6, 7, 4}),
                     uniform({2, 3, 4, 1}, -1, 1), [](auto& x, auto& k) {
                       return ops::depthwise_conv(x, k, I64{1}, "same", "channels_last", I64{2});
                     }));
  c.push_back({"separable_conv(Tensor,Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
               "separable_conv 2d",
               {uniform({2, 5, 6, 3}), uniform({3, 3, 3, 2}, -1, 1), uniform({1, 1, 6, 4}, -1, 1)},
               [](const Ts& in) { return ops::separable_conv(in[0], in[1], in[2], I64{1}, "same"); }});
  c.push_back({"separable_conv(Tensor,Tensor,Tensor,vector<int64_t>,string,string,vector<int64_t>)",
               "separable_conv 1d channels_first",
               {uniform({2, 2, 7}), uniform({3, 2, 1}, -1, 1), uniform({1, 2, 3}, -1, 1)},
               [](const Ts& in) {
                 return ops::separable_conv(in[0], in[1], in[2], I64{2}, "valid", "channels_first");
               }});
  c.push_back(binary(
      "conv_transpose(Tensor,Tensor,vector<int64_t>,string,vector<int64_t>,string,vector<int64_t>)",
      "conv_transpose 2d valid strides 2 output_padding 1", uniform({2, 3, 4, 3}),
      uniform({3, 3, 2, 3}, -1, 1),
      [](auto& x, auto& k) { return ops::conv_transpose(x, k, I64{2}, "valid", I64{1}); }));
  c.push_back(binary(
      "conv_transpose(Tensor,Tensor,vector<int64_t>,string,vector<int64_t>,string,vector<int64_t>)",
      "conv_transpose 2d same strides (2, 3)", uniform({2, 3, 3, 2}), uniform({3, 2, 4, 2}, -1, 1),
      [](auto& x, auto& k) { return ops::conv_transpose(x, k, I64{2, 3}, "same"); }));
  c.push_back(binary(
      "conv_transpose(Tensor,Tensor,vector<int64_t>,string,vector<int64_t>,string,vector<int64_t>)",
      "conv_transpose 1d channels_first dilation 2", uniform({2, 3, 5}), uniform({3, 2, 3}, -1, 1),
      [](auto& x, auto& k) {
        return ops::conv_transpose(x, k, I64{1}, "same", I64{}, "channels_first", I64{2});
      }));
  c.push_back(unary("max_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
                    uniform({2, 5, 6, 3}), [](auto& x) { return ops::max_pool(x, I64{2}); }));
  c.push_back({"max_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
               "max_pool same 3 strides 2 channels_first", {uniform({2, 3, 5, 6})},
               [](const Ts& in) {
                 return ops::max_pool(in[0], I64{3}, I64{2}, "same", "channels_first");
               }});
  c.push_back({"max_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
               "max_pool 1d overlapping", {uniform({2, 9, 3})},
               [](const Ts& in) { return ops::max_pool(in[0], I64{3}, I64{1}, "same"); }});
  c.push_back(unary("average_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
                    uniform({2, 5, 6, 3}), [](auto& x) { return ops::average_pool(x, I64{2}); }));
  c.push_back({"average_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
               "average_pool same (3, 2) strides (2, 1)", {uniform({2, 5, 6, 3})},
               [](const Ts& in) {
                 return ops::average_pool(in[0], I64{3, 2}, I64{2, 1}, "same");
               }});
  c.push_back({"average_pool(Tensor,vector<int64_t>,vector<int64_t>,string,string)",
               "average_pool 1d channels_first same", {uniform({2, 3, 7})},
               [](const Ts& in) {
                 return ops::average_pool(in[0], I64{3}, I64{2}, "same", "channels_first");
               }});
  // ---- operators ----
  using keras::operator+;
  using keras::operator-;
  using keras::operator*;
  using keras::operator/;
  c.push_back(binary("operator+(Tensor,Tensor)", "a + b", uniform(s), uniform({4}), [](auto& a, auto& b) { return a + b; }));
  c.push_back(binary("operator-(Tensor,Tensor)", "a - b", uniform(s), uniform(s), [](auto& a, auto& b) { return a - b; }));
  c.push_back(binary("operator*(Tensor,Tensor)", "a * b", uniform(s), uniform(s), [](auto& a, auto& b) { return a * b; }));
  c.push_back(binary("operator/(Tensor,Tensor)", "a / b", uniform(s), uniform(s, 1, 2), [](auto& a, auto& b) { return a / b; }));
  c.push_back(unary("operator-(Tensor)", uniform(s), [](auto& x) { return -x; }));
  c.push_back(unary("operator+(Tensor,double)", uniform(s), [](auto& x) { return x + 2.0; }));
  c.push_back(unary("operator-(Tensor,double)", uniform(s), [](auto& x) { return x - 2.0; }));
  c.push_back(unary("operator*(Tensor,double)", uniform(s), [](auto& x) { return x * 2.0; }));
  c.push_back(unary("operator/(Tensor,double)", uniform(s), [](auto& x) { return x / 2.0; }));
  c.push_back(unary("operator+(double,Tensor)", uniform(s), [](auto& x) { return 2.0 + x; }));
  c.push_back(unary("operator-(double,Tensor)", uniform(s), [](auto& x) { return 2.0 - x; }));
  c.push_back(unary("operator*(double,Tensor)", uniform(s), [](auto& x) { return 2.0 * x; }));
  c.push_back(unary("operator/(double,Tensor)", uniform(s, 1, 2), [](auto& x) { return 2.0 / x; }));
  return c;
}

// ---- the list of ops, parsed from the public header ----

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "const std::vector<int>& axes = {}" -> "vector<int>"
std::string parameter_type(std::string p) {
  p = trim(p.substr(0, p.find('=')));
  p = trim(p.substr(0, p.find_last_of(' ')));
  for (const std::string drop : {"const ", "std::", "&"}) {
    for (auto at = p.find(drop); at != std::string::npos; at = p.find(drop)) p.erase(at, drop.size());
  }
  return trim(p);
}

// Signatures of every function returning Tensor(s) declared in ops.hpp.
std::set<std::string> header_signatures() {
  std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/../../include/keras/ops.hpp");
  std::string text, line;
  while (std::getline(in, line)) text += line.substr(0, line.find("//")) + " ";
  std::string flat;  // whitespace collapsed
  for (char ch : text) {
    if (ch == '\n' || ch == '\t') ch = ' ';
    if (!(ch == ' ' && !flat.empty() && flat.back() == ' ')) flat += ch;
  }
  std::set<std::string> sigs;
  std::stringstream decls(flat.substr(flat.find("namespace keras::ops {")));
  std::string decl;
  while (std::getline(decls, decl, ';')) {
    decl = trim(decl);
    while (!decl.empty() && decl[0] == '}') decl = trim(decl.substr(1));
    for (const std::string ns : {"namespace keras::ops { ", "namespace keras { "}) {
      if (decl.rfind(ns, 0) == 0) decl = decl.substr(ns.size());
    }
    std::string rest;
    if (decl.rfind("Tensor ", 0) == 0) rest = decl.substr(7);
    if (decl.rfind("std::vector<Tensor> ", 0) == 0) rest = decl.substr(20);
    if (rest.empty() || rest.find('(') == std::string::npos) continue;
    const std::string name = trim(rest.substr(0, rest.find('(')));
    const std::string params = rest.substr(rest.find('(') + 1, rest.rfind(')') - rest.find('(') - 1);
    std::vector<std::string> types;
    int depth = 0;
    std::string cur;
    for (char ch : params) {
      if (ch == '<' || ch == '(' || ch == '{') ++depth;
      if (ch == '>' || ch == ')' || ch == '}') --depth;
      if (ch == ',' && depth == 0) {
        types.push_back(parameter_type(cur));
        cur.clear();
      } else {
        cur += ch;
      }
    }
    if (!trim(cur).empty()) types.push_back(parameter_type(cur));
    std::string sig = name + "(";
    for (std::size_t i = 0; i < types.size(); ++i) sig += (i ? "," : "") + types[i];
    sigs.insert(sig + ")");
  }
  return sigs;
}

TEST(GradientCheck, EveryOpInTheHeaderHasACase) {
  const std::set<std::string> declared = header_signatures();
  ASSERT_GT(declared.size(), 100u) << "the header parser found too few ops";
  std::set<std::string> covered;
  for (const OpCase& c : op_cases()) covered.insert(c.signature);
  for (const std::string& sig : declared) {
    EXPECT_TRUE(covered.count(sig)) << sig << " is declared in ops.hpp but has no gradient case";
  }
  for (const std::string& sig : covered) {
    EXPECT_TRUE(declared.count(sig)) << sig << " has a case but is not declared in ops.hpp";
  }
}

TEST(GradientCheck, EveryOpMatchesFiniteDifferences) {
  for (const OpCase& c : op_cases()) {
    SCOPED_TRACE(c.label);
    try {
      if (c.differentiable) {
        EXPECT_TRUE(keras::testing::check_gradients(c.fn, c.inputs, c.options));
      } else {
        EXPECT_TRUE(keras::testing::check_zero_gradients(c.fn, c.inputs));
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << c.label << " threw: " << e.what();
    }
  }
}

// The checker itself must catch a wrong gradient.
TEST(GradientCheck, CatchesAWrongGradient) {
  const Tensor x = uniform({3});
  // square(x) reported as 3x^2 would be caught: compare x * x against
  // its gradient through a function whose values are perturbed.
  auto f = [](const Ts& in) {
    // Forward: x^3 computed outside the tape's view of x (a clone) times x:
    // the tape sees only the last factor, so the gradient is x^3 instead of 4x^3.
    const Tensor detached = in[0].clone();
    return ops::multiply(ops::multiply(ops::multiply(detached, detached), detached), in[0]);
  };
  EXPECT_FALSE(keras::testing::check_gradients(f, {x}));
}

}  // namespace
