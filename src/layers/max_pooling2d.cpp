// MaxPooling2D (keras/src/layers/pooling/max_pooling2d.py): BasePooling, max mode.
#include "keras/layers/max_pooling2d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

MaxPooling2D::MaxPooling2D(MaxPooling2DOptions options) {
  impl_ = make_pooling(pooling_args("MaxPooling2D", 2, PoolMode::max, options.pool_size, options));
}

std::shared_ptr<LayerImpl> max_pooling2d_from_config(const LayerConfig& c) {
  MaxPooling2DOptions o = pooling_options_from_config<MaxPooling2DOptions>(c);
  o.pool_size = tuple_field(c, "pool_size", o.pool_size);
  return MaxPooling2D(o).ptr();
}

}  // namespace keras::layers
