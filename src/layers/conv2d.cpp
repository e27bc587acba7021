// Conv2D (keras/src/layers/convolutional/conv2d.py): BaseConv with rank 2.
#include "keras/layers/conv2d.hpp"

#include "layers/base_conv.hpp"

namespace keras::layers {

Conv2D::Conv2D(std::int64_t filters, IntTuple kernel_size, Conv2DOptions options) {
  impl_ = make_base_conv(base_conv_args("Conv2D", 2, filters, kernel_size, options));
}

std::shared_ptr<LayerImpl> conv2d_from_config(const LayerConfig& c) {
  return Conv2D(c.integer("filters"), tuple_field(c, "kernel_size"),
                base_conv_options_from_config<Conv2DOptions>(c))
      .ptr();
}

}  // namespace keras::layers
