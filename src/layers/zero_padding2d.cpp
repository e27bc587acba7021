// ZeroPadding2D (keras/src/layers/reshaping/zero_padding2d.py): blocks of
// zeros concatenated before and after each spatial axis.
#include "keras/layers/zero_padding2d.hpp"

#include "keras/ops.hpp"
#include "layers/conv_utils.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class ZeroPadding2DImpl : public LayerImpl {
 public:
  ZeroPadding2DImpl(const Padding2D& padding, bool channels_first, const std::string& name,
                    bool trainable)
      : LayerImpl("ZeroPadding2D", name, trainable),
        padding_(padding),
        channels_first_(channels_first) {}

  void explain(detail::ExplainWriter& w) const override {
    const auto [top, bottom] = padding_.values[0];
    const auto [left, right] = padding_.values[1];
    const auto shifted = [](const std::string& axis, std::int64_t by) {
      return by == 0 ? axis : axis + " - " + std::to_string(by);
    };
    const std::vector<std::string> y = channels_first_
                                           ? std::vector<std::string>{"b", "c", "h", "w"}
                                           : std::vector<std::string>{"b", "h", "w", "c"};
    std::vector<std::string> x = y;
    x[channels_first_ ? 2 : 1] = shifted("h", top);
    x[channels_first_ ? 3 : 2] = shifted("w", left);
    w.formula(detail::indexed("y", y) + " = " + detail::indexed("x", x) +
              " inside the input, 0 in the added border");
    const int h = channels_first_ ? 2 : 1;
    w.note("adds " + detail::plural(top, "row") + " of zeros at the top and " +
           std::to_string(bottom) + " at the bottom, " + detail::plural(left, "column") +
           " at the left and " + std::to_string(right) +
           " at the right: " + detail::grid(w.input(), h, h + 2) + " -> " +
           detail::grid(w.output(), h, h + 2) + " positions; no weights");
  }

  // Keras' get_config: padding as ((top, bottom), (left, right)).
  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("padding", padding_.values).set("data_format", data_format_name(channels_first_));
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_spatial_rank(*this, inputs[0].shape(), 2, channels_first_);
    Tensor y = inputs[0];
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      const auto [before, after] = padding_.values[i];
      if (before == 0 && after == 0) continue;
      const int axis = h_axis + i;
      std::vector<Tensor> parts;
      if (before > 0) parts.push_back(Tensor::zeros(y.shape().with_dim(axis, before), y.dtype()));
      parts.push_back(y);
      if (after > 0) parts.push_back(Tensor::zeros(y.shape().with_dim(axis, after), y.dtype()));
      y = ops::concatenate(parts, axis);
    }
    return {y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& s = input_shapes[0];
    check_spatial_rank(*this, s, 2, channels_first_);
    Shape out = s;
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      if (s[h_axis + i] != None) {
        out[h_axis + i] = s[h_axis + i] + padding_.values[i][0] + padding_.values[i][1];
      }
    }
    return {out};
  }

  // Padding only moves values: the dtype passes through.
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

 private:
  Padding2D padding_;
  bool channels_first_;
};

}  // namespace

ZeroPadding2D::ZeroPadding2D(ZeroPadding2DOptions options) {
  for (const auto& side : options.padding.values) {
    if (side[0] < 0 || side[1] < 0) {
      throw Error("ZeroPadding2D: padding must be non-negative, got ((" +
                  std::to_string(options.padding.values[0][0]) + ", " +
                  std::to_string(options.padding.values[0][1]) + "), (" +
                  std::to_string(options.padding.values[1][0]) + ", " +
                  std::to_string(options.padding.values[1][1]) + ")).");
    }
  }
  const bool first =
      standardize_data_format("ZeroPadding2D", options.data_format) == "channels_first";
  impl_ =
      std::make_shared<ZeroPadding2DImpl>(options.padding, first, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> zero_padding2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return ZeroPadding2D({.padding = padding2d_field(c, "padding", Padding2D(1)),
                        .data_format = c.string("data_format", "channels_last"),
                        .name = common.name,
                        .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
