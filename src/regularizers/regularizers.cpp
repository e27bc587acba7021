// The regularizers of keras/src/regularizers/regularizers.py, written with
// keras::ops so that a GradientTape sees their penalties.
#include "keras/regularizers.hpp"

#include <cmath>
#include <sstream>
#include <vector>

#include "keras/ops.hpp"

namespace keras::regularizers {

Regularizer::Regularizer(std::string class_name, std::map<std::string, double> config,
                         std::map<std::string, std::string> string_config, Fn fn)
    : class_name_(std::move(class_name)),
      config_(std::move(config)),
      string_config_(std::move(string_config)),
      fn_(std::move(fn)) {}

Regularizer::Regularizer(const char* name) : Regularizer(get(name)) {}

Regularizer::Regularizer(const std::string& name) : Regularizer(get(name)) {}

Tensor Regularizer::operator()(const Tensor& x) const {
  if (!fn_) throw Error("Cannot call an undefined regularizer (Keras' None).");
  if (!is_floating(x.dtype())) {
    throw Error(class_name_ + " regularizer needs a float tensor, got " +
                std::string(dtype_name(x.dtype())) + ".");
  }
  return fn_(x);
}

namespace {

std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Keras' validate_float_arg: a finite, non-negative number.
double validated(double value, const char* name) {
  if (!std::isfinite(value) || value < 0.0) {
    throw Error(std::string("Invalid value for argument ") + name +
                ": expected a non-negative float. Received: " + name + "=" + number(value) + ".");
  }
  return value;
}

// The factor as a 0-d tensor of x's dtype (Keras casts the factor to x.dtype).
Tensor factor_like(double factor, const Tensor& x) { return Tensor::scalar(factor, x.dtype()); }

Tensor l1_penalty(double factor, const Tensor& x) {
  return ops::multiply(factor_like(factor, x), ops::sum(ops::abs(x)));
}

Tensor l2_penalty(double factor, const Tensor& x) {
  return ops::multiply(factor_like(factor, x), ops::sum(ops::square(x)));
}

struct Entry {
  const char* class_name;
  const char* snake_name;
  Regularizer (*make)();
};

// Keras' ALL_OBJECTS_DICT: each class by its name and its snake_case name
// (to_snake_case("L1L2") is "l1l2").
const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"L1", "l1", [] { return L1(); }},
      {"L1L2", "l1l2", [] { return L1L2(); }},
      {"L2", "l2", [] { return L2(); }},
      {"OrthogonalRegularizer", "orthogonal_regularizer", [] { return OrthogonalRegularizer(); }},
  };
  return entries;
}

}  // namespace

Regularizer get(const std::string& name) {
  for (const auto& e : registry()) {
    if (name == e.class_name || name == e.snake_name) return e.make();
  }
  std::string known;
  for (const auto& e : registry()) {
    known += (known.empty() ? "" : ", ") + std::string("\"") + e.snake_name + "\"";
  }
  std::string hint;
  if (name == "l1_l2") hint = " Keras 3 reads no \"l1_l2\" string; use L1L2(l1, l2).";
  throw Error("Could not interpret regularizer identifier: \"" + name + "\". Known: " + known +
              " (or the class names)." + hint);
}

Regularizer L1(double l1) {
  validated(l1, "l1");
  // Keras keeps l1 as a float32 tensor, so its factor is float32(l1).
  const double factor = static_cast<float>(l1);
  return Regularizer("L1", {{"l1", factor}}, {},
                     [factor](const Tensor& x) { return l1_penalty(factor, x); });
}

Regularizer L2(double l2) {
  validated(l2, "l2");
  return Regularizer("L2", {{"l2", l2}}, {}, [l2](const Tensor& x) { return l2_penalty(l2, x); });
}

Regularizer L1L2(double l1, double l2) {
  validated(l1, "l1");
  validated(l2, "l2");
  return Regularizer("L1L2", {{"l1", l1}, {"l2", l2}}, {}, [l1, l2](const Tensor& x) {
    Tensor penalty = Tensor::scalar(0.0, x.dtype());
    if (l1 != 0.0) penalty = ops::add(penalty, l1_penalty(l1, x));
    if (l2 != 0.0) penalty = ops::add(penalty, l2_penalty(l2, x));
    return penalty;
  });
}

Regularizer OrthogonalRegularizer(double factor, const std::string& mode) {
  validated(factor, "factor");
  if (mode != "rows" && mode != "columns") {
    throw Error(
        "Invalid value for argument `mode`. Expected one of {\"rows\", \"columns\"}. "
        "Received: mode=" +
        mode);
  }
  const double f = static_cast<float>(factor);  // a float32 tensor in Keras
  const bool rows = mode == "rows";
  return Regularizer(
      "OrthogonalRegularizer", {{"factor", f}}, {{"mode", mode}}, [f, rows](const Tensor& x) {
        if (x.rank() != 2) {
          throw Error("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=" +
                      x.shape().to_string());
        }
        // keras.ops.normalize(order 2, epsilon 1e-7): x * min(rsqrt(sum x^2), 1e7).
        const int axis = rows ? 1 : 0;
        const Tensor inv =
            ops::minimum(ops::rsqrt(ops::sum(ops::square(x), {axis}, true)), 1.0 / 1e-7);
        const Tensor n = ops::multiply(x, inv);
        const Tensor product =
            rows ? ops::matmul(n, ops::transpose(n)) : ops::matmul(ops::transpose(n), n);
        const std::int64_t size = x.shape()[rows ? 0 : 1];
        Tensor off_diagonal = Tensor::ones(Shape{size, size}, x.dtype());
        for (std::int64_t i = 0; i < size; ++i) {
          if (x.dtype() == DType::float64) {
            off_diagonal.data<double>()[i * size + i] = 0.0;
          } else {
            off_diagonal.data<float>()[i * size + i] = 0.0f;
          }
        }
        const double num_pairs =
            static_cast<double>(size) * (static_cast<double>(size) - 1.0) / 2.0;
        const Tensor total = ops::sum(ops::abs(ops::multiply(product, off_diagonal)));
        return ops::divide(ops::multiply(total, f * 0.5), num_pairs);
      });
}

}  // namespace keras::regularizers
