#pragma once
// ZeroPadding2D: adds rows and columns of zeros around each image,
// (batch, h, w, channels) -> (batch, top + h + bottom, left + w + right,
// channels). padding 1 pads one row/column on every side; {1, 2} one row
// above and below, two columns left and right; {{1, 2}, {3, 4}} gives
// ((top, bottom), (left, right)). No weights.
#include <string>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"

namespace keras::layers {

struct ZeroPadding2DOptions {
  Padding2D padding = 1;
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name;
  bool trainable = true;
};

class ZeroPadding2D : public Layer {
 public:
  // Throws keras::Error for a negative padding.
  explicit ZeroPadding2D(ZeroPadding2DOptions options = {});
};

}  // namespace keras::layers
