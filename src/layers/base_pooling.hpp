#pragma once
// BasePooling and BaseGlobalPooling (keras/src/layers/pooling/): what the
// max and average pooling layers, 1-D and 2-D, share. No weights.
#include <memory>
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"
#include "layers/conv_utils.hpp"
#include "ops/pool.hpp"

namespace keras::layers {

enum class PoolMode { max, average };

struct PoolingArgs {
  std::string class_name;
  int rank = 2;
  PoolMode mode = PoolMode::max;
  ops::PoolArgs pool;  // standardized: one value per axis, strides filled in
  std::string name;
  bool trainable = true;
};

std::shared_ptr<LayerImpl> make_pooling(PoolingArgs args);

// MaxPooling2DOptions & co. (same fields) into PoolingArgs, checked as Keras does.
template <class Options>
PoolingArgs pooling_args(const std::string& class_name, int rank, PoolMode mode,
                         const IntTuple& pool_size, const Options& o) {
  PoolingArgs a;
  a.class_name = class_name;
  a.rank = rank;
  a.mode = mode;
  a.pool.pool_size = standardize_tuple(class_name, pool_size, rank, "pool_size");
  a.pool.strides = o.strides.empty() ? a.pool.pool_size
                                     : standardize_tuple(class_name, o.strides, rank, "strides");
  a.pool.padding = standardize_padding(class_name, o.padding);
  a.pool.data_format = standardize_data_format(class_name, o.data_format);
  a.name = o.name;
  a.trainable = o.trainable;
  return a;
}

// The fields besides pool_size (tuple_field(c, "pool_size")).
template <class Options>
Options pooling_options_from_config(const LayerConfig& c) {
  const auto common = c.common();
  Options o;
  o.strides = optional_tuple_field(c, "strides").value_or(IntTuple());
  o.padding = c.string("padding", "valid");
  o.data_format = c.string("data_format", "channels_last");
  o.name = common.name;
  o.trainable = common.trainable;
  return o;
}

// GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D: the mean or maximum over
// every spatial axis.
std::shared_ptr<LayerImpl> make_global_pooling(const std::string& class_name, int rank,
                                               PoolMode mode, const std::string& data_format,
                                               bool keepdims, const std::string& name,
                                               bool trainable);

// The fields of a global pooling layer's config.
struct GlobalPoolingConfig {
  std::string data_format;
  bool keepdims = false;
  std::string name;
  bool trainable = true;
};
GlobalPoolingConfig global_pooling_config(const LayerConfig& c);

}  // namespace keras::layers
