// GlobalMaxPooling1D (keras/src/layers/pooling/global_max_pooling1d.py): BaseGlobalPooling, max
// mode.
#include "keras/layers/global_max_pooling1d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

GlobalMaxPooling1D::GlobalMaxPooling1D(GlobalMaxPooling1DOptions options) {
  impl_ = make_global_pooling("GlobalMaxPooling1D", 1, PoolMode::max, options.data_format,
                              options.keepdims, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> global_max_pooling1d_from_config(const LayerConfig& c) {
  const GlobalPoolingConfig g = global_pooling_config(c);
  return GlobalMaxPooling1D({.data_format = g.data_format,
                             .keepdims = g.keepdims,
                             .name = g.name,
                             .trainable = g.trainable})
      .ptr();
}

}  // namespace keras::layers
