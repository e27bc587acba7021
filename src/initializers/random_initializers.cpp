// Initializers that draw random values (keras/src/initializers/random_initializers.py):
// RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling and its named
// variants (Glorot*, He*, Lecun*), Orthogonal.
#include "initializers/random_initializers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <vector>

#include "keras/initializers.hpp"
#include "keras/utils.hpp"

namespace keras::initializers {

namespace {

using Seed = std::optional<std::uint64_t>;

std::map<std::string, double> with_seed(std::map<std::string, double> config, Seed seed) {
  if (seed) config["seed"] = static_cast<double>(*seed);
  return config;
}

// Fills a tensor with draw(generator), element by element in row-major order.
// With a seed the initializer uses its own generator, restarted on every call
// (so each call gives the same values, as Keras with an integer seed); without
// one it advances the global generator, which keras::utils::set_random_seed
// makes repeatable.
template <class Draw>
Tensor draw_tensor(const std::string& who, const Shape& shape, DType dtype, Seed seed, Draw draw) {
  if (!is_floating(dtype)) {
    throw Error(who + " draws floating-point values; it cannot initialize a weight of dtype " +
                std::string(dtype_name(dtype)) + ".");
  }
  std::mt19937_64 own_generator;
  if (seed) own_generator.seed(*seed);
  std::mt19937_64& generator = seed ? own_generator : utils::random_generator();
  std::vector<double> values(static_cast<std::size_t>(shape.num_elements()));
  for (double& v : values) v = draw(generator);
  Tensor t(shape, std::move(values));
  return dtype == DType::float64 ? t : t.astype(dtype);
}

// A standard normal value truncated to [-2, 2] by redrawing, as
// jax.random.truncated_normal(lower=-2, upper=2) which Keras uses.
double truncated_standard_normal(std::mt19937_64& generator,
                                 std::normal_distribution<double>& normal) {
  for (;;) {
    const double z = normal(generator);
    if (z >= -2.0 && z <= 2.0) return z;
  }
}

Initializer make_truncated_normal(const std::string& class_name,
                                  std::map<std::string, double> config, double mean, double stddev,
                                  Seed seed) {
  return Initializer(class_name, with_seed(std::move(config), seed),
                     [class_name, mean, stddev, seed](const Shape& shape, DType dtype) {
                       std::normal_distribution<double> normal(0.0, 1.0);
                       return draw_tensor(class_name, shape, dtype, seed, [&](auto& g) {
                         return mean + stddev * truncated_standard_normal(g, normal);
                       });
                     });
}

// The Q factor of a = QR (a is m x n, m >= n, row-major) with the signs of its
// columns chosen so that R has a non-negative diagonal: the unique orthonormal
// basis Keras' `q * sign(diag(r))` produces. Householder reflections in double.
std::vector<double> orthonormal_q(std::vector<double> a, std::int64_t m, std::int64_t n) {
  auto at = [&](std::vector<double>& x, std::int64_t i, std::int64_t j) -> double& {
    return x[static_cast<std::size_t>(i * n + j)];
  };
  std::vector<std::vector<double>> reflectors(static_cast<std::size_t>(n));
  std::vector<double> r_diagonal(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) {
    std::vector<double> v(static_cast<std::size_t>(m - k));
    double norm2 = 0.0;
    for (std::int64_t i = k; i < m; ++i) {
      v[static_cast<std::size_t>(i - k)] = at(a, i, k);
      norm2 += at(a, i, k) * at(a, i, k);
    }
    const double norm = std::sqrt(norm2);
    const double alpha = v[0] >= 0.0 ? -norm : norm;  // avoids cancellation
    r_diagonal[static_cast<std::size_t>(k)] = alpha;
    v[0] -= alpha;
    double v_norm2 = 0.0;
    for (double x : v) v_norm2 += x * x;
    if (v_norm2 == 0.0) continue;  // the column is already zero below k
    for (std::int64_t j = k; j < n; ++j) {
      double dot = 0.0;
      for (std::int64_t i = k; i < m; ++i) dot += v[static_cast<std::size_t>(i - k)] * at(a, i, j);
      const double f = 2.0 * dot / v_norm2;
      for (std::int64_t i = k; i < m; ++i) at(a, i, j) -= f * v[static_cast<std::size_t>(i - k)];
    }
    for (double& x : v) x /= std::sqrt(v_norm2);
    reflectors[static_cast<std::size_t>(k)] = std::move(v);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  std::vector<double> q(static_cast<std::size_t>(m * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) at(q, i, i) = 1.0;
  for (std::int64_t k = n - 1; k >= 0; --k) {
    const auto& v = reflectors[static_cast<std::size_t>(k)];
    if (v.empty()) continue;
    for (std::int64_t j = 0; j < n; ++j) {
      double dot = 0.0;
      for (std::int64_t i = k; i < m; ++i) dot += v[static_cast<std::size_t>(i - k)] * at(q, i, j);
      for (std::int64_t i = k; i < m; ++i)
        at(q, i, j) -= 2.0 * dot * v[static_cast<std::size_t>(i - k)];
    }
  }
  for (std::int64_t j = 0; j < n; ++j) {
    const double d = r_diagonal[static_cast<std::size_t>(j)];
    const double sign = d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0);
    for (std::int64_t i = 0; i < m; ++i) at(q, i, j) *= sign;
  }
  return q;
}

}  // namespace

std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape) {
  if (shape.rank() < 1) return {1, 1};
  if (shape.rank() == 1) return {shape[0], shape[0]};
  if (shape.rank() == 2) return {shape[0], shape[1]};
  std::int64_t receptive_field = 1;
  for (int i = 0; i < shape.rank() - 2; ++i) receptive_field *= shape[i];
  return {shape[-2] * receptive_field, shape[-1] * receptive_field};
}

Initializer RandomNormal(double mean, double stddev, Seed seed) {
  return Initializer("RandomNormal", with_seed({{"mean", mean}, {"stddev", stddev}}, seed),
                     [mean, stddev, seed](const Shape& shape, DType dtype) {
                       std::normal_distribution<double> normal(mean, stddev);
                       return draw_tensor("RandomNormal", shape, dtype, seed,
                                          [&](auto& g) { return normal(g); });
                     });
}

Initializer RandomUniform(double minval, double maxval, Seed seed) {
  return Initializer("RandomUniform", with_seed({{"minval", minval}, {"maxval", maxval}}, seed),
                     [minval, maxval, seed](const Shape& shape, DType dtype) {
                       std::uniform_real_distribution<double> uniform(minval, maxval);
                       return draw_tensor("RandomUniform", shape, dtype, seed,
                                          [&](auto& g) { return uniform(g); });
                     });
}

Initializer TruncatedNormal(double mean, double stddev, Seed seed) {
  return make_truncated_normal("TruncatedNormal", {{"mean", mean}, {"stddev", stddev}}, mean,
                               stddev, seed);
}

namespace {

// VarianceScaling under any of its names: draws with variance scale / fan,
// the fan chosen by mode, from the given distribution.
Initializer variance_scaling(const std::string& class_name, std::map<std::string, double> config,
                             double scale, const std::string& mode,
                             const std::string& distribution_name, Seed seed) {
  if (!(scale > 0.0)) {
    throw Error(class_name + ": argument `scale` must be a positive float. Received: scale=" +
                std::to_string(scale) + ".");
  }
  if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg") {
    throw Error(class_name + ": invalid `mode` \"" + mode +
                "\"; use one of \"fan_in\", \"fan_out\", \"fan_avg\".");
  }
  std::string distribution;
  for (char c : distribution_name) distribution += static_cast<char>(std::tolower(c));
  if (distribution == "normal") distribution = "truncated_normal";
  if (distribution != "uniform" && distribution != "truncated_normal" &&
      distribution != "untruncated_normal") {
    throw Error(class_name + ": invalid `distribution` \"" + distribution_name +
                "\"; use one of \"uniform\", \"truncated_normal\", \"untruncated_normal\".");
  }
  auto draw = [class_name, scale, mode, distribution, seed](const Shape& shape, DType dtype) {
    const auto [fan_in, fan_out] = compute_fans(shape);
    double fan = static_cast<double>(fan_in);
    if (mode == "fan_out") fan = static_cast<double>(fan_out);
    if (mode == "fan_avg") fan = static_cast<double>(fan_in + fan_out) / 2.0;
    const double variance = scale / std::max(1.0, fan);
    if (distribution == "uniform") {
      const double limit = std::sqrt(3.0 * variance);
      std::uniform_real_distribution<double> uniform(-limit, limit);
      return draw_tensor(class_name, shape, dtype, seed, [&](auto& g) { return uniform(g); });
    }
    std::normal_distribution<double> normal(0.0, 1.0);
    if (distribution == "untruncated_normal") {
      const double stddev = std::sqrt(variance);
      return draw_tensor(class_name, shape, dtype, seed,
                         [&](auto& g) { return stddev * normal(g); });
    }
    // The standard deviation of a standard normal truncated to [-2, 2] is
    // 0.8796...; dividing by it restores the requested variance.
    const double stddev = std::sqrt(variance) / 0.8796256610342398;
    return draw_tensor(class_name, shape, dtype, seed,
                       [&](auto& g) { return stddev * truncated_standard_normal(g, normal); });
  };
  return Initializer(class_name, with_seed(std::move(config), seed),
                     {{"mode", mode}, {"distribution", distribution}}, draw);
}

}  // namespace

Initializer VarianceScaling(double scale, const std::string& mode, const std::string& distribution,
                            Seed seed) {
  return variance_scaling("VarianceScaling", {{"scale", scale}}, scale, mode, distribution, seed);
}

Initializer GlorotUniform(Seed seed) {
  return variance_scaling("GlorotUniform", {}, 1.0, "fan_avg", "uniform", seed);
}
Initializer GlorotNormal(Seed seed) {
  return variance_scaling("GlorotNormal", {}, 1.0, "fan_avg", "truncated_normal", seed);
}
Initializer HeNormal(Seed seed) {
  return variance_scaling("HeNormal", {}, 2.0, "fan_in", "truncated_normal", seed);
}
Initializer HeUniform(Seed seed) {
  return variance_scaling("HeUniform", {}, 2.0, "fan_in", "uniform", seed);
}
Initializer LecunNormal(Seed seed) {
  return variance_scaling("LecunNormal", {}, 1.0, "fan_in", "truncated_normal", seed);
}
Initializer LecunUniform(Seed seed) {
  return variance_scaling("LecunUniform", {}, 1.0, "fan_in", "uniform", seed);
}

Initializer Orthogonal(double gain, Seed seed) {
  return Initializer(
      "Orthogonal", with_seed({{"gain", gain}}, seed),
      [gain, seed](const Shape& shape, DType dtype) {
        if (shape.rank() < 2) {
          throw Error(
              "Orthogonal initializer: the tensor to initialize must be at least "
              "two-dimensional. Received: shape=" +
              shape.to_string() + " of rank " + std::to_string(shape.rank()) + ".");
        }
        if (!is_floating(dtype)) {
          throw Error(
              "Orthogonal draws floating-point values; it cannot initialize a weight of "
              "dtype " +
              std::string(dtype_name(dtype)) + ".");
        }
        const std::int64_t cols = shape[-1];
        const std::int64_t rows = shape.num_elements() / std::max<std::int64_t>(cols, 1);
        const std::int64_t m = std::max(rows, cols);
        const std::int64_t n = std::min(rows, cols);
        std::normal_distribution<double> normal(0.0, 1.0);
        Tensor a = draw_tensor("Orthogonal", Shape{m, n}, DType::float64, seed,
                               [&](auto& g) { return normal(g); });
        const double* pa = a.data<double>();
        std::vector<double> q = orthonormal_q(std::vector<double>(pa, pa + m * n), m, n);
        std::vector<double> values(static_cast<std::size_t>(rows * cols));
        for (std::int64_t i = 0; i < rows; ++i) {
          for (std::int64_t j = 0; j < cols; ++j) {
            // q is (cols, rows) when there are fewer rows than columns: transpose it.
            const double v = rows >= cols ? q[static_cast<std::size_t>(i * n + j)]
                                          : q[static_cast<std::size_t>(j * n + i)];
            values[static_cast<std::size_t>(i * cols + j)] = gain * v;
          }
        }
        Tensor t(shape, std::move(values));
        return dtype == DType::float64 ? t : t.astype(dtype);
      });
}

}  // namespace keras::initializers
