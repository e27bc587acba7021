#pragma once
// What the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
// Concatenate, Dot) share, as Keras' Merge base class
// (keras/src/layers/merging/base_merge.py).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// The batch size the inputs agree on (None when none is known); throws
// keras::Error naming the layer when two known batch sizes differ.
std::int64_t merged_batch_size(const LayerImpl& layer, const std::vector<Shape>& shapes);
// The inputs in one floating dtype: the first input's compute dtype.
std::vector<Tensor> in_one_dtype(const std::vector<Tensor>& inputs);
// Keras' Merge.compute_mask: the element-wise OR of the masks, or no mask
// when any input has none.
std::vector<std::optional<Tensor>> or_of_masks(const std::vector<std::optional<Tensor>>& masks);

// The element-wise merges: a list of inputs whose non-batch shapes broadcast
// as in numpy (Keras' _compute_elemwise_op_output_shape: a size-1 dimension
// stretches, an unknown one makes the result unknown); in call, an input of
// lower rank gets size-1 axes after its batch axis first.
class ElementwiseMergeImpl : public LayerImpl {
 public:
  // verb names the operation in errors: "add", "multiply", ...
  ElementwiseMergeImpl(std::string class_name, std::string verb, const std::string& name,
                       bool trainable);

  int num_inputs() const override { return -1; }
  bool supports_masking() const override { return true; }
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs,
      const std::vector<std::optional<Tensor>>& masks) const override;

 protected:
  // The merge proper, on inputs of one dtype and one rank. masks holds one
  // entry per input (each the input's mask, of the input's rank - 1, or
  // nothing) or is empty.
  virtual Tensor merge(const std::vector<Tensor>& xs,
                       const std::vector<std::optional<Tensor>>& masks) const = 0;
  // Throws when the layer cannot take this many inputs (Subtract: exactly 2).
  virtual void check_count(const std::vector<Shape>& input_shapes) const;

 private:
  Shape broadcast(const Shape& a, const Shape& b, const std::vector<Shape>& all) const;
  std::string verb_;
};

// Explains an element-wise merge: y[axes] = combine(terms), where each term
// indexes one input ("x1[b,t,c]") on the output's axes, with 0 on an axis
// where the input has size 1 and is repeated; `verb` says what combine does
// ("adds").
void explain_elementwise(
    detail::ExplainWriter& w, const std::string& verb,
    const std::function<std::string(const std::vector<std::string>&)>& combine);

// A mask of x's rank - 1 as a bool tensor of x's shape (Keras' broadcast_to(
// expand_dims(mask, -1), shape(x))); nothing when the mask does not fit x.
std::optional<Tensor> mask_like(const std::optional<Tensor>& mask, const Tensor& x);

// The merge of Maximum and Minimum (Keras' _apply_merge_op_and_or_mask): op
// folded over the inputs; where an input is masked it takes the running
// result's value, and where the running result is masked it takes the
// input's, before the op. masks as in ElementwiseMergeImpl::merge.
Tensor apply_merge_op_and_or_mask(const std::vector<Tensor>& xs,
                                  const std::vector<std::optional<Tensor>>& masks,
                                  Tensor (*op)(const Tensor&, const Tensor&));

}  // namespace keras::layers
