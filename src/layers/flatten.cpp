// Flatten (keras/src/layers/reshaping/flatten.py).
#include "keras/layers/flatten.hpp"

#include <algorithm>
#include <numeric>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class FlattenImpl : public LayerImpl {
 public:
  explicit FlattenImpl(const FlattenOptions& options)
      : LayerImpl("Flatten", options.name, options.trainable),
        channels_first_(options.data_format == "channels_first") {}

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    Tensor x = inputs[0];
    check_rank(x.shape());
    const int rank = x.rank();
    if (channels_first_ && rank > 2) {
      std::vector<int> axes(static_cast<std::size_t>(rank));
      std::iota(axes.begin(), axes.end(), 0);
      axes.erase(axes.begin() + 1);
      axes.push_back(1);
      x = ops::transpose(x, axes);
    }
    return {ops::reshape(x, compute_output_shape({x.shape()})[0])};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    check_rank(shape);
    const Shape per_sample = shape.without_batch();
    const std::int64_t flat = per_sample.is_fully_defined() ? per_sample.num_elements() : None;
    return {Shape{shape[0], flat}};
  }

  // Flattening only moves values around: the dtype passes through.
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

  // Flatten keeps each sample's values in row-major order, the last axis
  // varying fastest: a Dense after it contracts all of them at once.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const int n = in.rank() - 1;
    if (n <= 1) {
      w.formula(n == 1 ? "y[b,c] = x[b,c]" : "y[b,0] = x[b]");
      w.note("each sample is already flat; the values pass through unchanged; no weights");
      return;
    }
    std::vector<std::string> x{"b"};
    const std::vector<std::string> axes = detail::letters(n, "i");
    x.insert(x.end(), axes.begin(), axes.end());
    std::vector<std::string> order = axes;
    std::vector<std::int64_t> dims(in.begin() + 1, in.end());
    if (channels_first_) {
      // The channel axis (axis 1) is moved last before flattening.
      std::rotate(order.begin(), order.begin() + 1, order.end());
      std::rotate(dims.begin(), dims.begin() + 1, dims.end());
    }
    w.formula("y[b, " + detail::row_major(order, dims) + "] = " + detail::indexed("x", x));
    w.note("lays the " + detail::grid(in, 1, in.rank()) +
           " values of each sample out along one axis, the last axis varying fastest; a Dense "
           "after it sees all of them at once; no weights");
    if (channels_first_) {
      w.note(
          "data_format=\"channels_first\": the channel axis (i) is moved last first, so the "
          "order is that of channels_last");
    }
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("data_format", channels_first_ ? "channels_first" : "channels_last");
  }

 private:
  void check_rank(const Shape& shape) const {
    if (shape.rank() < 1) {
      throw Error(describe() + " expects inputs with a batch axis (rank 1 or more), got shape " +
                  shape.to_string() + ".");
    }
  }

  bool channels_first_;
};

void check_data_format(const std::string& data_format) {
  if (data_format != "channels_last" && data_format != "channels_first") {
    throw Error("Flatten: data_format must be \"channels_last\" or \"channels_first\", got \"" +
                data_format + "\".");
  }
}

}  // namespace

Flatten::Flatten(FlattenOptions options) {
  check_data_format(options.data_format);
  impl_ = std::make_shared<FlattenImpl>(options);
}

std::shared_ptr<LayerImpl> flatten_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Flatten({.data_format = c.string("data_format", "channels_last"),
                  .name = common.name,
                  .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
