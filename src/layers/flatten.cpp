// Flatten (keras/src/layers/reshaping/flatten.py).
#include "keras/layers/flatten.hpp"

#include <numeric>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
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
