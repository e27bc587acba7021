// Add (keras/src/layers/merging/add.py, base_merge.py).
#include "keras/layers/add.hpp"

#include <algorithm>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_utils.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class AddImpl : public LayerImpl {
 public:
  explicit AddImpl(const AddOptions& options) : LayerImpl("Add", options.name, options.trainable) {}

  int num_inputs() const override { return -1; }
  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    compute_output_shape(input_shapes);  // validates
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    std::vector<Shape> shapes;
    int max_rank = 0;
    for (const Tensor& x : inputs) {
      shapes.push_back(x.shape());
      max_rank = std::max(max_rank, x.rank());
    }
    compute_output_shape(shapes);  // the same errors as a symbolic call
    std::vector<Tensor> xs = in_one_dtype(inputs);
    // Keras aligns inputs of lower rank by adding axes after the batch axis.
    for (Tensor& x : xs) {
      while (x.rank() < max_rank) x = ops::expand_dims(x, 1);
    }
    Tensor sum = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) sum = ops::add(sum, xs[i]);
    return {sum};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    if (input_shapes.empty()) throw Error(describe() + " needs a list of at least one input.");
    const std::int64_t batch = merged_batch_size(*this, input_shapes);
    Shape out = input_shapes[0].without_batch();
    for (std::size_t i = 1; i < input_shapes.size(); ++i) {
      out = broadcast(out, input_shapes[i].without_batch(), input_shapes);
    }
    return {out.prepend(batch)};
  }

  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>& masks) const override {
    return or_of_masks(masks);
  }

 private:
  // Keras' _compute_elemwise_op_output_shape: numpy broadcasting of the
  // non-batch shapes, where an unknown dimension makes the result unknown.
  Shape broadcast(const Shape& a, const Shape& b, const std::vector<Shape>& all) const {
    if (a.rank() < b.rank()) return broadcast(b, a, all);
    const int lead = a.rank() - b.rank();
    std::vector<std::int64_t> out(a.begin(), a.begin() + lead);
    for (int k = 0; k < b.rank(); ++k) {
      const std::int64_t i = a[lead + k];
      const std::int64_t j = b[k];
      if (i == None || j == None) {
        out.push_back(None);
      } else if (i == 1 || j == 1 || i == j) {
        out.push_back(i == 1 ? j : i);
      } else {
        throw Error(describe() + " cannot add inputs of shapes " + format_shapes(all) +
                    ": their non-batch shapes " + a.to_string() + " and " + b.to_string() +
                    " do not broadcast (dimensions " + std::to_string(i) + " and " +
                    std::to_string(j) + " differ and neither is 1).");
      }
    }
    return Shape(out);
  }
};

}  // namespace

Add::Add(AddOptions options) : Layer(std::make_shared<AddImpl>(options)) {}

std::shared_ptr<LayerImpl> add_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Add({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
