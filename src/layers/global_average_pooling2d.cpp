// GlobalAveragePooling2D (keras/src/layers/pooling/global_average_pooling2d.py): BaseGlobalPooling,
// average mode.
#include "keras/layers/global_average_pooling2d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalAveragePooling2DOptions options) {
  impl_ = make_global_pooling("GlobalAveragePooling2D", 2, PoolMode::average, options.data_format,
                              options.keepdims, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> global_average_pooling2d_from_config(const LayerConfig& c) {
  const GlobalPoolingConfig g = global_pooling_config(c);
  return GlobalAveragePooling2D({.data_format = g.data_format,
                                 .keepdims = g.keepdims,
                                 .name = g.name,
                                 .trainable = g.trainable})
      .ptr();
}

}  // namespace keras::layers
