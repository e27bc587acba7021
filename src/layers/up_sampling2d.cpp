// UpSampling2D (keras/src/layers/reshaping/up_sampling2d.py): "nearest"
// repeats rows and columns (ops::repeat); "bilinear" is jax.image.resize's
// bilinear resize (what Keras calls), written as two small matrix products:
// for an upscale factor f, output index o samples input coordinate
// (o + 0.5) / f - 0.5, clamped to the edges.
#include "keras/layers/up_sampling2d.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "keras/ops.hpp"
#include "layers/conv_utils.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

// The (in * factor, in) matrix of bilinear weights along one axis.
Tensor bilinear_weights(std::int64_t in, std::int64_t factor, DType dtype) {
  const std::int64_t out = in * factor;
  std::vector<double> w(static_cast<std::size_t>(out * in), 0.0);
  for (std::int64_t o = 0; o < out; ++o) {
    const double src = (static_cast<double>(o) + 0.5) / static_cast<double>(factor) - 0.5;
    const double lo = std::floor(src);
    const double frac = src - lo;
    const auto clamp = [in](std::int64_t i) {
      return std::min(std::max<std::int64_t>(i, 0), in - 1);
    };
    const std::int64_t i0 = clamp(static_cast<std::int64_t>(lo));
    const std::int64_t i1 = clamp(static_cast<std::int64_t>(lo) + 1);
    w[static_cast<std::size_t>(o * in + i0)] += 1.0 - frac;
    w[static_cast<std::size_t>(o * in + i1)] += frac;
  }
  return Tensor(Shape{out, in}, w).astype(dtype);
}

class UpSampling2DImpl : public LayerImpl {
 public:
  UpSampling2DImpl(std::vector<std::int64_t> size, bool channels_first, std::string interpolation,
                   const std::string& name, bool trainable)
      : LayerImpl("UpSampling2D", name, trainable),
        size_(std::move(size)),
        channels_first_(channels_first),
        interpolation_(std::move(interpolation)) {}

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> y = channels_first_
                                           ? std::vector<std::string>{"b", "c", "h", "w"}
                                           : std::vector<std::string>{"b", "h", "w", "c"};
    const int h = channels_first_ ? 2 : 1;
    const std::string sizes = detail::grid(w.input(), h, h + 2) + " -> " +
                              detail::grid(w.output(), h, h + 2) + " positions; no weights";
    if (interpolation_ == "nearest") {
      std::vector<std::string> x = y;
      x[static_cast<std::size_t>(h)] = "h / " + std::to_string(size_[0]);
      x[static_cast<std::size_t>(h + 1)] = "w / " + std::to_string(size_[1]);
      w.formula(detail::indexed("y", y) + " = " + detail::indexed("x", x) + " (integer division)");
      w.note("repeats each row " + detail::plural(size_[0], "time") + " and each column " +
             detail::plural(size_[1], "time") + ": " + sizes);
      return;
    }
    std::vector<std::string> x = y;
    x[static_cast<std::size_t>(h)] = "h'";
    x[static_cast<std::size_t>(h + 1)] = "w'";
    w.formula(detail::indexed("y", y) + " = sum_{h',w'} a[h,h'] * a'[w,w'] * " +
              detail::indexed("x", x));
    w.note(
        "bilinear: output row h reads input coordinate (h + 0.5) / " + std::to_string(size_[0]) +
        " - 0.5, mixing the two nearest rows by distance (a), and the same for columns: " + sizes);
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("size", size_)
        .set("data_format", data_format_name(channels_first_))
        .set("interpolation", interpolation_);
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_spatial_rank(*this, inputs[0].shape(), 2, channels_first_);
    const int h_axis = channels_first_ ? 2 : 1;
    if (interpolation_ == "nearest") {
      return {ops::repeat(ops::repeat(inputs[0], size_[0], h_axis), size_[1], h_axis + 1)};
    }
    // Bilinear, on (batch, h, w, channels).
    Tensor x = to_compute_dtype(inputs[0]);
    if (channels_first_) x = ops::transpose(x, {0, 2, 3, 1});
    const Shape s = x.shape();
    const Tensor wh = bilinear_weights(s[1], size_[0], x.dtype());
    const Tensor ww = bilinear_weights(s[2], size_[1], x.dtype());
    // Rows: (h', h) . (batch, h, w * c) -> (batch, h', w * c).
    Tensor y = ops::matmul(wh, ops::reshape(x, Shape{s[0], s[1], s[2] * s[3]}));
    // Columns: (w', w) . (batch * h', w, c) -> (batch * h', w', c).
    y = ops::matmul(ww, ops::reshape(y, Shape{s[0] * s[1] * size_[0], s[2], s[3]}));
    y = ops::reshape(y, Shape{s[0], s[1] * size_[0], s[2] * size_[1], s[3]});
    if (channels_first_) y = ops::transpose(y, {0, 3, 1, 2});
    return {y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& s = input_shapes[0];
    check_spatial_rank(*this, s, 2, channels_first_);
    Shape out = s;
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      if (s[h_axis + i] != None) out[h_axis + i] = s[h_axis + i] * size_[i];
    }
    return {out};
  }

  // Nearest-neighbour upsampling only copies values: the dtype passes through.
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    if (interpolation_ == "nearest") return std::vector<DType>(num_outputs, input_dtypes.at(0));
    return LayerImpl::compute_output_dtype(input_dtypes, num_outputs);
  }

 private:
  std::vector<std::int64_t> size_;
  bool channels_first_;
  std::string interpolation_;
};

}  // namespace

UpSampling2D::UpSampling2D(UpSampling2DOptions options) {
  const std::string name = "UpSampling2D";
  std::vector<std::int64_t> size = standardize_tuple(name, options.size, 2, "size");
  const bool first = standardize_data_format(name, options.data_format) == "channels_first";
  std::string interpolation = options.interpolation;
  std::transform(interpolation.begin(), interpolation.end(), interpolation.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (interpolation != "nearest" && interpolation != "bilinear") {
    throw Error(name +
                ": interpolation must be \"nearest\" or \"bilinear\" (kerascpp has these "
                "two of Keras' methods), got \"" +
                options.interpolation + "\".");
  }
  impl_ = std::make_shared<UpSampling2DImpl>(std::move(size), first, interpolation, options.name,
                                             options.trainable);
}

std::shared_ptr<LayerImpl> up_sampling2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return UpSampling2D({.size = tuple_field(c, "size", IntTuple{2, 2}),
                       .data_format = c.string("data_format", "channels_last"),
                       .interpolation = c.string("interpolation", "nearest"),
                       .name = common.name,
                       .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
