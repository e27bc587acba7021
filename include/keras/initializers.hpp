#pragma once
// Weight initializers with Keras' names and defaults: "glorot_uniform",
// "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
// "orthogonal", "zeros", "ones", "random_normal", "random_uniform",
// "truncated_normal", "identity", "constant", "variance_scaling".
// Draws use the global seed (keras::utils::set_random_seed) unless a seed is given.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "keras/tensor.hpp"

namespace keras::initializers {

class Initializer {
 public:
  using Fn = std::function<Tensor(const Shape&, DType)>;
  // The Keras class name ("GlorotUniform"), its numeric config, and the draw.
  Initializer(std::string class_name, std::map<std::string, double> config, Fn fn);
  // With string-valued config entries too (VarianceScaling's "mode", "distribution").
  Initializer(std::string class_name, std::map<std::string, double> config,
              std::map<std::string, std::string> string_config, Fn fn);
  // By Keras name or class name, with default arguments: Initializer("he_normal").
  Initializer(const char* name);         // NOLINT: implicit, as Keras accepts a string
  Initializer(const std::string& name);  // NOLINT

  Tensor operator()(const Shape& shape, DType dtype = DType::float32) const;
  const std::string& class_name() const { return class_name_; }
  const std::map<std::string, double>& config() const { return config_; }
  const std::map<std::string, std::string>& string_config() const { return string_config_; }

 private:
  std::string class_name_;
  std::map<std::string, double> config_;
  std::map<std::string, std::string> string_config_;
  Fn fn_;
};

// Throws keras::Error listing the known names when name is unknown.
Initializer get(const std::string& name);

Initializer Zeros();
Initializer Ones();
Initializer Constant(double value);
Initializer RandomNormal(double mean = 0.0, double stddev = 0.05,
                         std::optional<std::uint64_t> seed = {});
Initializer RandomUniform(double minval = -0.05, double maxval = 0.05,
                          std::optional<std::uint64_t> seed = {});
Initializer TruncatedNormal(double mean = 0.0, double stddev = 0.05,
                            std::optional<std::uint64_t> seed = {});
// mode "fan_in" | "fan_out" | "fan_avg"; distribution "truncated_normal" |
// "untruncated_normal" | "uniform".
Initializer VarianceScaling(double scale = 1.0, const std::string& mode = "fan_in",
                            const std::string& distribution = "truncated_normal",
                            std::optional<std::uint64_t> seed = {});
Initializer GlorotUniform(std::optional<std::uint64_t> seed = {});
Initializer GlorotNormal(std::optional<std::uint64_t> seed = {});
Initializer HeNormal(std::optional<std::uint64_t> seed = {});
Initializer HeUniform(std::optional<std::uint64_t> seed = {});
Initializer LecunNormal(std::optional<std::uint64_t> seed = {});
Initializer LecunUniform(std::optional<std::uint64_t> seed = {});
Initializer Orthogonal(double gain = 1.0, std::optional<std::uint64_t> seed = {});
Initializer Identity(double gain = 1.0);

}  // namespace keras::initializers
