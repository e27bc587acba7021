// SpatialDropout2D (keras/src/layers/regularization/spatial_dropout.py).
#include "keras/layers/spatial_dropout2d.hpp"

#include "layers/layer_config.hpp"
#include "layers/spatial_dropout.hpp"

namespace keras::layers {

SpatialDropout2D::SpatialDropout2D(double rate, SpatialDropout2DOptions options) {
  check_dropout_rate("SpatialDropout2D", rate);
  const std::string format = options.data_format.empty() ? "channels_last" : options.data_format;
  if (format != "channels_last" && format != "channels_first") {
    throw Error(
        "SpatialDropout2D: the `data_format` argument must be one of {'channels_first', "
        "'channels_last'}. Received: data_format=" +
        options.data_format);
  }
  impl_ = std::make_shared<SpatialDropoutImpl>("SpatialDropout2D", rate, 4,
                                               format == "channels_last" ? 3 : 1, format,
                                               options.seed, options.name, options.trainable);
}

// Keras' get_config writes rate, seed, name, dtype and data_format (no "trainable").
std::shared_ptr<LayerImpl> spatial_dropout2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return SpatialDropout2D(c.number("rate"), {.data_format = c.string("data_format", ""),
                                             .seed = c.seed("seed"),
                                             .name = common.name,
                                             .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
