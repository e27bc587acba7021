#pragma once
// Reading one layer's Keras config (the "config" object of
// {"module", "class_name", "config", ...}) with every field checked: a missing
// field or a value of the wrong type is a keras::Error naming the class and
// the field. Each layer's from_config builder uses this.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/initializers.hpp"
#include "keras/layer.hpp"
#include "layers/layer_factory.hpp"

namespace keras::layers {

class LayerConfig {
 public:
  // Checks that config is an object; class_name names the layer in errors.
  LayerConfig(std::string class_name, const json& config);

  const std::string& class_name() const { return class_name_; }
  const json& raw() const { return config_; }
  // Present and not null.
  bool has(const std::string& field) const;

  // Required fields (throw when missing, null or of another type).
  std::string string(const std::string& field) const;
  double number(const std::string& field) const;
  std::int64_t integer(const std::string& field) const;
  bool boolean(const std::string& field) const;
  std::vector<std::int64_t> integers(const std::string& field) const;
  const json& object(const std::string& field) const;

  // Optional fields: the default when missing or null.
  std::string string(const std::string& field, const std::string& fallback) const;
  double number(const std::string& field, double fallback) const;
  std::int64_t integer(const std::string& field, std::int64_t fallback) const;
  bool boolean(const std::string& field, bool fallback) const;
  std::optional<double> optional_number(const std::string& field) const;
  std::optional<std::uint64_t> seed(const std::string& field) const;
  // A list of integers and nulls (a shape whose None entries are keras::None).
  std::optional<Shape> optional_shape(const std::string& field) const;
  // An initializer given as a name or as {"class_name", "config"}.
  initializers::Initializer initializer(const std::string& field,
                                        const std::string& fallback) const;
  // An axis or a list of axes (Keras writes either: -1, [-1], [1, 2]), each
  // checked to be an axis of some tensor; the fallback when missing or null.
  std::vector<int> axes(const std::string& field, std::vector<int> fallback) const;
  // An activation name ("relu"); null means "linear".
  std::string activation(const std::string& field) const;
  // A regularizer or constraint given as a name or as {"class_name", "config"};
  // missing or null gives an undefined one (Keras' None).
  regularizers::Regularizer regularizer(const std::string& field) const;
  constraints::Constraint constraint(const std::string& field) const;

  // Fields every layer has: name (required), trainable (default true), and a
  // dtype policy, which must be float32 (kerascpp has no mixed precision yet).
  struct Common {
    std::string name;
    bool trainable = true;
  };
  Common common() const;
  // Throws when a field kerascpp does not implement holds anything but null
  // (a regularizer, a constraint): ignoring it would change the model.
  void require_null(const std::string& field) const;

  // "Dense config field \"units\"": how errors name a field.
  std::string where(const std::string& field) const;

 private:
  const json& field(const std::string& name) const;  // throws when missing or null
  [[noreturn]] void wrong_type(const std::string& name, const std::string& expected) const;

  std::string class_name_;
  const json& config_;
};

// Reads an initializer from its serialized form; context names it in errors.
initializers::Initializer initializer_from_config(const json& value, const std::string& context);
// The same for regularizers (L1, L2, L1L2, OrthogonalRegularizer) and
// constraints (MaxNorm, NonNeg, UnitNorm, MinMaxNorm).
regularizers::Regularizer regularizer_from_config(const json& value, const std::string& context);
constraints::Constraint constraint_from_config(const json& value, const std::string& context);
// A shape (list of ints and nulls) or a list of shapes, as build_config's
// "input_shape" holds them.
std::vector<Shape> shapes_from_config(const json& value, const std::string& context);

// The builders of the built-in layers, one per class, each defined next to its
// layer (src/layers/<layer>.cpp) and registered in layer_factory.cpp.
using LayerBuilder = std::shared_ptr<LayerImpl> (*)(const LayerConfig&);

std::shared_ptr<LayerImpl> activation_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> add_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> bidirectional_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> embedding_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> masking_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> gru_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> lstm_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> simple_rnn_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> concatenate_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> dense_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> dropout_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> flatten_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> input_layer_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> leaky_relu_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> permute_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> relu_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> repeat_vector_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> rescaling_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> reshape_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> softmax_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> time_distributed_from_config(const LayerConfig& config);
// Normalization, merging and regularization layers.
std::shared_ptr<LayerImpl> activity_regularization_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> average_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> batch_normalization_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> dot_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> gaussian_noise_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> group_normalization_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> layer_normalization_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> maximum_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> minimum_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> multiply_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> spatial_dropout1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> spatial_dropout2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> subtract_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> unit_normalization_from_config(const LayerConfig& config);
// Convolution, pooling and spatial reshaping layers.
std::shared_ptr<LayerImpl> average_pooling1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> average_pooling2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> conv1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> conv2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> conv2d_transpose_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> cropping2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> depthwise_conv2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> global_average_pooling1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> global_average_pooling2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> global_max_pooling1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> global_max_pooling2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> max_pooling1d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> max_pooling2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> separable_conv2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> up_sampling2d_from_config(const LayerConfig& config);
std::shared_ptr<LayerImpl> zero_padding2d_from_config(const LayerConfig& config);

}  // namespace keras::layers
