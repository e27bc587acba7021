// TimeDistributed (keras/src/layers/rnn/time_distributed.py). Keras calls the
// inner layer once per step; folding time into the batch axis,
// (B, T, ...) -> (B*T, ...) -> inner -> (B, T, ...), computes the same in one
// call since the inner layer treats every batch row alike.
#include "keras/layers/time_distributed.hpp"

#include "keras/ops.hpp"
#include "layers/call_scratch.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class TimeDistributedImpl : public LayerImpl {
 public:
  TimeDistributedImpl(std::shared_ptr<LayerImpl> inner, const TimeDistributedOptions& options)
      : LayerImpl("TimeDistributed", options.name, options.trainable), inner_(std::move(inner)) {}

  const std::shared_ptr<LayerImpl>& inner() const { return inner_; }

  bool supports_masking() const override { return true; }
  // Keras' call(inputs, training=None, mask=None): the mask is folded with
  // the time axis and given to the inner layer.
  bool call_has_mask_arg() const override { return true; }
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override { return {inner_}; }

  // The inner layer on each step, as if the step were a sample; one set of
  // weights for every step.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const Shape& out = w.output();
    std::vector<std::string> x{"b", "t"}, y{"b", "t"};
    for (int i = 2; i < in.rank(); ++i) x.push_back(":");
    for (int i = 2; i < out.rank(); ++i) y.push_back(":");
    w.formula(detail::indexed("y", y) + " = " + inner_->name() + "(" + detail::indexed("x", x) +
              ")");
    const Shape child = child_shape(in);
    const std::string steps =
        in[1] == None ? "every step" : "each of the " + detail::plural(in[1], "step");
    w.note("applies " + inner_->name() + " to " + steps + " on its own, as if each step were a " +
           "sample of shape " + child.without_batch().to_string() +
           "; the same weights serve every step (below, b runs over all (sample, step) pairs)");
    if (inner_->class_name() == "Dense") {
      w.note("a Dense on " + in.to_string() +
             " computes the same by itself: it contracts only the last axis");
    }
    w.sublayer(*inner_, {child}, inner_->compute_output_shape({child}));
  }

  // Keras' TimeDistributed.call(inputs, training=None, mask=None).
  void write_config(detail::ConfigWriter& w) const override {
    w.base().sublayer("layer", *inner_).call_arguments({.mask = true});
  }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    inner_->maybe_build({child_shape(input_shapes[0])});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    std::vector<Tensor> out;
    call_into(inputs, ctx, out);
    return out;
  }

  // The inner layer's inputs, context and outputs are leased scratch: a warm
  // training step makes no operator new here.
  void call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                 std::vector<Tensor>& outputs) override {
    check_single(*this, inputs.size());
    const Tensor& x = inputs[0];
    const Shape& shape = x.shape();
    const std::int64_t batch = shape[0];
    const std::int64_t steps = check_rank(shape)[1];
    ContextScratch inner_ctx;
    inner_ctx->training = ctx.training;
    if (!ctx.masks.empty() && ctx.masks[0]) {
      inner_ctx->masks.emplace_back(fold_mask(*ctx.masks[0], shape));
    }
    TensorScratch folded, out;
    folded->push_back(ops::reshape(x, shape.without_batch().with_dim(0, batch * steps)));
    inner_->apply_into(*folded, *inner_ctx, *out);
    if (out->size() != 1) throw Error(describe() + ": the wrapped layer must give one output.");
    const Shape inner_shape = (*out)[0].shape();
    if (inner_shape.rank() < 1 || inner_shape[0] != batch * steps) {
      throw Error(describe() + ": the wrapped layer " + inner_->describe() +
                  " changed the batch size from " + std::to_string(batch * steps) + " to shape " +
                  inner_shape.to_string() + ".");
    }
    outputs.resize(1);
    outputs[0] = ops::reshape((*out)[0], inner_shape.without_batch().prepend(steps).prepend(batch));
  }

  // The default compute_mask (the mask passes on), without allocating.
  void compute_mask_into(const std::vector<Tensor>&,
                         const std::vector<std::optional<Tensor>>& masks,
                         std::vector<std::optional<Tensor>>& out) const override {
    pass_masks_into(masks, out);
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    const Shape child = inner_->compute_output_shape({child_shape(shape)}).at(0);
    if (child.rank() < 1) {
      throw Error(describe() + ": the wrapped layer " + inner_->describe() +
                  " gives a scalar output, which has no batch axis.");
    }
    return {child.without_batch().prepend(shape[1]).prepend(child[0])};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return inner_->compute_output_dtype(input_dtypes, num_outputs);
  }

 private:
  const Shape& check_rank(const Shape& shape) const {
    if (shape.rank() < 3) {
      throw Error(describe() + " expects inputs of rank 3 or more (batch, time, ...), got shape " +
                  shape.to_string() + ". It applies " + inner_->describe() +
                  " to each step of a sequence: if the input comes from a recurrent layer, "
                  "give that layer return_sequences=True; on inputs without a time axis, use " +
                  inner_->name() + " itself, without TimeDistributed.");
    }
    return shape;
  }

  // The shape one time step has: (batch,) + input[2:].
  Shape child_shape(const Shape& shape) const {
    check_rank(shape);
    return shape.slice(2, shape.rank()).prepend(shape[0]);
  }

  // A (B, T, ...) mask becomes (B*T, ...), matching the folded input.
  Tensor fold_mask(const Tensor& mask, const Shape& input) const {
    const Shape& m = mask.shape();
    if (m.rank() < 2 || m[0] != input[0] || m[1] != input[1]) {
      throw Error(describe() + " got a mask of shape " + m.to_string() + " for inputs of shape " +
                  input.to_string() + "; the mask must start with (batch, time) = (" +
                  std::to_string(input[0]) + ", " + std::to_string(input[1]) + ").");
    }
    return ops::reshape(mask, m.without_batch().with_dim(0, m[0] * m[1]));
  }

  std::shared_ptr<LayerImpl> inner_;
};

}  // namespace

TimeDistributed::TimeDistributed(Layer layer, TimeDistributedOptions options) {
  if (!layer.defined()) throw Error("TimeDistributed needs a layer to wrap; got an empty Layer.");
  if (layer.impl().num_inputs() != 1) {
    throw Error("TimeDistributed can only wrap a layer with one input; " + layer.impl().describe() +
                " takes several.");
  }
  impl_ = std::make_shared<TimeDistributedImpl>(layer.ptr(), options);
}

Layer TimeDistributed::layer() const {
  return Layer(static_cast<const TimeDistributedImpl&>(impl()).inner());
}

std::shared_ptr<LayerImpl> time_distributed_from_config(const LayerConfig& c) {
  const auto common = c.common();
  std::shared_ptr<LayerImpl> inner = layer_from_config(c.object("layer"));
  return TimeDistributed(Layer(inner), {.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
