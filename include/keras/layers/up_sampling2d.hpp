#pragma once
// UpSampling2D: repeats rows and columns, (batch, h, w, channels) ->
// (batch, h * size_h, w * size_w, channels). interpolation "nearest" copies
// each value size_h x size_w times; "bilinear" interpolates between
// neighbours (half-pixel centres, edges clamped, as Keras' image.resize). No
// weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct UpSampling2DOptions {
  IntTuple size = {2, 2};
  std::string data_format = "channels_last";  // or "channels_first"
  std::string interpolation = "nearest";      // or "bilinear"
  std::string name;
  bool trainable = true;
};

class UpSampling2D : public Layer {
 public:
  explicit UpSampling2D(UpSampling2DOptions options = {});
};

}  // namespace keras::layers
