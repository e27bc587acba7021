// Bidirectional (keras/src/layers/rnn/bidirectional.py). The wrapped layer is
// never run itself: like Keras, which re-creates it from its config, the
// wrapper makes a forward copy and (unless one is given) a backward copy with
// go_backwards, and runs both on the same inputs, mask and training flag.
#include "keras/layers/bidirectional.hpp"

#include <cstddef>
#include <utility>

#include "keras/ops.hpp"
#include "layers/call_scratch.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "layers/rnn.hpp"

namespace keras::layers {

namespace {

std::string without_prefix(const std::string& name, const std::string& prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

std::string show_mode(const std::optional<std::string>& mode) {
  return mode ? "\"" + *mode + "\"" : "None";
}

std::shared_ptr<RNNImpl> as_recurrent(const Layer& layer, const std::string& role) {
  auto rnn = std::dynamic_pointer_cast<RNNImpl>(layer.ptr());
  if (!rnn) {
    throw Error("Bidirectional can only wrap a recurrent layer (SimpleRNN, LSTM, GRU); the " +
                role + " given is " + layer.impl().describe() + ".");
  }
  return rnn;
}

class BidirectionalImpl : public LayerImpl {
 public:
  BidirectionalImpl(const std::shared_ptr<RNNImpl>& layer, std::shared_ptr<RNNImpl> backward,
                    std::optional<std::string> merge_mode, const BidirectionalOptions& options)
      : LayerImpl("Bidirectional", options.name, options.trainable),
        merge_mode_(std::move(merge_mode)) {
    forward_ = layer->copy("forward_" + without_prefix(layer->name(), "forward_"), false);
    if (backward) {
      backward_ = std::move(backward);
    } else {
      // Keras sets go_backwards=True on the copy (it does not toggle it).
      backward_ = layer->copy("backward_" + without_prefix(layer->name(), "backward_"),
                              !layer->go_backwards());
    }
    verify_copies();
    // Masked steps must give zeros in both directions, or the merge would
    // mix a real output with a repeated one.
    forward_->set_zero_output_for_mask(forward_->return_sequences());
    backward_->set_zero_output_for_mask(backward_->return_sequences());
  }

  const std::shared_ptr<RNNImpl>& forward() const { return forward_; }
  const std::shared_ptr<RNNImpl>& backward() const { return backward_; }

  bool supports_masking() const override { return true; }
  int num_inputs() const override { return -1; }  // {x} or {x, initial states...}
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override {
    return {forward_, backward_};
  }

  // Two independent copies read the sequence from both ends; the merge joins
  // their outputs step by step.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const bool sequences = forward_->return_sequences();
    std::vector<std::string> y =
        sequences ? std::vector<std::string>{"b", "t", "u"} : std::vector<std::string>{"b", "u"};
    const std::string f = detail::indexed("forward", y);
    const std::string back = detail::indexed("backward", y);
    if (!merge_mode_) {
      w.formula(detail::indexed("y1", y) + " = " + f + ", " + detail::indexed("y2", y) + " = " +
                back);
    } else if (*merge_mode_ == "concat") {
      y.back() = ":";
      w.formula(detail::indexed("y", y) + " = concat(" + detail::indexed("forward", y) + ", " +
                detail::indexed("backward", y) + ")");
    } else if (*merge_mode_ == "sum") {
      w.formula(detail::indexed("y", y) + " = " + f + " + " + back);
    } else if (*merge_mode_ == "ave") {
      w.formula(detail::indexed("y", y) + " = (" + f + " + " + back + ") / 2");
    } else {
      w.formula(detail::indexed("y", y) + " = " + f + " * " + back);
    }
    w.note("two independent copies of the " + forward_->class_name() +
           ", each with weights of its own, read the sequence: " + forward_->name() +
           " from the first step to the last, " + backward_->name() + " from the last to the " +
           "first" +
           (sequences ? "; the backward outputs are put back in time order, so both describe "
                        "step t"
                      : "; y joins their final states, which have each seen the whole sequence"));
    const std::vector<Shape> sub_inputs{in};
    w.sublayer(*forward_, sub_inputs, forward_->compute_output_shape(sub_inputs));
    w.sublayer(*backward_, sub_inputs, backward_->compute_output_shape(sub_inputs));
  }

  // Keras' get_config: "layer" is the forward copy, "backward_layer" the
  // backward one, each serialized whole; call() records mask=None.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("merge_mode", merge_mode_ ? detail::json(*merge_mode_) : detail::json(nullptr))
        .sublayer("layer", *forward_)
        .sublayer("backward_layer", *backward_)
        .call_arguments({.mask = true});
    write_sequence_build_config(w);
  }

  void build(const std::vector<Shape>& input_shapes) override {
    check_inputs(input_shapes.size());
    check_rank(input_shapes[0]);
    forward_->maybe_build({input_shapes[0]});
    backward_->maybe_build({input_shapes[0]});
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    std::vector<Tensor> out;
    call_into(inputs, ctx, out);
    return out;
  }

  // The lists handed to the two layers are leased scratch: a warm training
  // step makes no operator new here.
  void call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                 std::vector<Tensor>& out) override {
    check_inputs(inputs.size());
    check_rank(inputs[0].shape());
    // Initial states, if given: the forward layer's first, then the backward layer's.
    const std::size_t forward_states = inputs.size() > 1 ? states_of(*forward_) : 0;
    const auto first_backward = inputs.begin() + 1 + static_cast<std::ptrdiff_t>(forward_states);
    TensorScratch forward_inputs, backward_inputs, y, y_rev;
    forward_inputs->assign(inputs.begin(), first_backward);
    backward_inputs->push_back(inputs[0]);
    backward_inputs->insert(backward_inputs->end(), first_backward, inputs.end());
    ContextScratch forward_ctx, backward_ctx;
    inner_context(ctx, forward_inputs->size(), *forward_ctx);
    inner_context(ctx, backward_inputs->size(), *backward_ctx);
    // Both directions at once when the layers allow it (each on a thread of
    // its own), else one after the other.
    if (!apply_recurrent_pair(*forward_, *forward_inputs, *forward_ctx, *backward_,
                              *backward_inputs, *backward_ctx, *y, *y_rev)) {
      forward_->apply_into(*forward_inputs, *forward_ctx, *y);
      backward_->apply_into(*backward_inputs, *backward_ctx, *y_rev);
    }
    check_outputs(*forward_, *y);
    check_outputs(*backward_, *y_rev);
    // The backward layer emits its sequence in reading order (last step first).
    Tensor& backward_y = (*y_rev)[0];
    if (forward_->return_sequences()) backward_y = ops::flip(backward_y, 1);
    const Tensor& forward_y = (*y)[0];

    Tensor merged;
    if (!merge_mode_) {
      // Two outputs, set below.
    } else if (*merge_mode_ == "concat") {
      merged = ops::concatenate({forward_y, backward_y}, -1);
    } else if (*merge_mode_ == "sum") {
      merged = ops::add(forward_y, backward_y);
    } else if (*merge_mode_ == "ave") {
      merged = ops::divide(ops::add(forward_y, backward_y), 2.0);
    } else {  // "mul", checked at construction
      merged = ops::multiply(forward_y, backward_y);
    }
    out.clear();
    if (merge_mode_) {
      out.push_back(std::move(merged));
    } else {
      out.push_back(forward_y);
      out.push_back(backward_y);
    }
    out.insert(out.end(), y->begin() + 1, y->end());
    out.insert(out.end(), y_rev->begin() + 1, y_rev->end());
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_inputs(input_shapes.size());
    check_rank(input_shapes[0]);
    // Keras answers from the forward layer alone, even for a different
    // backward_layer (whose output may then differ from what it declares).
    const std::vector<Shape> inner = forward_->compute_output_shape({input_shapes[0]});
    Shape output = inner.at(0);
    std::vector<Shape> out;
    if (!merge_mode_) {
      out = {output, output};
    } else {
      if (*merge_mode_ == "concat" && output[-1] != None) output[-1] *= 2;
      out = {output};
    }
    // Forward states, then backward states (both of the forward layer's shapes).
    for (int copy = 0; copy < 2; ++copy) out.insert(out.end(), inner.begin() + 1, inner.end());
    return out;
  }

  // The sequence output keeps the input mask; states and single outputs have none.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>& masks) const override {
    const std::optional<Tensor> mask =
        forward_->return_sequences() && !masks.empty() ? masks[0] : std::nullopt;
    return merge_mode_ ? std::vector<std::optional<Tensor>>{mask}
                       : std::vector<std::optional<Tensor>>{mask, mask};
  }
  void compute_mask_into(const std::vector<Tensor>&,
                         const std::vector<std::optional<Tensor>>& masks,
                         std::vector<std::optional<Tensor>>& out) const override {
    out.clear();
    const std::optional<Tensor> mask =
        forward_->return_sequences() && !masks.empty() ? masks[0] : std::nullopt;
    // No mask anywhere: nothing to attach (what a list of nullopt means too).
    if (!mask) return;
    out.push_back(mask);
    if (!merge_mode_) out.push_back(mask);
  }
  std::vector<KerasTensor> compute_symbolic_mask(
      const std::vector<KerasTensor>&, const std::vector<KerasTensor>& masks) const override {
    if (masks.empty() || !forward_->return_sequences()) return {};
    return merge_mode_ ? std::vector<KerasTensor>{masks[0]}
                       : std::vector<KerasTensor>{masks[0], masks[0]};
  }
  // Keras' call(sequences, initial_state=None, mask=None, training=None).
  bool call_has_mask_arg() const override { return true; }

 private:
  // As Keras' _verify_layer_config.
  void verify_copies() const {
    if (forward_->go_backwards() == backward_->go_backwards()) {
      throw Error(describe() +
                  ": the forward and backward layers must have different go_backwards values; "
                  "got " +
                  show_bool(forward_->go_backwards()) + " for " + forward_->describe() + " and " +
                  show_bool(backward_->go_backwards()) + " for " + backward_->describe() + ".");
    }
    const auto same = [&](const char* what, bool f, bool b) {
      if (f != b) {
        throw Error(describe() + ": the forward and backward layers must have the same " + what +
                    "; got " + show_bool(f) + " for " + forward_->describe() + " and " +
                    show_bool(b) + " for " + backward_->describe() + ".");
      }
    };
    same("return_sequences", forward_->return_sequences(), backward_->return_sequences());
    same("return_state", forward_->return_state(), backward_->return_state());
  }

  static std::string show_bool(bool b) { return b ? "True" : "False"; }

  static std::size_t states_of(const RNNImpl& layer) {
    return static_cast<std::size_t>(layer.num_states());
  }

  // The sequences, optionally followed by initial states for both directions
  // (Keras splits them in halves; the two layers keep as many states unless
  // a different backward_layer was given).
  void check_inputs(std::size_t count) const {
    const std::size_t forward = states_of(*forward_), backward = states_of(*backward_);
    if (count == 1 || count == 1 + forward + backward) return;
    throw Error(describe() + " takes the sequences alone or followed by " +
                std::to_string(forward + backward) + " initial states (" + std::to_string(forward) +
                " for " + forward_->describe() + ", then " + std::to_string(backward) + " for " +
                backward_->describe() + "); got " + std::to_string(count) + " inputs.");
  }

  void check_rank(const Shape& shape) const {
    if (shape.rank() < 3) {
      throw Error(describe() + " expects inputs of rank 3 (batch, time, features), got shape " +
                  shape.to_string() + "." +
                  (shape.rank() == 2
                       ? " The input has no time axis: if it comes from another recurrent layer, "
                         "give that layer return_sequences=True; otherwise add one with "
                         "Reshape({time, features})."
                       : ""));
    }
  }

  // Both copies see the same training flag and the sequences' mask.
  static void inner_context(const CallContext& ctx, std::size_t num_inputs, CallContext& inner) {
    inner.training = ctx.training;
    inner.masks.clear();
    if (!ctx.masks.empty() && ctx.masks[0]) {
      inner.masks.assign(num_inputs, std::nullopt);
      inner.masks[0] = ctx.masks[0];
    }
  }

  void check_outputs(const RNNImpl& layer, const std::vector<Tensor>& out) const {
    const std::size_t expected =
        1 + (layer.return_state() ? static_cast<std::size_t>(layer.num_states()) : 0);
    if (out.size() != expected) {
      throw Error(describe() + ": " + layer.describe() + " returned " + std::to_string(out.size()) +
                  " tensors, expected " + std::to_string(expected) + ".");
    }
  }

  std::optional<std::string> merge_mode_;
  std::shared_ptr<RNNImpl> forward_;
  std::shared_ptr<RNNImpl> backward_;
};

}  // namespace

Bidirectional::Bidirectional(Layer layer, BidirectionalOptions options) {
  if (!layer.defined()) throw Error("Bidirectional needs a layer to wrap; got an empty Layer.");
  const auto& mode = options.merge_mode;
  if (mode && *mode != "concat" && *mode != "sum" && *mode != "mul" && *mode != "ave") {
    throw Error("Bidirectional: invalid merge_mode " + show_mode(mode) +
                ". It should be one of \"sum\", \"mul\", \"ave\", \"concat\" or None "
                "(std::nullopt).");
  }
  const std::shared_ptr<RNNImpl> forward = as_recurrent(layer, "layer");
  std::shared_ptr<RNNImpl> backward;
  if (options.backward_layer.defined())
    backward = as_recurrent(options.backward_layer, "backward_layer");
  impl_ = std::make_shared<BidirectionalImpl>(forward, std::move(backward), mode, options);
}

Layer Bidirectional::forward_layer() const {
  return Layer(static_cast<const BidirectionalImpl&>(impl()).forward());
}

Layer Bidirectional::backward_layer() const {
  return Layer(static_cast<const BidirectionalImpl&>(impl()).backward());
}

std::shared_ptr<LayerImpl> bidirectional_from_config(const LayerConfig& c) {
  const auto common = c.common();
  // A missing merge_mode is Keras' default; null is None.
  std::optional<std::string> merge_mode = "concat";
  if (c.raw().contains("merge_mode")) {
    merge_mode =
        c.has("merge_mode") ? std::optional<std::string>(c.string("merge_mode")) : std::nullopt;
  }
  // The wrapped layers are templates that Bidirectional copies into its two
  // directions and builds: building them too, as their build_config asks,
  // would allocate a third set of weights (and count it against the size of
  // the file being loaded).
  auto unbuilt = [](json object) {
    object.erase("build_config");
    return object;
  };
  const Layer layer(layer_from_config(unbuilt(c.object("layer"))));
  Layer backward;
  if (c.has("backward_layer")) {
    backward = Layer(layer_from_config(unbuilt(c.object("backward_layer"))));
  }
  return Bidirectional(layer, {.merge_mode = merge_mode,
                               .backward_layer = backward,
                               .name = common.name,
                               .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
