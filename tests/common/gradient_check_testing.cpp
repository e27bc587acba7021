#include "common/gradient_check_testing.hpp"

#include <cmath>
#include <random>
#include <sstream>

#include "keras/gradient_tape.hpp"
#include "keras/ops.hpp"

namespace keras::testing {

namespace {

// L = sum(f(x) * w) as a double, without a tape.
double weighted_sum(const TensorFn& f, const std::vector<Tensor>& inputs, const Tensor& w) {
  const Tensor y = f(inputs);
  const auto yv = y.to_vector<double>();
  const auto wv = w.to_vector<double>();
  double total = 0;
  for (std::size_t i = 0; i < yv.size(); ++i) total += yv[i] * wv[i];
  return total;
}

}  // namespace

Tensor random_tensor(const Shape& shape, double low, double high, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(low, high);
  std::vector<double> values(static_cast<std::size_t>(shape.num_elements()));
  for (double& v : values) v = dist(gen);
  return Tensor(shape, values);
}

Tensor random_tensor_away(const Shape& shape, double low, double high, std::uint64_t seed,
                          const std::vector<double>& points, double gap) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(low, high);
  std::vector<double> values(static_cast<std::size_t>(shape.num_elements()));
  for (double& v : values) {
    bool near = true;
    while (near) {
      v = dist(gen);
      near = false;
      for (double p : points) near = near || std::fabs(v - p) < gap;
    }
  }
  return Tensor(shape, values);
}

::testing::AssertionResult check_gradients(const TensorFn& f, const std::vector<Tensor>& inputs0,
                                           const GradientCheckOptions& options) {
  // Private copies: the finite differences nudge the inputs in place.
  std::vector<Tensor> inputs;
  for (const Tensor& x : inputs0) {
    if (x.dtype() != DType::float64) {
      return ::testing::AssertionFailure() << "gradient checks need float64 inputs";
    }
    inputs.push_back(x.clone());
  }
  Tensor w;
  std::vector<Tensor> analytic;
  {
    GradientTape tape;
    for (const Tensor& x : inputs) tape.watch(x);
    const Tensor y = f(inputs);
    if (y.dtype() != DType::float64) {
      return ::testing::AssertionFailure() << "the op returned " << dtype_name(y.dtype())
                                           << " for float64 inputs";
    }
    w = random_tensor(y.shape(), -1.0, 1.0, options.seed);
    const Tensor loss = ops::sum(ops::multiply(y, w));
    analytic = tape.gradient(loss, inputs);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (analytic[i].shape() != inputs[i].shape()) {
      return ::testing::AssertionFailure()
             << "gradient " << i << " has shape " << analytic[i].shape().to_string()
             << ", input has " << inputs[i].shape().to_string();
    }
    const auto a = analytic[i].to_vector<double>();
    double* x = inputs[i].data<double>();
    for (std::int64_t j = 0; j < inputs[i].size(); ++j) {
      const double saved = x[j];
      x[j] = saved + options.epsilon;
      const double plus = weighted_sum(f, inputs, w);
      x[j] = saved - options.epsilon;
      const double minus = weighted_sum(f, inputs, w);
      x[j] = saved;
      const double numeric = (plus - minus) / (2 * options.epsilon);
      const double tol =
          options.atol + options.rtol * std::max(std::fabs(numeric), std::fabs(a[j]));
      if (!(std::fabs(numeric - a[j]) <= tol)) {
        return ::testing::AssertionFailure()
               << "input " << i << " (shape " << inputs[i].shape().to_string() << "), element "
               << j << " (value " << saved << "): tape gradient " << a[j]
               << ", finite differences " << numeric;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult check_zero_gradients(const TensorFn& f,
                                                const std::vector<Tensor>& inputs0) {
  std::vector<Tensor> inputs;
  for (const Tensor& x : inputs0) inputs.push_back(x.clone());
  GradientTape tape;
  for (const Tensor& x : inputs) tape.watch(x);
  const Tensor y = ops::cast(f(inputs), DType::float64);
  const Tensor loss = ops::sum(y);
  const std::vector<Tensor> grads = tape.gradient(loss, inputs);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    for (double v : grads[i].to_vector<double>()) {
      if (v != 0.0) return ::testing::AssertionFailure() << "input " << i << " got gradient " << v;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace keras::testing
