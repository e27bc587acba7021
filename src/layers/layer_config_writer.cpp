// ConfigWriter and serialize_layer: Keras' get_config / serialize_keras_object
// for layers, initializers, regularizers and constraints
// (keras/src/saving/serialization_lib.py).
#include "layers/layer_config_writer.hpp"

#include <cmath>
#include <cstdint>

#include "keras/error.hpp"
#include "layers/custom_layers.hpp"

namespace keras::detail {

namespace {

json keras_object(const std::string& module, const std::string& class_name, json config) {
  json out = json::object();
  out["module"] = module;
  out["class_name"] = class_name;
  out["config"] = std::move(config);
  out["registered_name"] = nullptr;
  return out;
}

double config_number(const std::map<std::string, double>& config, const std::string& key,
                     double fallback) {
  auto it = config.find(key);
  return it == config.end() ? fallback : it->second;
}

// Keras keeps some arguments in float32 tensors (L1's l1,
// OrthogonalRegularizer's factor) and writes float(tensor): the float32 value.
double as_float32(double value) { return static_cast<double>(static_cast<float>(value)); }

// A seed as Keras writes it: an integer, or null.
json seed_json(const std::map<std::string, double>& config) {
  auto it = config.find("seed");
  if (it == config.end()) return nullptr;
  return static_cast<std::int64_t>(it->second);
}

// One axis as an integer, several as a list (Keras keeps what it was given;
// kerascpp cannot tell [0] from 0 and writes 0).
json axis_json(const std::vector<int>& axes) {
  if (axes.size() == 1) return axes[0];
  json out = json::array();
  for (int a : axes) out.push_back(a);
  return out;
}

}  // namespace

json dtype_policy() { return keras_object("keras", "DTypePolicy", json{{"name", "float32"}}); }

json shape_json(const Shape& shape) {
  json out = json::array();
  for (std::int64_t d : shape) {
    if (d == None) {
      out.push_back(nullptr);
    } else {
      out.push_back(d);
    }
  }
  return out;
}

json shapes_json(const std::vector<Shape>& shapes) {
  json out = json::array();
  for (const Shape& s : shapes) out.push_back(shape_json(s));
  return out;
}

json initializer_json(const initializers::Initializer& value) {
  const std::string& c = value.class_name();
  const auto& numbers = value.config();
  const auto& strings = value.string_config();
  json config = json::object();
  if (c == "Zeros" || c == "Ones" || c == "Identity") {
    // Keras' Identity has no get_config of its own: its config is {}.
  } else if (c == "Constant") {
    config["value"] = config_number(numbers, "value", 0.0);
  } else if (c == "RandomNormal" || c == "TruncatedNormal") {
    config["seed"] = seed_json(numbers);
    config["mean"] = config_number(numbers, "mean", 0.0);
    config["stddev"] = config_number(numbers, "stddev", 0.05);
  } else if (c == "RandomUniform") {
    config["seed"] = seed_json(numbers);
    config["minval"] = config_number(numbers, "minval", -0.05);
    config["maxval"] = config_number(numbers, "maxval", 0.05);
  } else if (c == "Orthogonal") {
    config["seed"] = seed_json(numbers);
    config["gain"] = config_number(numbers, "gain", 1.0);
  } else if (c == "VarianceScaling") {
    config["seed"] = seed_json(numbers);
    config["scale"] = config_number(numbers, "scale", 1.0);
    auto mode = strings.find("mode");
    auto distribution = strings.find("distribution");
    config["mode"] = mode == strings.end() ? "fan_in" : mode->second;
    config["distribution"] =
        distribution == strings.end() ? "truncated_normal" : distribution->second;
    config["input_axes"] = nullptr;
    config["output_axes"] = nullptr;
  } else if (c == "GlorotUniform" || c == "GlorotNormal" || c == "HeNormal" || c == "HeUniform" ||
             c == "LecunNormal" || c == "LecunUniform") {
    config["seed"] = seed_json(numbers);
    config["input_axes"] = nullptr;
    config["output_axes"] = nullptr;
  } else {
    throw Error("Initializer class \"" + c + "\" cannot be written to a config yet.");
  }
  return keras_object("keras.initializers", c, std::move(config));
}

json regularizer_json(const regularizers::Regularizer& value) {
  if (!value.defined()) return nullptr;
  const std::string& c = value.class_name();
  const auto& numbers = value.config();
  json config = json::object();
  if (c == "L1") {
    config["l1"] = as_float32(config_number(numbers, "l1", 0.01));
  } else if (c == "L2") {
    config["l2"] = config_number(numbers, "l2", 0.01);
  } else if (c == "L1L2") {
    config["l1"] = config_number(numbers, "l1", 0.0);
    config["l2"] = config_number(numbers, "l2", 0.0);
  } else if (c == "OrthogonalRegularizer") {
    config["factor"] = as_float32(config_number(numbers, "factor", 0.01));
    auto mode = value.string_config().find("mode");
    config["mode"] = mode == value.string_config().end() ? "rows" : mode->second;
  } else {
    throw Error("Regularizer class \"" + c + "\" cannot be written to a config yet.");
  }
  return keras_object("keras.regularizers", c, std::move(config));
}

json constraint_json(const constraints::Constraint& value) {
  if (!value.defined()) return nullptr;
  const std::string& c = value.class_name();
  const auto& numbers = value.config();
  json config = json::object();
  if (c == "MaxNorm") {
    config["max_value"] = config_number(numbers, "max_value", 2.0);
    config["axis"] = axis_json(value.axes());
  } else if (c == "NonNeg") {
  } else if (c == "UnitNorm") {
    config["axis"] = axis_json(value.axes());
  } else if (c == "MinMaxNorm") {
    config["min_value"] = config_number(numbers, "min_value", 0.0);
    config["max_value"] = config_number(numbers, "max_value", 1.0);
    config["rate"] = config_number(numbers, "rate", 1.0);
    config["axis"] = axis_json(value.axes());
  } else {
    throw Error("Constraint class \"" + c + "\" cannot be written to a config yet.");
  }
  return keras_object("keras.constraints", c, std::move(config));
}

// ---- ConfigWriter ----

ConfigWriter::ConfigWriter(const LayerImpl& layer) : layer_(layer) {}

ConfigWriter& ConfigWriter::name_and_trainable() {
  config_["name"] = layer_.name();
  config_["trainable"] = layer_.trainable();
  return *this;
}

ConfigWriter& ConfigWriter::base() {
  name_and_trainable();
  config_["dtype"] = dtype_policy();
  if (layer_.activity_regularizer().defined()) {
    config_["activity_regularizer"] = regularizer_json(layer_.activity_regularizer());
  }
  return *this;
}

ConfigWriter& ConfigWriter::set(const std::string& key, json value) {
  config_[key] = std::move(value);
  return *this;
}

ConfigWriter& ConfigWriter::shape(const std::string& key, const Shape& value) {
  return set(key, shape_json(value));
}

ConfigWriter& ConfigWriter::initializer(const std::string& key,
                                        const initializers::Initializer& value) {
  return set(key, initializer_json(value));
}

ConfigWriter& ConfigWriter::regularizer(const std::string& key,
                                        const regularizers::Regularizer& value) {
  return set(key, regularizer_json(value));
}

ConfigWriter& ConfigWriter::constraint(const std::string& key,
                                       const constraints::Constraint& value) {
  return set(key, constraint_json(value));
}

ConfigWriter& ConfigWriter::sublayer(const std::string& key, const LayerImpl& layer) {
  return set(key, serialize_layer(layer).object);
}

ConfigWriter& ConfigWriter::without_build_config() {
  default_build_config_ = false;
  build_config_.reset();
  return *this;
}

ConfigWriter& ConfigWriter::build_config(json value) {
  default_build_config_ = false;
  build_config_ = std::move(value);
  return *this;
}

ConfigWriter& ConfigWriter::compile_config(json value) {
  compile_config_ = std::move(value);
  return *this;
}

ConfigWriter& ConfigWriter::module(json value) {
  module_ = std::move(value);
  return *this;
}

ConfigWriter& ConfigWriter::registered_name(json value) {
  registered_name_ = std::move(value);
  return *this;
}

ConfigWriter& ConfigWriter::call_arguments(CallArguments value) {
  call_arguments_ = value;
  return *this;
}

json ConfigWriter::object() const {
  json out = json::object();
  out["module"] = module_;
  out["class_name"] = layer_.class_name();
  out["config"] = config_;
  out["registered_name"] = registered_name_;
  if (build_config_) {
    out["build_config"] = *build_config_;
  } else if (default_build_config_ && layer_.built() && !layer_.build_shapes().empty()) {
    // Keras' get_build_config: the one shape a layer was built with, or the
    // list of shapes of a layer called on a list.
    const auto& shapes = layer_.build_shapes();
    const bool list = shapes.size() > 1 || layer_.num_inputs() == -1;
    out["build_config"] = json{{"input_shape", list ? shapes_json(shapes) : shape_json(shapes[0])}};
  }
  if (compile_config_) out["compile_config"] = *compile_config_;
  return out;
}

SerializedLayer serialize_layer(const LayerImpl& layer) {
  ConfigWriter writer(layer);
  if (!layers::write_custom_config(layer, writer)) layer.write_config(writer);
  return {writer.object(), writer.call_args()};
}

}  // namespace keras::detail
