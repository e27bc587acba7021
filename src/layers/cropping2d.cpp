// Cropping2D (keras/src/layers/reshaping/cropping2d.py): a slice of each
// spatial axis.
#include "keras/layers/cropping2d.hpp"

#include "keras/ops.hpp"
#include "layers/conv_utils.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

std::string format_cropping(const Padding2D& c) {
  return "((" + std::to_string(c.values[0][0]) + ", " + std::to_string(c.values[0][1]) + "), (" +
         std::to_string(c.values[1][0]) + ", " + std::to_string(c.values[1][1]) + "))";
}

class Cropping2DImpl : public LayerImpl {
 public:
  Cropping2DImpl(const Padding2D& cropping, bool channels_first, const std::string& name,
                 bool trainable)
      : LayerImpl("Cropping2D", name, trainable),
        cropping_(cropping),
        channels_first_(channels_first) {}

  void explain(detail::ExplainWriter& w) const override {
    const auto [top, bottom] = cropping_.values[0];
    const auto [left, right] = cropping_.values[1];
    const auto shifted = [](const std::string& axis, std::int64_t by) {
      return by == 0 ? axis : axis + " + " + std::to_string(by);
    };
    const std::vector<std::string> y = channels_first_
                                           ? std::vector<std::string>{"b", "c", "h", "w"}
                                           : std::vector<std::string>{"b", "h", "w", "c"};
    std::vector<std::string> x = y;
    x[channels_first_ ? 2 : 1] = shifted("h", top);
    x[channels_first_ ? 3 : 2] = shifted("w", left);
    w.formula(detail::indexed("y", y) + " = " + detail::indexed("x", x));
    const int h = channels_first_ ? 2 : 1;
    w.note("drops " + detail::plural(top, "row") + " at the top and " + std::to_string(bottom) +
           " at the bottom, " + detail::plural(left, "column") + " at the left and " +
           std::to_string(right) + " at the right: " + detail::grid(w.input(), h, h + 2) + " -> " +
           detail::grid(w.output(), h, h + 2) + " positions; no weights");
  }

  // Keras' get_config: cropping as ((top, bottom), (left, right)).
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("cropping", cropping_.values)
        .set("data_format", data_format_name(channels_first_));
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_shape(inputs[0].shape());
    Tensor y = inputs[0];
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      const auto [before, after] = cropping_.values[i];
      if (before == 0 && after == 0) continue;
      const int axis = h_axis + i;
      y = ops::slice_axis(y, axis, before, y.shape()[axis] - before - after);
    }
    return {y};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& s = input_shapes[0];
    check_shape(s);
    Shape out = s;
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      if (s[h_axis + i] != None) {
        out[h_axis + i] = s[h_axis + i] - cropping_.values[i][0] - cropping_.values[i][1];
      }
    }
    return {out};
  }

  // Cropping only moves values: the dtype passes through.
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

 private:
  void check_shape(const Shape& s) const {
    check_spatial_rank(*this, s, 2, channels_first_);
    const int h_axis = channels_first_ ? 2 : 1;
    for (int i = 0; i < 2; ++i) {
      const std::int64_t size = s[h_axis + i];
      if (size != None && cropping_.values[i][0] + cropping_.values[i][1] >= size) {
        throw Error(describe() +
                    ": values in `cropping` argument should be smaller than the "
                    "corresponding spatial dimension of the input. Received: input_shape=" +
                    s.to_string() + ", cropping=" + format_cropping(cropping_) + ".");
      }
    }
  }

  Padding2D cropping_;
  bool channels_first_;
};

}  // namespace

Cropping2D::Cropping2D(Cropping2DOptions options) {
  for (const auto& side : options.cropping.values) {
    if (side[0] < 0 || side[1] < 0) {
      throw Error("Cropping2D: `cropping` cannot be negative. Received: cropping=" +
                  format_cropping(options.cropping) + ".");
    }
  }
  const bool first = standardize_data_format("Cropping2D", options.data_format) == "channels_first";
  impl_ =
      std::make_shared<Cropping2DImpl>(options.cropping, first, options.name, options.trainable);
}

std::shared_ptr<LayerImpl> cropping2d_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Cropping2D({.cropping = padding2d_field(c, "cropping", Padding2D(0)),
                     .data_format = c.string("data_format", "channels_last"),
                     .name = common.name,
                     .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
