// AveragePooling2D (keras/src/layers/pooling/average_pooling2d.py): BasePooling, average mode.
#include "keras/layers/average_pooling2d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

AveragePooling2D::AveragePooling2D(IntTuple pool_size, AveragePooling2DOptions options) {
  impl_ = make_pooling(pooling_args("AveragePooling2D", 2, PoolMode::average, pool_size, options));
}

std::shared_ptr<LayerImpl> average_pooling2d_from_config(const LayerConfig& c) {
  return AveragePooling2D(tuple_field(c, "pool_size"),
                          pooling_options_from_config<AveragePooling2DOptions>(c))
      .ptr();
}

}  // namespace keras::layers
