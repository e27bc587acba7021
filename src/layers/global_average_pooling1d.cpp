// GlobalAveragePooling1D (keras/src/layers/pooling/global_average_pooling1d.py): BaseGlobalPooling,
// average mode.
#include "keras/layers/global_average_pooling1d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

GlobalAveragePooling1D::GlobalAveragePooling1D(GlobalAveragePooling1DOptions options) {
  impl_ = make_global_pooling("GlobalAveragePooling1D", 1, PoolMode::average, options.data_format,
                              options.keepdims, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> global_average_pooling1d_from_config(const LayerConfig& c) {
  const GlobalPoolingConfig g = global_pooling_config(c);
  return GlobalAveragePooling1D({.data_format = g.data_format,
                                 .keepdims = g.keepdims,
                                 .name = g.name,
                                 .trainable = g.trainable})
      .ptr();
}

}  // namespace keras::layers
