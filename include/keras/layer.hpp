#pragma once
// The layer machinery every layer shares, following Keras 3's Layer:
// options at construction, build(input_shapes) creates the weights,
// call(inputs) computes, compute_output_shape(input_shapes) answers without
// computing. A layer is called on symbolic tensors (KerasTensor, from
// keras::Input) to build a graph, or on concrete tensors to compute.
//
// LayerImpl is the object that holds a layer's state; Layer is a cheap handle
// to it. Copying a Layer shares the weights, as reusing a layer object does
// in Keras. Each layer (Dense, Flatten, ...) is a Layer handle whose
// constructor takes Keras' arguments.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/constraints.hpp"
#include "keras/initializers.hpp"
#include "keras/regularizers.hpp"
#include "keras/shape.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras {

class Config;  // keras/saving/object_registration.hpp
class LayerImpl;
struct Node;
namespace detail {
class ConfigWriter;   // src/layers/layer_config_writer.hpp
class ExplainWriter;  // src/layers/layer_explain_writer.hpp
}

// A symbolic tensor: a shape (whose batch dimension is usually None), a dtype,
// and the layer call (node) that produced it.
class KerasTensor {
 public:
  KerasTensor() = default;
  KerasTensor(Shape shape, DType dtype, std::shared_ptr<Node> node, int tensor_index);

  bool defined() const { return state_ != nullptr; }
  const Shape& shape() const;
  DType dtype() const;
  // The call that produced this tensor and which of its outputs this is
  // (Keras' _keras_history: operation, node_index, tensor_index).
  const std::shared_ptr<Node>& node() const;
  int tensor_index() const;
  LayerImpl& layer() const;
  const void* id() const { return state_.get(); }
  // Keras' _keras_mask: the symbolic mask the producing call attached to this
  // output (Embedding(mask_zero=true)'s not_equal, Masking's any, or one
  // passed on), undefined when there is none.
  KerasTensor mask() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// One call of a layer on symbolic tensors. Nodes own their layer and their
// input tensors; a layer refers to its nodes weakly, so graphs have no cycles.
struct Node {
  std::shared_ptr<LayerImpl> layer;
  std::vector<KerasTensor> inputs;
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
  int node_index = 0;  // position among the layer's calls (Keras' node_index)
  // Whether inputs were passed as a list (Concatenate()([a, b])) rather than alone.
  bool inputs_as_list = false;
  // The call's mask= argument as Keras records it in the node (a connection
  // in the graph): empty when the call got none; else one entry per input,
  // undefined for an input without a mask.
  std::vector<KerasTensor> masks;
  // The mask attached to each output (Keras' _keras_mask), undefined where none.
  std::vector<KerasTensor> output_masks;
};

// What a call receives besides its inputs.
struct CallContext {
  bool training = false;
  // One entry per input when masks are present, else empty.
  std::vector<std::optional<Tensor>> masks;
};

class LayerImpl : public std::enable_shared_from_this<LayerImpl> {
 public:
  // An empty name gets Keras' automatic one (dense, dense_1, ...).
  LayerImpl(std::string class_name, const std::string& name = "", bool trainable = true);
  virtual ~LayerImpl();
  LayerImpl(const LayerImpl&) = delete;
  LayerImpl& operator=(const LayerImpl&) = delete;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  bool built() const { return built_; }
  bool trainable() const { return trainable_; }
  virtual void set_trainable(bool trainable);

  // ---- Keras life cycle; each layer overrides these ----
  // Creates the weights for inputs of these shapes. The default creates none.
  virtual void build(const std::vector<Shape>& input_shapes);
  virtual std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) = 0;
  // call() into `outputs` (replaced): a model's runner keeps one such vector
  // per step, so layers that override this compute a warm step without
  // allocating bookkeeping. The default moves call()'s result in.
  virtual void call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                         std::vector<Tensor>& outputs);
  // Output shapes for inputs of these shapes (batch may be None). Throws
  // keras::Error naming the layer when it cannot take such inputs.
  virtual std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) = 0;
  // Default: the first input's dtype if it is floating, else float32.
  virtual std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                                  std::size_t num_outputs) const;
  // Default: with supports_masking() the input masks pass through; else none.
  virtual std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>& masks) const;
  virtual bool supports_masking() const { return false; }
  // compute_mask into `out` (replaced), reusing its memory: a model's runner
  // calls this at every step. The default moves compute_mask's result in;
  // the layers of the common training graphs override it to allocate nothing.
  virtual void compute_mask_into(const std::vector<Tensor>& inputs,
                                 const std::vector<std::optional<Tensor>>& masks,
                                 std::vector<std::optional<Tensor>>& out) const;
  // compute_mask on symbolic tensors, as Keras runs it when a layer is called
  // on KerasTensors: the mask of each output as a graph tensor (undefined:
  // none). A layer that makes a new mask records it with graph operations
  // (Embedding: not_equal). Default, with supports_masking(): the single
  // input's mask passes on, as compute_mask's default.
  virtual std::vector<KerasTensor> compute_symbolic_mask(
      const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& masks) const;
  // Keras' _call_has_mask_arg: whether call() takes mask=. A symbolic call of
  // such a layer on a masked tensor records that mask as one of its inputs
  // (Node::masks), and running the graph passes it in.
  virtual bool call_has_mask_arg() const { return false; }
  // How many inputs call() takes; -1 means a list of any length >= 1.
  virtual int num_inputs() const { return 1; }

  // ---- weights ----
  Variable add_weight(const std::string& name, const Shape& shape,
                      const initializers::Initializer& initializer, bool trainable = true,
                      DType dtype = DType::float32);
  // Keras' add_weight(regularizer=, constraint=): the regularizer's penalty on
  // this weight joins losses() (and so the model's loss in fit/evaluate) while
  // the weight is trainable; the constraint runs after each optimizer step.
  Variable add_weight(const std::string& name, const Shape& shape,
                      const initializers::Initializer& initializer,
                      const regularizers::Regularizer& regularizer,
                      const constraints::Constraint& constraint = {}, bool trainable = true,
                      DType dtype = DType::float32);
  // Own weights (trainable first, then non-trainable, each in creation order),
  // then each sub-layer's weights.
  std::vector<Variable> weights() const;
  // This layer's own weights only (created trainable first, then the others,
  // each in creation order), without sub-layers': what Keras' save_own_variables
  // writes to the layer's "vars" group.
  std::vector<Variable> own_weights() const;
  std::vector<Variable> trainable_weights() const;
  std::vector<Variable> non_trainable_weights() const;
  std::vector<Tensor> get_weights() const;
  // Throws keras::Error naming the layer and weight on a count or shape mismatch.
  void set_weights(const std::vector<Tensor>& values);
  std::int64_t count_params() const;
  // Layers this one owns (a wrapper's inner layer, a model's layers).
  virtual std::vector<std::shared_ptr<LayerImpl>> sublayers() const { return {}; }

  // ---- calling ----
  // Checks the inputs, builds on first use from their shapes, then calls.
  std::vector<Tensor> apply(const std::vector<Tensor>& inputs, const CallContext& ctx);
  void apply_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                  std::vector<Tensor>& outputs);
  // Records a node: checks and builds from symbolic shapes, infers outputs,
  // and attaches the outputs' masks (compute_symbolic_mask). masks is the
  // call's explicit mask= (one per input, as Keras' call(x, mask=m)); empty:
  // the inputs' own masks.
  std::vector<KerasTensor> apply_symbolic(const std::vector<KerasTensor>& inputs,
                                          bool inputs_as_list,
                                          const std::vector<KerasTensor>& masks = {});
  // Calls build() once, remembering the shapes (Keras' build_config).
  void maybe_build(const std::vector<Shape>& input_shapes);
  const std::vector<Shape>& build_shapes() const { return build_shapes_; }
  // This layer's symbolic calls, oldest first (expired ones are skipped).
  std::vector<std::shared_ptr<Node>> inbound_nodes() const;

  // "Dense \"dense_1\"": how error messages name this layer.
  std::string describe() const;

  // ---- saving (Keras' get_config) ----
  // Writes this layer's config, as Keras' get_config() returns it, with the
  // writer's helpers (src/layers/layer_config_writer.hpp); each layer
  // defines it next to its from_config builder. The default throws
  // keras::Error: the layer cannot be saved yet.
  virtual void write_config(detail::ConfigWriter& writer) const;
  // A custom layer's own config fields (Keras' get_config() of a subclass),
  // for a class registered with keras::register_layer
  // (keras/saving/object_registration.hpp); kerascpp adds name, trainable and
  // dtype. The default adds nothing.
  virtual void get_config(Config& config) const;

  // ---- explaining (Model::explain) ----
  // Writes what this layer does to the shapes of one call, with the writer's
  // helpers (src/layers/layer_explain_writer.hpp): the operation in index
  // notation with concrete axis names, what is shared, and where each
  // parameter comes from. Each layer defines it next to its call(). The
  // default marks the layer as unexplained (the writer then says so).
  virtual void explain(detail::ExplainWriter& writer) const;

  // ---- losses (Keras' add_loss, layer.losses, activity_regularizer) ----
  // Adds a scalar loss computed during a call: to the innermost live
  // LossCollector of this thread if there is one (a training step), else to
  // this layer's own list, which each call of the layer starts afresh.
  void add_loss(const Tensor& loss);
  // Keras' layer.losses: the losses added during the last calls (this
  // layer's, then its sub-layers'), then the weight regularization penalties
  // (regularization_losses()).
  std::vector<Tensor> losses() const;
  // The penalty of each trainable weight that has a regularizer (sub-layers'
  // included), computed now from the weights' values, in trainable_weights()
  // order. Recorded by a live GradientTape like any op.
  std::vector<Tensor> regularization_losses() const;
  // Forgets the losses added by calls, here and in every sub-layer.
  void clear_losses();
  // Keras' activity_regularizer: after each call, regularizer(output) / batch
  // size is added with add_loss for each floating output.
  void set_activity_regularizer(regularizers::Regularizer regularizer);
  const regularizers::Regularizer& activity_regularizer() const { return activity_regularizer_; }
  // The regularizer and constraint given to add_weight for one of this
  // layer's own weights (undefined when none, or when v is not its own).
  regularizers::Regularizer weight_regularizer(const Variable& v) const;
  constraints::Constraint weight_constraint(const Variable& v) const;
  // Every weight with a constraint (sub-layers' included, each once), with it.
  std::vector<std::pair<Variable, constraints::Constraint>> weight_constraints() const;

 protected:
  void set_built(bool built) { built_ = built; }
  void check_num_inputs(std::size_t given) const;
  // What apply() does before calling: checks the input count, builds on first use.
  void prepare_call(const std::vector<Tensor>& inputs);
  // Records a symbolic call of this layer with known outputs (what
  // apply_symbolic does after inferring them); an InputLayer records its
  // input-less node this way. node_index defaults to the next call number.
  std::shared_ptr<Node> record_node(std::vector<KerasTensor> inputs,
                                    std::vector<Shape> output_shapes,
                                    std::vector<DType> output_dtypes, bool inputs_as_list,
                                    std::optional<int> node_index = std::nullopt);
  // What apply_symbolic does after recording a node: records the call's
  // mask= argument and attaches the outputs' masks (Keras' __call__).
  void attach_masks(Node& node, const std::vector<KerasTensor>& inputs,
                    const std::vector<KerasTensor>& given) const;
  // compute_mask's default (pass-through with supports_masking()) into out:
  // compute_mask_into of a layer that keeps that default.
  void pass_masks_into(const std::vector<std::optional<Tensor>>& masks,
                       std::vector<std::optional<Tensor>>& out) const;
  // What apply() does after calling when the layer has an activity regularizer.
  void add_activity_losses(const std::vector<Tensor>& outputs);

 private:
  std::string class_name_;
  std::string name_;
  bool trainable_ = true;
  bool built_ = false;
  std::vector<Shape> build_shapes_;
  std::vector<Variable> own_weights_;
  // Whether each own weight was created trainable (Keras' _trainable_variables):
  // set_trainable() freezes and unfreezes only those.
  std::vector<bool> created_trainable_;
  // Per own weight, as own_weights_: what add_weight was given (may be undefined).
  std::vector<regularizers::Regularizer> weight_regularizers_;
  std::vector<constraints::Constraint> weight_constraints_;
  regularizers::Regularizer activity_regularizer_;
  std::vector<Tensor> losses_;  // added by the last calls (see add_loss)
  std::vector<std::weak_ptr<Node>> inbound_nodes_;
  int num_nodes_ = 0;
};

// While alive, the losses that layers add during calls on this thread
// (activity regularization, add_loss) are collected here instead of on the
// layers, as Keras' StatelessScope(collect_losses=True) does for a training
// step: a layer called twice contributes twice. Collectors nest; the
// innermost one collects.
class LossCollector {
 public:
  LossCollector();
  ~LossCollector();
  LossCollector(const LossCollector&) = delete;
  LossCollector& operator=(const LossCollector&) = delete;

  const std::vector<Tensor>& losses() const { return losses_; }
  // The collector that add_loss writes to now, or nullptr.
  static LossCollector* current();
  void add(const Tensor& loss) { losses_.push_back(loss); }

 private:
  std::vector<Tensor> losses_;
  LossCollector* outer_ = nullptr;
};

// A cheap, copyable handle to a layer.
class Layer {
 public:
  Layer() = default;
  explicit Layer(std::shared_ptr<LayerImpl> impl) : impl_(std::move(impl)) {}

  // Symbolic calls build a graph (functional API).
  KerasTensor operator()(const KerasTensor& x) const;
  std::vector<KerasTensor> operator()(const std::vector<KerasTensor>& xs) const;
  // Concrete calls compute (inference unless training is true).
  Tensor operator()(const Tensor& x, bool training = false) const;
  std::vector<Tensor> operator()(const std::vector<Tensor>& xs, bool training = false) const;

  bool defined() const { return impl_ != nullptr; }
  const std::string& name() const { return impl().name(); }
  const std::string& class_name() const { return impl().class_name(); }
  bool built() const { return impl().built(); }
  std::int64_t count_params() const { return impl().count_params(); }
  std::vector<Variable> weights() const { return impl().weights(); }
  std::vector<Variable> trainable_weights() const { return impl().trainable_weights(); }
  std::vector<Variable> non_trainable_weights() const { return impl().non_trainable_weights(); }
  std::vector<Tensor> get_weights() const { return impl().get_weights(); }
  void set_weights(const std::vector<Tensor>& values) const { impl().set_weights(values); }
  void set_trainable(bool trainable) const { impl().set_trainable(trainable); }
  // Output shape(s) for inputs of these shapes, without computing.
  Shape compute_output_shape(const Shape& input_shape) const;
  // Keras' layer.losses (see LayerImpl::losses).
  std::vector<Tensor> losses() const { return impl().losses(); }

  LayerImpl& impl() const;
  const std::shared_ptr<LayerImpl>& ptr() const { return impl_; }

 protected:
  std::shared_ptr<LayerImpl> impl_;
};

}  // namespace keras
