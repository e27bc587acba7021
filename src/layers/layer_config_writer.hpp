#pragma once
// Writing a layer's Keras config: the inverse of layer_config.hpp. Each layer's
// write_config (LayerImpl::write_config) fills a ConfigWriter with the fields
// of Keras' get_config(), in Keras' order; serialize_layer() wraps them as
// keras.saving.serialize_keras_object does:
//   {"module": "keras.layers", "class_name": "Dense", "config": {...},
//    "registered_name": null, "build_config": {"input_shape": [...]}}
// Numbers are written as Keras holds them (a float32 value Keras keeps in a
// tensor is written as that float32 value), so that the JSON values equal
// those in Keras' own config.json.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/constraints.hpp"
#include "keras/initializers.hpp"
#include "keras/layer.hpp"
#include "keras/regularizers.hpp"

namespace keras::detail {

using json = nlohmann::ordered_json;

// The keyword arguments Keras' Layer.__call__ records for a symbolic call
// (a node's "kwargs" in a Functional config), which follow the layer's call
// signature in Keras 3.15:
//   training=False recorded: Dropout, GaussianNoise, SpatialDropout1D/2D,
//     LSTM, GRU, SimpleRNN (their call() defaults training to False);
//   mask=None recorded: Softmax, TimeDistributed, Bidirectional, LSTM, GRU,
//     SimpleRNN, BatchNormalization, GlobalAveragePooling1D, models;
//   nothing: the others (Dense's training=None is not recorded).
struct CallArguments {
  bool training = false;
  bool mask = false;
};

class ConfigWriter {
 public:
  explicit ConfigWriter(const LayerImpl& layer);

  const LayerImpl& layer() const { return layer_; }

  // Keras' base Layer.get_config(): name, trainable, the float32 dtype
  // policy, and activity_regularizer when the layer has one.
  ConfigWriter& base();
  // Only name and trainable (a model's base config has no dtype).
  ConfigWriter& name_and_trainable();
  ConfigWriter& set(const std::string& key, json value);
  ConfigWriter& shape(const std::string& key, const Shape& shape);  // None as null
  ConfigWriter& initializer(const std::string& key, const initializers::Initializer& value);
  // Undefined (Keras' None) is written as null.
  ConfigWriter& regularizer(const std::string& key, const regularizers::Regularizer& value);
  ConfigWriter& constraint(const std::string& key, const constraints::Constraint& value);
  // A sub-layer, serialized whole (TimeDistributed's "layer").
  ConfigWriter& sublayer(const std::string& key, const LayerImpl& layer);

  // Layers whose build() Keras does not override (Activation, Dropout, ...)
  // have no build_config.
  ConfigWriter& without_build_config();
  // Replaces the default build_config ({"input_shape": the build shapes}).
  ConfigWriter& build_config(json value);
  ConfigWriter& compile_config(json value);
  ConfigWriter& module(json value);  // null for a custom class
  ConfigWriter& registered_name(json value);
  ConfigWriter& call_arguments(CallArguments value);

  json& config() { return config_; }
  const json& config() const { return config_; }
  const CallArguments& call_args() const { return call_arguments_; }

  // The whole serialized object; call after write_config.
  json object() const;

 private:
  const LayerImpl& layer_;
  json config_ = json::object();
  json module_ = "keras.layers";
  json registered_name_ = nullptr;
  bool default_build_config_ = true;
  std::optional<json> build_config_;
  std::optional<json> compile_config_;
  CallArguments call_arguments_;
};

// The float32 dtype policy object every layer config holds.
json dtype_policy();
// A shape as Keras writes it: a list of integers, null for None.
json shape_json(const Shape& shape);
json shapes_json(const std::vector<Shape>& shapes);
json initializer_json(const initializers::Initializer& value);
json regularizer_json(const regularizers::Regularizer& value);
json constraint_json(const constraints::Constraint& value);

// A layer serialized with its write_config, and how Keras records its calls.
struct SerializedLayer {
  json object;
  CallArguments call_arguments;
};
// Keras' serialize_keras_object(layer). Throws keras::Error naming the
// layer when it has no config writer yet.
SerializedLayer serialize_layer(const LayerImpl& layer);

}  // namespace keras::detail
