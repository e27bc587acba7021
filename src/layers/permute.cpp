// Permute (keras/src/layers/reshaping/permute.py).
#include "keras/layers/permute.hpp"

#include <algorithm>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class PermuteImpl : public LayerImpl {
 public:
  PermuteImpl(std::vector<int> dims, const PermuteOptions& options)
      : LayerImpl("Permute", options.name, options.trainable), dims_(std::move(dims)) {}

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> axes = detail::letters(static_cast<int>(dims_.size()), "i");
    std::vector<std::string> x{"b"}, y{"b"};
    x.insert(x.end(), axes.begin(), axes.end());
    std::string moves;
    for (std::size_t p = 0; p < dims_.size(); ++p) {
      y.push_back(axes[static_cast<std::size_t>(dims_[p] - 1)]);
      moves += (p ? ", " : "") + std::string("axis ") + std::to_string(p + 1) + " is input axis " +
               std::to_string(dims_[p]);
    }
    w.formula(detail::indexed("y", y) + " = " + detail::indexed("x", x));
    w.note("reorders the axes after the batch (" + moves + "); the values do not change; " +
           "no weights");
  }

  void write_config(detail::ConfigWriter& w) const override { w.base().set("dims", dims_); }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_rank(inputs[0].shape());
    std::vector<int> axes = dims_;
    axes.insert(axes.begin(), 0);
    return {ops::transpose(inputs[0], axes)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    check_rank(shape);
    std::vector<std::int64_t> out = {shape[0]};
    for (int d : dims_) out.push_back(shape[d]);
    return {Shape(out)};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

 private:
  // Keras' InputSpec(ndim=len(dims) + 1).
  void check_rank(const Shape& shape) const {
    const int expected = static_cast<int>(dims_.size()) + 1;
    if (shape.rank() != expected) {
      throw Error(describe() + " with dims " + format_dims(dims_) + " expects inputs of rank " +
                  std::to_string(expected) + ", got shape " + shape.to_string() + " of rank " +
                  std::to_string(shape.rank()) + ".");
    }
  }

  std::vector<int> dims_;
};

}  // namespace

Permute::Permute(std::vector<int> dims, PermuteOptions options) {
  std::vector<int> sorted = dims;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<int>(i) + 1) {
      throw Error(
          "Permute: dims must be a permutation of 1.." + std::to_string(dims.size()) +
          " (1-based; the batch axis is not included). Received: dims=" + format_dims(dims) + ".");
    }
  }
  if (dims.size() + 1 > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error("Permute: dims " + format_dims(dims) + " imply rank " +
                std::to_string(dims.size() + 1) + "; kerascpp supports up to rank " +
                std::to_string(Shape::kMaxRank) + ".");
  }
  impl_ = std::make_shared<PermuteImpl>(std::move(dims), options);
}

std::shared_ptr<LayerImpl> permute_from_config(const LayerConfig& c) {
  const auto common = c.common();
  std::vector<int> dims;
  for (std::int64_t d : c.integers("dims")) {
    if (d < 0 || d > Shape::kMaxRank) {
      throw Error(c.where("dims") + " holds " + std::to_string(d) +
                  ", which is not an axis of a tensor kerascpp supports.");
    }
    dims.push_back(static_cast<int>(d));
  }
  return Permute(std::move(dims), {.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
