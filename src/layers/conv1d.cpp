// Conv1D (keras/src/layers/convolutional/conv1d.py): BaseConv with rank 1.
#include "keras/layers/conv1d.hpp"

#include "layers/base_conv.hpp"

namespace keras::layers {

Conv1D::Conv1D(std::int64_t filters, IntTuple kernel_size, Conv1DOptions options) {
  impl_ = make_base_conv(base_conv_args("Conv1D", 1, filters, kernel_size, options));
}

std::shared_ptr<LayerImpl> conv1d_from_config(const LayerConfig& c) {
  return Conv1D(c.integer("filters"), tuple_field(c, "kernel_size"),
                base_conv_options_from_config<Conv1DOptions>(c))
      .ptr();
}

}  // namespace keras::layers
