// SpatialDropout1D (keras/src/layers/regularization/spatial_dropout.py).
#include "keras/layers/spatial_dropout1d.hpp"

#include "layers/layer_config.hpp"
#include "layers/spatial_dropout.hpp"

namespace keras::layers {

SpatialDropout1D::SpatialDropout1D(double rate, SpatialDropout1DOptions options) {
  check_dropout_rate("SpatialDropout1D", rate);
  impl_ = std::make_shared<SpatialDropoutImpl>("SpatialDropout1D", rate, 3, 2, "", options.seed,
                                               options.name, options.trainable);
}

// Keras' BaseSpatialDropout.get_config writes rate, seed, name and dtype
// (and data_format for 2D), without "trainable".
std::shared_ptr<LayerImpl> spatial_dropout1d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return SpatialDropout1D(
             c.number("rate"),
             {.seed = c.seed("seed"), .name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
