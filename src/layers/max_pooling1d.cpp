// MaxPooling1D (keras/src/layers/pooling/max_pooling1d.py): BasePooling, max mode.
#include "keras/layers/max_pooling1d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

MaxPooling1D::MaxPooling1D(MaxPooling1DOptions options) {
  impl_ = make_pooling(pooling_args("MaxPooling1D", 1, PoolMode::max, options.pool_size, options));
}

std::shared_ptr<LayerImpl> max_pooling1d_from_config(const LayerConfig& c) {
  MaxPooling1DOptions o = pooling_options_from_config<MaxPooling1DOptions>(c);
  o.pool_size = tuple_field(c, "pool_size", o.pool_size);
  return MaxPooling1D(o).ptr();
}

}  // namespace keras::layers
