// Counter-based random draws behind backend/random.hpp.
#include "backend/random.hpp"

#include <cmath>
#include <numbers>

#include "backend/cpu/parallel.hpp"
#include "keras/utils.hpp"

namespace keras::backend::random {

namespace {

// splitmix64's finaliser: a bijective 64-bit mix, good enough for ML noise
// and cheap enough to vectorise.
inline std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The i-th 64 random bits of a draw.
inline std::uint64_t bits(std::uint64_t key, std::uint64_t i) {
  return mix(key + (i + 1) * 0x9e3779b97f4a7c15ULL);
}

// Uniform double in [0, 1) from the top 53 bits.
inline double unit(std::uint64_t b) { return static_cast<double>(b >> 11) * 0x1.0p-53; }

void check_float(const char* what, DType dtype) {
  if (!is_floating(dtype)) {
    throw Error(std::string(what) + " draws float32 or float64 values, got dtype " +
                std::string(dtype_name(dtype)) + ".");
  }
}

// Fills the tensor with f(key, i) (a double) for every element i.
template <class F>
Tensor generate(const char* what, const Shape& shape, DType dtype, std::uint64_t key, F f) {
  check_float(what, dtype);
  Tensor t = Tensor::empty(shape, dtype);
  const std::int64_t n = t.size();
  auto fill = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    cpu::parallel_for(n, 16, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) out[i] = static_cast<T>(f(key, static_cast<std::uint64_t>(i)));
    });
  };
  if (dtype == DType::float32) {
    fill(t.data<float>());
  } else {
    fill(t.data<double>());
  }
  return t;
}

// A standard normal from two uniforms (Box-Muller), using element i's own bits.
inline double standard_normal(std::uint64_t key, std::uint64_t i) {
  const std::uint64_t b = bits(key, i);
  const double u1 = (static_cast<double>(b >> 32) + 1.0) * 0x1.0p-32;  // (0, 1]
  const double u2 = static_cast<double>(b & 0xffffffffULL) * 0x1.0p-32;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace

Tensor uniform(const Shape& shape, DType dtype, double minval, double maxval,
               std::mt19937_64& generator) {
  const std::uint64_t key = generator();
  return generate("random uniform", shape, dtype, key, [=](std::uint64_t k, std::uint64_t i) {
    const double v = minval + (maxval - minval) * unit(bits(k, i));
    return v < maxval ? v : minval;  // rounding must not reach maxval
  });
}

Tensor normal(const Shape& shape, DType dtype, double mean, double stddev,
              std::mt19937_64& generator) {
  const std::uint64_t key = generator();
  return generate("random normal", shape, dtype, key, [=](std::uint64_t k, std::uint64_t i) {
    return mean + stddev * standard_normal(k, i);
  });
}

Tensor truncated_normal(const Shape& shape, DType dtype, double mean, double stddev,
                        std::mt19937_64& generator) {
  const std::uint64_t key = generator();
  return generate("truncated normal", shape, dtype, key, [=](std::uint64_t k, std::uint64_t i) {
    // Redraw from fresh streams until inside two standard deviations
    // (about 1 in 22 draws needs a second try).
    double z = standard_normal(k, i);
    for (std::uint64_t attempt = 1; std::fabs(z) > 2.0; ++attempt) {
      z = standard_normal(mix(k + attempt), i);
    }
    return mean + stddev * z;
  });
}

Tensor dropout_mask(const Shape& shape, DType dtype, double rate, std::mt19937_64& generator) {
  if (!(rate >= 0.0 && rate < 1.0)) {
    throw Error("Dropout rate must be in [0, 1), got " + std::to_string(rate) + ".");
  }
  const std::uint64_t key = generator();
  const double scale = 1.0 / (1.0 - rate);
  return generate("dropout mask", shape, dtype, key, [=](std::uint64_t k, std::uint64_t i) {
    return unit(bits(k, i)) < rate ? 0.0 : scale;
  });
}

std::vector<std::int64_t> permutation(std::int64_t n, std::mt19937_64& generator) {
  std::vector<std::int64_t> p(static_cast<std::size_t>(n < 0 ? 0 : n));
  for (std::int64_t i = 0; i < n; ++i) p[i] = i;
  for (std::int64_t i = n - 1; i > 0; --i) {
    // Unbiased index in [0, i] by rejection.
    const std::uint64_t range = static_cast<std::uint64_t>(i) + 1;
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range);
    std::uint64_t r;
    do {
      r = generator();
    } while (r >= limit);
    std::swap(p[i], p[static_cast<std::int64_t>(r % range)]);
  }
  return p;
}

Tensor uniform(const Shape& shape, DType dtype, double minval, double maxval) {
  return uniform(shape, dtype, minval, maxval, utils::random_generator());
}
Tensor normal(const Shape& shape, DType dtype, double mean, double stddev) {
  return normal(shape, dtype, mean, stddev, utils::random_generator());
}
Tensor truncated_normal(const Shape& shape, DType dtype, double mean, double stddev) {
  return truncated_normal(shape, dtype, mean, stddev, utils::random_generator());
}
Tensor dropout_mask(const Shape& shape, DType dtype, double rate) {
  return dropout_mask(shape, dtype, rate, utils::random_generator());
}
std::vector<std::int64_t> permutation(std::int64_t n) {
  return permutation(n, utils::random_generator());
}

std::mt19937_64 generator_for(std::optional<std::uint64_t> seed) {
  if (seed) return std::mt19937_64(*seed);
  return std::mt19937_64(utils::random_generator()());
}

}  // namespace keras::backend::random
