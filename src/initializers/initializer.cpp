#include <algorithm>
#include <vector>

#include "keras/initializers.hpp"

namespace keras::initializers {

Initializer::Initializer(std::string class_name, std::map<std::string, double> config, Fn fn)
    : class_name_(std::move(class_name)), config_(std::move(config)), fn_(std::move(fn)) {}

Initializer::Initializer(std::string class_name, std::map<std::string, double> config,
                         std::map<std::string, std::string> string_config, Fn fn)
    : class_name_(std::move(class_name)),
      config_(std::move(config)),
      string_config_(std::move(string_config)),
      fn_(std::move(fn)) {}

Initializer::Initializer(const char* name) : Initializer(get(name)) {}

Initializer::Initializer(const std::string& name) : Initializer(get(name)) {}

Tensor Initializer::operator()(const Shape& shape, DType dtype) const {
  if (!shape.is_fully_defined()) {
    throw Error(class_name_ + " cannot initialize a weight of shape " + shape.to_string() +
                ": every dimension must be known.");
  }
  return fn_(shape, dtype);
}

namespace {

struct Entry {
  const char* class_name;
  const char* snake_name;
  Initializer (*make)();
};

// Keras' ALL_OBJECTS_DICT: each class by its name and its snake_case name.
const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {"Constant", "constant", [] { return Constant(0.0); }},
      {"GlorotNormal", "glorot_normal", [] { return GlorotNormal(); }},
      {"GlorotUniform", "glorot_uniform", [] { return GlorotUniform(); }},
      {"HeNormal", "he_normal", [] { return HeNormal(); }},
      {"HeUniform", "he_uniform", [] { return HeUniform(); }},
      {"Identity", "identity", [] { return Identity(); }},
      {"LecunNormal", "lecun_normal", [] { return LecunNormal(); }},
      {"LecunUniform", "lecun_uniform", [] { return LecunUniform(); }},
      {"Ones", "ones", [] { return Ones(); }},
      {"Orthogonal", "orthogonal", [] { return Orthogonal(); }},
      {"RandomNormal", "random_normal", [] { return RandomNormal(); }},
      {"RandomUniform", "random_uniform", [] { return RandomUniform(); }},
      {"TruncatedNormal", "truncated_normal", [] { return TruncatedNormal(); }},
      {"VarianceScaling", "variance_scaling", [] { return VarianceScaling(); }},
      {"Zeros", "zeros", [] { return Zeros(); }},
  };
  return entries;
}

// Keras' extra aliases, kept for compatibility with older configs.
const std::vector<std::pair<const char*, const char*>>& aliases() {
  static const std::vector<std::pair<const char*, const char*>> entries = {
      {"IdentityInitializer", "Identity"},     {"normal", "RandomNormal"},   {"one", "Ones"},
      {"OrthogonalInitializer", "Orthogonal"}, {"uniform", "RandomUniform"}, {"zero", "Zeros"},
  };
  return entries;
}

}  // namespace

Initializer get(const std::string& name) {
  std::string wanted = name;
  for (const auto& [alias, target] : aliases()) {
    if (wanted == alias) wanted = target;
  }
  for (const auto& e : registry()) {
    if (wanted == e.class_name || wanted == e.snake_name) return e.make();
  }
  std::string known;
  for (const auto& e : registry()) {
    known += (known.empty() ? "" : ", ") + std::string("\"") + e.snake_name + "\"";
  }
  throw Error("Unknown initializer \"" + name + "\". Known initializers: " + known +
              " (or their class names, such as \"GlorotUniform\").");
}

}  // namespace keras::initializers
