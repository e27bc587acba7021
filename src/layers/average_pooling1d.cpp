// AveragePooling1D (keras/src/layers/pooling/average_pooling1d.py): BasePooling, average mode.
#include "keras/layers/average_pooling1d.hpp"

#include "layers/base_pooling.hpp"

namespace keras::layers {

AveragePooling1D::AveragePooling1D(IntTuple pool_size, AveragePooling1DOptions options) {
  impl_ = make_pooling(pooling_args("AveragePooling1D", 1, PoolMode::average, pool_size, options));
}

std::shared_ptr<LayerImpl> average_pooling1d_from_config(const LayerConfig& c) {
  return AveragePooling1D(tuple_field(c, "pool_size"),
                          pooling_options_from_config<AveragePooling1DOptions>(c))
      .ptr();
}

}  // namespace keras::layers
