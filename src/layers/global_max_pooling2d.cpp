// GlobalMaxPooling2D (keras/src/layers/pooling/global_max_pooling2d.py): BaseGlobalPooling, max
// mode.
#include "keras/layers/global_max_pooling2d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

GlobalMaxPooling2D::GlobalMaxPooling2D(GlobalMaxPooling2DOptions options) {
  impl_ = make_global_pooling("GlobalMaxPooling2D", 2, PoolMode::max, options.data_format,
                              options.keepdims, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> global_max_pooling2d_from_config(const LayerConfig& c) {
  const GlobalPoolingConfig g = global_pooling_config(c);
  return GlobalMaxPooling2D({.data_format = g.data_format,
                             .keepdims = g.keepdims,
                             .name = g.name,
                             .trainable = g.trainable})
      .ptr();
}

}  // namespace keras::layers
