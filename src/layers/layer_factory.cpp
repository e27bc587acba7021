// layer_from_config: Keras' layer deserialization for the built-in layers.
// To add a layer: define <layer>_from_config next to it, declare it in
// layer_config.hpp and add one line to builders() below.
#include "layers/layer_factory.hpp"

#include <map>

#include "keras/layers/input_layer.hpp"
#include "layers/custom_layers.hpp"
#include "layers/layer_config.hpp"

namespace keras::layers {

namespace {

const std::map<std::string, LayerBuilder>& builders() {
  static const std::map<std::string, LayerBuilder> table = {
      {"Activation", activation_from_config},
      {"Add", add_from_config},
      {"Bidirectional", bidirectional_from_config},
      {"Embedding", embedding_from_config},
      {"Masking", masking_from_config},
      {"GRU", gru_from_config},
      {"LSTM", lstm_from_config},
      {"SimpleRNN", simple_rnn_from_config},
      {"Concatenate", concatenate_from_config},
      {"Dense", dense_from_config},
      {"Dropout", dropout_from_config},
      {"Flatten", flatten_from_config},
      {"InputLayer", input_layer_from_config},
      {"LeakyReLU", leaky_relu_from_config},
      {"Permute", permute_from_config},
      {"ReLU", relu_from_config},
      {"RepeatVector", repeat_vector_from_config},
      {"Rescaling", rescaling_from_config},
      {"Reshape", reshape_from_config},
      {"Softmax", softmax_from_config},
      {"TimeDistributed", time_distributed_from_config},
      // Normalization, merging and regularization layers.
      {"ActivityRegularization", activity_regularization_from_config},
      {"Average", average_from_config},
      {"BatchNormalization", batch_normalization_from_config},
      {"Dot", dot_from_config},
      {"GaussianNoise", gaussian_noise_from_config},
      {"GroupNormalization", group_normalization_from_config},
      {"LayerNormalization", layer_normalization_from_config},
      {"Maximum", maximum_from_config},
      {"Minimum", minimum_from_config},
      {"Multiply", multiply_from_config},
      {"SpatialDropout1D", spatial_dropout1d_from_config},
      {"SpatialDropout2D", spatial_dropout2d_from_config},
      {"Subtract", subtract_from_config},
      {"UnitNormalization", unit_normalization_from_config},
      // Convolution, pooling and spatial reshaping layers.
      {"AveragePooling1D", average_pooling1d_from_config},
      {"AveragePooling2D", average_pooling2d_from_config},
      {"Conv1D", conv1d_from_config},
      {"Conv2D", conv2d_from_config},
      {"Conv2DTranspose", conv2d_transpose_from_config},
      {"Cropping2D", cropping2d_from_config},
      {"DepthwiseConv2D", depthwise_conv2d_from_config},
      {"GlobalAveragePooling1D", global_average_pooling1d_from_config},
      {"GlobalAveragePooling2D", global_average_pooling2d_from_config},
      {"GlobalMaxPooling1D", global_max_pooling1d_from_config},
      {"GlobalMaxPooling2D", global_max_pooling2d_from_config},
      {"MaxPooling1D", max_pooling1d_from_config},
      {"MaxPooling2D", max_pooling2d_from_config},
      {"SeparableConv2D", separable_conv2d_from_config},
      {"UpSampling2D", up_sampling2d_from_config},
      {"ZeroPadding2D", zero_padding2d_from_config},
  };
  return table;
}

std::string supported_classes() {
  std::string out;
  for (const auto& [name, builder] : builders()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// A class neither built in nor registered: a custom class of the file's
// author (registered_name "package>Class") needs register_layer.
std::string unknown_class_message(const json& object, const std::string& class_name) {
  std::string registered;
  if (object.contains("registered_name") && object.at("registered_name").is_string()) {
    registered = object.at("registered_name").get<std::string>();
  }
  std::string message = "Unknown layer class \"" + class_name + "\"";
  if (!registered.empty() && registered != class_name) {
    message += " (registered as \"" + registered +
               "\"): register your C++ class for it with keras::register_layer<" + class_name +
               "Impl>(\"" + registered + "\") before loading.";
  } else {
    message += ".";
  }
  return message + " kerascpp can read these layers: " + supported_classes() + ".";
}

}  // namespace

std::shared_ptr<LayerImpl> input_layer_from_config(const LayerConfig& c) {
  // Keras 3 writes batch_shape; Keras 2 files batch_input_shape.
  const char* field =
      c.has("batch_shape") || !c.has("batch_input_shape") ? "batch_shape" : "batch_input_shape";
  const std::optional<Shape> batch_shape = c.optional_shape(field);
  if (!batch_shape) throw Error(c.where(field) + " is missing.");
  for (const char* flag : {"sparse", "ragged"}) {
    if (c.boolean(flag, false)) {
      throw Error(c.where(flag) + " is true; kerascpp has no sparse or ragged tensors.");
    }
  }
  return InputLayer(*batch_shape, c.string("dtype", "float32"), c.string("name")).ptr();
}

std::vector<std::string> registered_layer_classes() {
  std::vector<std::string> out;
  for (const auto& [name, builder] : builders()) out.push_back(name);
  return out;
}

std::shared_ptr<LayerImpl> layer_from_config(const json& object) {
  if (!object.is_object() || !object.contains("class_name") ||
      !object.at("class_name").is_string()) {
    throw Error(
        "A layer config must be an object with a \"class_name\" string and a \"config\" "
        "object.");
  }
  const std::string class_name = object.at("class_name").get<std::string>();
  std::shared_ptr<LayerImpl> layer = custom_layer_from_config(object);
  if (!layer) {
    const auto found = builders().find(class_name);
    if (found == builders().end()) throw Error(unknown_class_message(object, class_name));
    if (!object.contains("config")) throw Error(class_name + " layer object has no \"config\".");
    layer = found->second(LayerConfig(class_name, object.at("config")));
  }
  // Any layer may carry an activity regularizer (Keras' base Layer argument).
  const LayerConfig config(class_name, object.at("config"));
  if (config.has("activity_regularizer")) {
    layer->set_activity_regularizer(config.regularizer("activity_regularizer"));
  }
  // As Keras' deserialize_keras_object: a saved build_config builds the layer
  // (creating its weights) before any call.
  if (object.contains("build_config") && object.at("build_config").is_object()) {
    const json& build = object.at("build_config");
    const std::string context = class_name + " \"" + layer->name() + "\" build_config";
    if (build.contains("input_shape") && !build.at("input_shape").is_null()) {
      layer->maybe_build(shapes_from_config(build.at("input_shape"), context));
    } else if (build.contains("shapes_dict") && build.at("shapes_dict").is_object()) {
      // Keras' build(sequences_shape, initial_state_shape) of a recurrent
      // layer called with initial states; kerascpp's build takes them as one
      // list, the sequences first.
      const json& dict = build.at("shapes_dict");
      if (dict.contains("sequences_shape")) {
        std::vector<Shape> shapes = shapes_from_config(dict.at("sequences_shape"), context);
        if (dict.contains("initial_state_shape") && !dict.at("initial_state_shape").is_null()) {
          for (Shape& s : shapes_from_config(dict.at("initial_state_shape"), context)) {
            shapes.push_back(std::move(s));
          }
        }
        layer->maybe_build(shapes);
      }
    }
  }
  return layer;
}

}  // namespace keras::layers
