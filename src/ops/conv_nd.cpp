// The convolution ops with Keras' arguments (see conv.hpp): padding names,
// data formats, 1-D inputs and the output-shape rules, all brought to the
// fused NHWC ops of conv.cpp; and keras::ops::conv & co.
#include "keras/activations.hpp"
#include "ops/activation_functions.hpp"
#include "ops/conv.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using namespace detail;
namespace act = activation_functions;

std::string str(std::int64_t v) { return std::to_string(v); }

}  // namespace

// ---- Keras' arguments ----

std::vector<std::int64_t> per_axis(const std::string& op, const char* what,
                                   const std::vector<std::int64_t>& v, int spatial,
                                   bool allow_zero) {
  if (v.size() != 1 && v.size() != static_cast<std::size_t>(spatial)) {
    throw Error(op + ": " + what + " must have 1 or " + str(spatial) + " values, got " +
                str(static_cast<std::int64_t>(v.size())) + ".");
  }
  std::vector<std::int64_t> out(static_cast<std::size_t>(spatial), v[0]);
  for (int i = 0; i < spatial; ++i) {
    out[i] = v.size() == 1 ? v[0] : v[i];
    if (out[i] < 0 || (out[i] == 0 && !allow_zero)) {
      throw Error(op + ": " + what + " must be positive, got " + str(out[i]) + ".");
    }
  }
  return out;
}

bool is_channels_first(const std::string& op, const std::string& data_format) {
  if (data_format == "channels_last") return false;
  if (data_format == "channels_first") return true;
  throw Error(op + ": data_format must be \"channels_last\" or \"channels_first\", got \"" +
              data_format + "\".");
}

int spatial_rank(const std::string& op, const Shape& shape) {
  if (shape.rank() == 3 || shape.rank() == 4) return shape.rank() - 2;
  throw Error(op +
              " expects inputs of rank 3 (batch, steps, channels) or 4 (batch, height, "
              "width, channels), got shape " +
              shape.to_string() + " (kerascpp has 1-D and 2-D convolutions and pooling).");
}

Tensor to_nhwc(const Tensor& x, bool channels_first) {
  const int spatial = x.rank() - 2;
  Tensor t = x;
  if (channels_first) t = spatial == 1 ? transpose(x, {0, 2, 1}) : transpose(x, {0, 2, 3, 1});
  if (spatial == 1) t = reshape(t, Shape{t.shape()[0], 1, t.shape()[1], t.shape()[2]});
  return t;
}

Tensor from_nhwc(const Tensor& y, bool channels_first, int spatial) {
  Tensor t = y;
  if (spatial == 1) t = reshape(t, Shape{y.shape()[0], y.shape()[2], y.shape()[3]});
  if (channels_first) t = spatial == 1 ? transpose(t, {0, 2, 1}) : transpose(t, {0, 3, 1, 2});
  return t;
}

namespace {

// A 1-D kernel (k, a, b) as the 2-D kernel (1, k, a, b).
Tensor kernel_2d(const std::string& op, const Tensor& kernel, int spatial) {
  check_defined(op.c_str(), kernel);
  if (kernel.rank() != spatial + 2) {
    throw Error(op + ": a " + str(spatial) + "-D convolution needs a kernel of rank " +
                str(spatial + 2) + ", got shape " + kernel.shape().to_string() + ".");
  }
  if (spatial == 2) return kernel;
  const Shape& k = kernel.shape();
  return reshape(kernel, Shape{1, k[0], k[1], k[2]});
}

// The geometry of the convolution whose input is (in_h, in_w) (NHWC axes 1, 2).
ConvGeometry forward_geometry(const std::string& op, std::int64_t in_h, std::int64_t in_w,
                              const Tensor& kernel4, const ConvArgs& args, int spatial) {
  const auto strides = per_axis(op, "strides", args.strides, spatial);
  const auto dilation = per_axis(op, "dilation_rate", args.dilation_rate, spatial);
  if (args.padding == "causal" && spatial != 1) {
    throw Error(op + ": padding=\"causal\" is only for 1-D convolutions.");
  }
  ConvGeometry g;
  g.in_h = in_h;
  g.in_w = in_w;
  g.kernel_h = kernel4.shape()[0];
  g.kernel_w = kernel4.shape()[1];
  if (spatial == 2) {
    g.stride_h = strides[0];
    g.dilation_h = dilation[0];
  }
  g.stride_w = strides[spatial - 1];
  g.dilation_w = dilation[spatial - 1];
  const AxisWindow h =
      spatial == 2 ? conv_axis_window(op, in_h, g.kernel_h, g.stride_h, g.dilation_h, args.padding)
                   : AxisWindow{1, 0};
  const AxisWindow w =
      conv_axis_window(op, in_w, g.kernel_w, g.stride_w, g.dilation_w, args.padding);
  g.out_h = h.out;
  g.pad_top = h.pad_before;
  g.out_w = w.out;
  g.pad_left = w.pad_before;
  return g;
}

bool is_elementwise(const std::string& activation) {
  return act::visit_elementwise(activation, [](auto) {});
}

// The element-wise part is fused; any other activation acts on the result in
// the caller's layout (softmax over its last axis).
Tensor finish(const Tensor& y_nhwc, bool first, int spatial, const std::string& activation) {
  Tensor y = from_nhwc(y_nhwc, first, spatial);
  if (is_elementwise(activation)) return y;
  return activations::get(activation)(y);
}

std::string fused_name(const std::string& activation) {
  activations::get(activation);  // an unknown name fails here
  return is_elementwise(activation) ? activation : "linear";
}

}  // namespace

Tensor conv_nd(const std::string& op, const Tensor& x, const Tensor& kernel, const Tensor& bias,
               const ConvArgs& args, const std::string& activation) {
  check_defined(op.c_str(), x);
  const int spatial = spatial_rank(op, x.shape());
  const bool first = is_channels_first(op, args.data_format);
  const Tensor k = kernel_2d(op, kernel, spatial);
  const Tensor xt = to_nhwc(x, first);
  const ConvGeometry g = forward_geometry(op, xt.shape()[1], xt.shape()[2], k, args, spatial);
  return finish(conv2d_nhwc(xt, k, bias, g, fused_name(activation)), first, spatial, activation);
}

Tensor depthwise_conv_nd(const std::string& op, const Tensor& x, const Tensor& kernel,
                         const Tensor& bias, const ConvArgs& args, const std::string& activation) {
  check_defined(op.c_str(), x);
  const int spatial = spatial_rank(op, x.shape());
  const bool first = is_channels_first(op, args.data_format);
  const Tensor k = kernel_2d(op, kernel, spatial);
  const Tensor xt = to_nhwc(x, first);
  const Shape& ks = k.shape();
  if (ks[2] != xt.shape()[3]) {
    throw Error(op + ": the depthwise kernel's input channels (" + str(ks[2]) + ", kernel shape " +
                kernel.shape().to_string() + ") must equal the input's channels (input shape " +
                x.shape().to_string() + ").");
  }
  // (kh, kw, C, m) is, byte for byte, the grouped kernel (kh, kw, 1, C * m).
  const Tensor grouped = reshape(k, Shape{ks[0], ks[1], 1, ks[2] * ks[3]});
  const ConvGeometry g = forward_geometry(op, xt.shape()[1], xt.shape()[2], k, args, spatial);
  return finish(conv2d_nhwc(xt, grouped, bias, g, fused_name(activation)), first, spatial,
                activation);
}

Tensor conv_transpose_nd(const std::string& op, const Tensor& x, const Tensor& kernel,
                         const Tensor& bias, const ConvArgs& args, const std::string& activation) {
  check_defined(op.c_str(), x);
  const int spatial = spatial_rank(op, x.shape());
  const bool first = is_channels_first(op, args.data_format);
  const Tensor k = kernel_2d(op, kernel, spatial);
  const Tensor xt = to_nhwc(x, first);
  if (args.padding != "valid" && args.padding != "same") {
    throw Error(op + ": padding must be \"valid\" or \"same\", got \"" + args.padding + "\".");
  }
  const auto strides = per_axis(op, "strides", args.strides, spatial);
  const auto dilation = per_axis(op, "dilation_rate", args.dilation_rate, spatial);
  std::vector<std::int64_t> extra(static_cast<std::size_t>(spatial), -1);
  if (!args.output_padding.empty()) {
    extra = per_axis(op, "output_padding", args.output_padding, spatial, true);
  }
  ConvGeometry g;
  g.out_h = xt.shape()[1];
  g.out_w = xt.shape()[2];
  g.kernel_h = k.shape()[0];
  g.kernel_w = k.shape()[1];
  if (spatial == 2) {
    g.stride_h = strides[0];
    g.dilation_h = dilation[0];
    const AxisWindow h = conv_transpose_axis_window(g.out_h, g.kernel_h, g.stride_h, g.dilation_h,
                                                    args.padding, extra[0]);
    g.in_h = h.out;
    g.pad_top = h.pad_before;
  }
  g.stride_w = strides[spatial - 1];
  g.dilation_w = dilation[spatial - 1];
  const AxisWindow w = conv_transpose_axis_window(g.out_w, g.kernel_w, g.stride_w, g.dilation_w,
                                                  args.padding, extra[spatial - 1]);
  g.in_w = w.out;
  g.pad_left = w.pad_before;
  if (g.in_h <= 0 || g.in_w <= 0) {
    throw Error(op + ": the output would be empty for an input of shape " + x.shape().to_string() +
                ".");
  }
  return finish(conv2d_transpose_nhwc(xt, k, bias, g, fused_name(activation)), first, spatial,
                activation);
}

Shape conv_output_shape(const std::string& op, const Shape& input,
                        const std::vector<std::int64_t>& kernel_size, std::int64_t filters,
                        const ConvArgs& args) {
  const int spatial = spatial_rank(op, input);
  const bool first = is_channels_first(op, args.data_format);
  const auto strides = per_axis(op, "strides", args.strides, spatial);
  const auto dilation = per_axis(op, "dilation_rate", args.dilation_rate, spatial);
  std::vector<std::int64_t> dims{input[0]};
  if (first) dims.push_back(filters);
  for (int i = 0; i < spatial; ++i) {
    const std::int64_t size = input[first ? 2 + i : 1 + i];
    dims.push_back(size == None ? None
                                : conv_axis_window(op, size, kernel_size.at(i), strides[i],
                                                   dilation[i], args.padding)
                                      .out);
  }
  if (!first) dims.push_back(filters);
  return Shape(dims);
}

Shape conv_transpose_output_shape(const Shape& input, const std::vector<std::int64_t>& kernel_size,
                                  std::int64_t filters, const ConvArgs& args) {
  const std::string op = "conv_transpose";
  const int spatial = spatial_rank(op, input);
  const bool first = is_channels_first(op, args.data_format);
  const auto strides = per_axis(op, "strides", args.strides, spatial);
  const auto dilation = per_axis(op, "dilation_rate", args.dilation_rate, spatial);
  std::vector<std::int64_t> extra(static_cast<std::size_t>(spatial), -1);
  if (!args.output_padding.empty()) {
    extra = per_axis(op, "output_padding", args.output_padding, spatial, true);
  }
  std::vector<std::int64_t> dims{input[0]};
  if (first) dims.push_back(filters);
  for (int i = 0; i < spatial; ++i) {
    const std::int64_t size = input[first ? 2 + i : 1 + i];
    dims.push_back(size == None ? None
                                : conv_transpose_axis_window(size, kernel_size.at(i), strides[i],
                                                             dilation[i], args.padding, extra[i])
                                      .out);
  }
  if (!first) dims.push_back(filters);
  return Shape(dims);
}

// ---- keras::ops (include/keras/ops.hpp) ----

namespace {

ConvArgs op_args(const std::vector<std::int64_t>& strides, const std::string& padding,
                 const std::string& data_format, const std::vector<std::int64_t>& dilation_rate,
                 const char* op) {
  if (padding != "valid" && padding != "same") {
    throw Error(std::string(op) + ": padding must be \"valid\" or \"same\", got \"" + padding +
                "\".");
  }
  return {.strides = strides,
          .padding = padding,
          .data_format = data_format,
          .dilation_rate = dilation_rate};
}

}  // namespace

Tensor conv(const Tensor& inputs, const Tensor& kernel, const std::vector<std::int64_t>& strides,
            const std::string& padding, const std::string& data_format,
            const std::vector<std::int64_t>& dilation_rate) {
  return conv_nd("ops.conv", inputs, kernel, Tensor(),
                 op_args(strides, padding, data_format, dilation_rate, "ops.conv"));
}

Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel,
                      const std::vector<std::int64_t>& strides, const std::string& padding,
                      const std::string& data_format,
                      const std::vector<std::int64_t>& dilation_rate) {
  return depthwise_conv_nd(
      "ops.depthwise_conv", inputs, kernel, Tensor(),
      op_args(strides, padding, data_format, dilation_rate, "ops.depthwise_conv"));
}

Tensor separable_conv(const Tensor& inputs, const Tensor& depthwise_kernel,
                      const Tensor& pointwise_kernel, const std::vector<std::int64_t>& strides,
                      const std::string& padding, const std::string& data_format,
                      const std::vector<std::int64_t>& dilation_rate) {
  const ConvArgs args = op_args(strides, padding, data_format, dilation_rate, "ops.separable_conv");
  const Tensor depthwise =
      depthwise_conv_nd("ops.separable_conv", inputs, depthwise_kernel, Tensor(), args);
  return conv_nd("ops.separable_conv", depthwise, pointwise_kernel, Tensor(),
                 {.strides = {1}, .padding = "valid", .data_format = data_format});
}

Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel,
                      const std::vector<std::int64_t>& strides, const std::string& padding,
                      const std::vector<std::int64_t>& output_padding,
                      const std::string& data_format,
                      const std::vector<std::int64_t>& dilation_rate) {
  ConvArgs args = op_args(strides, padding, data_format, dilation_rate, "ops.conv_transpose");
  args.output_padding = output_padding;
  return conv_transpose_nd("ops.conv_transpose", inputs, kernel, Tensor(), args);
}

}  // namespace keras::ops
