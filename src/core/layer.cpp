#include "keras/layer.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layers/layer_explain_writer.hpp"
#include "saving/weight_budget.hpp"

namespace keras {

// ---- KerasTensor ----

struct KerasTensor::State {
  Shape shape;
  DType dtype = DType::float32;
  std::shared_ptr<Node> node;
  int tensor_index = 0;
};

KerasTensor::KerasTensor(Shape shape, DType dtype, std::shared_ptr<Node> node, int tensor_index)
    : state_(std::make_shared<State>()) {
  state_->shape = shape;
  state_->dtype = dtype;
  state_->node = std::move(node);
  state_->tensor_index = tensor_index;
}

namespace {
void check_defined(const void* state) {
  if (state == nullptr) throw Error("Use of an undefined symbolic tensor.");
}
}  // namespace

const Shape& KerasTensor::shape() const {
  check_defined(state_.get());
  return state_->shape;
}
DType KerasTensor::dtype() const {
  check_defined(state_.get());
  return state_->dtype;
}
const std::shared_ptr<Node>& KerasTensor::node() const {
  check_defined(state_.get());
  return state_->node;
}
int KerasTensor::tensor_index() const {
  check_defined(state_.get());
  return state_->tensor_index;
}
LayerImpl& KerasTensor::layer() const { return *node()->layer; }

KerasTensor KerasTensor::mask() const {
  const std::shared_ptr<Node>& n = node();
  const auto i = static_cast<std::size_t>(tensor_index());
  if (!n || i >= n->output_masks.size()) return {};
  return n->output_masks[i];
}

// ---- LayerImpl ----

LayerImpl::LayerImpl(std::string class_name, const std::string& name, bool trainable)
    : class_name_(std::move(class_name)),
      name_(name.empty() ? backend::unique_object_name(class_name_) : name),
      trainable_(trainable) {}

LayerImpl::~LayerImpl() = default;

void LayerImpl::set_trainable(bool trainable) {
  // As Keras' trainable setter: the weights created trainable follow the
  // layer's flag, and so do the sub-layers.
  trainable_ = trainable;
  for (std::size_t i = 0; i < own_weights_.size(); ++i) {
    if (created_trainable_[i]) own_weights_[i].set_trainable(trainable);
  }
  for (const auto& sub : sublayers()) sub->set_trainable(trainable);
}

void LayerImpl::build(const std::vector<Shape>&) {}

std::vector<DType> LayerImpl::compute_output_dtype(const std::vector<DType>& input_dtypes,
                                                   std::size_t num_outputs) const {
  const DType d =
      !input_dtypes.empty() && is_floating(input_dtypes[0]) ? input_dtypes[0] : DType::float32;
  return std::vector<DType>(num_outputs, d);
}

std::vector<std::optional<Tensor>> LayerImpl::compute_mask(
    const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>& masks) const {
  if (supports_masking() && masks.size() == 1) return masks;
  return {};
}

void LayerImpl::compute_mask_into(const std::vector<Tensor>& inputs,
                                  const std::vector<std::optional<Tensor>>& masks,
                                  std::vector<std::optional<Tensor>>& out) const {
  std::vector<std::optional<Tensor>> computed = compute_mask(inputs, masks);
  // Moved element by element, so that out keeps its memory.
  out.assign(std::make_move_iterator(computed.begin()), std::make_move_iterator(computed.end()));
}

void LayerImpl::pass_masks_into(const std::vector<std::optional<Tensor>>& masks,
                                std::vector<std::optional<Tensor>>& out) const {
  if (supports_masking() && masks.size() == 1) {
    out.assign(masks.begin(), masks.end());
  } else {
    out.clear();
  }
}

std::vector<KerasTensor> LayerImpl::compute_symbolic_mask(
    const std::vector<KerasTensor>&, const std::vector<KerasTensor>& masks) const {
  if (supports_masking() && masks.size() == 1) return masks;
  return {};
}

std::string LayerImpl::describe() const { return class_name_ + " \"" + name_ + "\""; }

void LayerImpl::write_config(detail::ConfigWriter&) const {
  throw Error(describe() + " cannot be saved: kerascpp has no config writer for " + class_name_ +
              " layers. For a layer class of your own, give it get_config and from_config and "
              "register it with keras::register_layer<" +
              class_name_ + "Impl>(\"package>" + class_name_ +
              "\") (keras/saving/object_registration.hpp).");
}

void LayerImpl::get_config(Config&) const {}

void LayerImpl::explain(detail::ExplainWriter& writer) const { writer.unexplained(); }

void LayerImpl::check_num_inputs(std::size_t given) const {
  const int expected = num_inputs();
  if (expected >= 0 && static_cast<std::size_t>(expected) != given) {
    throw Error(describe() + " takes " + std::to_string(expected) + " input" +
                (expected == 1 ? "" : "s") + ", got " + std::to_string(given) + ".");
  }
  if (expected < 0 && given == 0) throw Error(describe() + " needs at least one input.");
}

Variable LayerImpl::add_weight(const std::string& name, const Shape& shape,
                               const initializers::Initializer& initializer, bool trainable,
                               DType dtype) {
  return add_weight(name, shape, initializer, regularizers::Regularizer(),
                    constraints::Constraint(), trainable, dtype);
}

Variable LayerImpl::add_weight(const std::string& name, const Shape& shape,
                               const initializers::Initializer& initializer,
                               const regularizers::Regularizer& regularizer,
                               const constraints::Constraint& constraint, bool trainable,
                               DType dtype) {
  // Rebuilding a model from a file: the weight must fit in what the file holds.
  saving::WeightBudget::charge(describe(), name, shape, dtype);
  // A weight of a frozen layer starts frozen (Keras' _track_variable).
  Variable v(name, initializer(shape, dtype), trainable && trainable_);
  v.set_path(name_ + "/" + name);
  own_weights_.push_back(v);
  created_trainable_.push_back(trainable);
  weight_regularizers_.push_back(regularizer);
  weight_constraints_.push_back(constraint);
  return v;
}

// ---- losses ----

namespace {
constinit thread_local LossCollector* current_collector = nullptr;
}  // namespace

LossCollector::LossCollector() : outer_(current_collector) { current_collector = this; }

LossCollector::~LossCollector() { current_collector = outer_; }

LossCollector* LossCollector::current() { return current_collector; }

void LayerImpl::add_loss(const Tensor& loss) {
  if (!loss.defined()) throw Error(describe() + ": add_loss was given an undefined tensor.");
  if (LossCollector* collector = LossCollector::current()) {
    collector->add(loss);
  } else {
    losses_.push_back(loss);
  }
}

std::vector<Tensor> LayerImpl::losses() const {
  std::vector<Tensor> out = losses_;
  std::vector<const LayerImpl*> seen{this};
  // Sub-layers depth first, each once (a shared layer is listed once).
  auto visit = [&](auto&& self, const LayerImpl& layer) -> void {
    for (const auto& sub : layer.sublayers()) {
      if (std::find(seen.begin(), seen.end(), sub.get()) != seen.end()) continue;
      seen.push_back(sub.get());
      out.insert(out.end(), sub->losses_.begin(), sub->losses_.end());
      self(self, *sub);
    }
  };
  visit(visit, *this);
  for (Tensor& penalty : regularization_losses()) out.push_back(std::move(penalty));
  return out;
}

void LayerImpl::clear_losses() {
  losses_.clear();
  for (const auto& sub : sublayers()) sub->clear_losses();
}

regularizers::Regularizer LayerImpl::weight_regularizer(const Variable& v) const {
  for (std::size_t i = 0; i < own_weights_.size(); ++i) {
    if (own_weights_[i].id() == v.id()) return weight_regularizers_[i];
  }
  return {};
}

constraints::Constraint LayerImpl::weight_constraint(const Variable& v) const {
  for (std::size_t i = 0; i < own_weights_.size(); ++i) {
    if (own_weights_[i].id() == v.id()) return weight_constraints_[i];
  }
  return {};
}

namespace {
// Calls fn(layer) for a layer and every layer below it, each once.
template <class Fn>
void for_each_layer(const LayerImpl& root, Fn&& fn) {
  std::vector<const LayerImpl*> seen;
  auto visit = [&](auto&& self, const LayerImpl& layer) -> void {
    if (std::find(seen.begin(), seen.end(), &layer) != seen.end()) return;
    seen.push_back(&layer);
    fn(layer);
    for (const auto& sub : layer.sublayers()) self(self, *sub);
  };
  visit(visit, root);
}
}  // namespace

std::vector<Tensor> LayerImpl::regularization_losses() const {
  std::unordered_map<const void*, regularizers::Regularizer> by_weight;
  for_each_layer(*this, [&](const LayerImpl& layer) {
    for (std::size_t i = 0; i < layer.own_weights_.size(); ++i) {
      if (layer.weight_regularizers_[i]) {
        by_weight.emplace(layer.own_weights_[i].id(), layer.weight_regularizers_[i]);
      }
    }
  });
  std::vector<Tensor> out;
  if (by_weight.empty()) return out;
  // In Keras' order: that of trainable_weights (frozen weights are not penalised).
  for (const Variable& v : trainable_weights()) {
    const auto found = by_weight.find(v.id());
    if (found != by_weight.end()) out.push_back(found->second(v.value()));
  }
  return out;
}

std::vector<std::pair<Variable, constraints::Constraint>> LayerImpl::weight_constraints() const {
  std::vector<std::pair<Variable, constraints::Constraint>> out;
  for_each_layer(*this, [&](const LayerImpl& layer) {
    for (std::size_t i = 0; i < layer.own_weights_.size(); ++i) {
      if (layer.weight_constraints_[i].defined()) {
        out.emplace_back(layer.own_weights_[i], layer.weight_constraints_[i]);
      }
    }
  });
  return out;
}

void LayerImpl::set_activity_regularizer(regularizers::Regularizer regularizer) {
  activity_regularizer_ = std::move(regularizer);
}

void LayerImpl::add_activity_losses(const std::vector<Tensor>& outputs) {
  for (const Tensor& y : outputs) {
    if (!y.defined() || !is_floating(y.dtype())) continue;
    Tensor loss = activity_regularizer_(y);
    // Keras divides by the batch size (divide_no_nan: an empty batch gives 0)
    // so that the penalty's weight does not change with the batch size.
    if (y.rank() > 0) {
      const std::int64_t batch = y.shape()[0];
      loss = batch == 0 ? Tensor::scalar(0.0, loss.dtype())
                        : ops::divide(loss, static_cast<double>(batch));
    }
    add_loss(loss);
  }
}

std::vector<Variable> LayerImpl::own_weights() const {
  std::vector<Variable> out;
  for (std::size_t i = 0; i < own_weights_.size(); ++i) {
    if (created_trainable_[i]) out.push_back(own_weights_[i]);
  }
  for (std::size_t i = 0; i < own_weights_.size(); ++i) {
    if (!created_trainable_[i]) out.push_back(own_weights_[i]);
  }
  return out;
}

std::vector<Variable> LayerImpl::weights() const {
  std::vector<Variable> out = own_weights();
  for (const auto& sub : sublayers()) {
    for (auto& v : sub->weights()) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const Variable& w) { return w.id() == v.id(); });
      if (!seen) out.push_back(v);
    }
  }
  return out;
}

std::vector<Variable> LayerImpl::trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable_) return out;
  for (auto& v : weights()) {
    if (v.trainable()) out.push_back(v);
  }
  return out;
}

std::vector<Variable> LayerImpl::non_trainable_weights() const {
  std::vector<Variable> out;
  for (auto& v : weights()) {
    if (!trainable_ || !v.trainable()) out.push_back(v);
  }
  return out;
}

std::vector<Tensor> LayerImpl::get_weights() const {
  std::vector<Tensor> out;
  for (auto& v : weights()) out.push_back(v.value().clone());
  return out;
}

void LayerImpl::set_weights(const std::vector<Tensor>& values) {
  const std::vector<Variable> ws = weights();
  if (values.size() != ws.size()) {
    throw Error(describe() + " has " + std::to_string(ws.size()) + " weights, but " +
                std::to_string(values.size()) + " values were given to set_weights.");
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (values[i].shape() != ws[i].shape()) {
      throw Error(describe() + ": weight " + std::to_string(i) + " (\"" + ws[i].path() +
                  "\") has shape " + ws[i].shape().to_string() +
                  ", but the value given has shape " + values[i].shape().to_string() + ".");
    }
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    Variable v = ws[i];
    v.assign(values[i]);
  }
}

std::int64_t LayerImpl::count_params() const {
  std::int64_t n = 0;
  for (auto& v : weights()) n += v.shape().num_elements();
  return n;
}

void LayerImpl::maybe_build(const std::vector<Shape>& input_shapes) {
  if (built_) return;
  build(input_shapes);
  build_shapes_ = input_shapes;
  built_ = true;
}

void LayerImpl::call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                          std::vector<Tensor>& outputs) {
  outputs = call(inputs, ctx);
}

void LayerImpl::prepare_call(const std::vector<Tensor>& inputs) {
  check_num_inputs(inputs.size());
  if (!built_) {
    std::vector<Shape> shapes;
    shapes.reserve(inputs.size());
    for (const auto& x : inputs) shapes.push_back(x.shape());
    // Validates the shapes the way a symbolic call would, before creating weights.
    maybe_build(shapes);
  }
}

std::vector<Tensor> LayerImpl::apply(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  prepare_call(inputs);
  losses_.clear();  // each call starts the layer's losses afresh
  std::vector<Tensor> outputs = call(inputs, ctx);
  if (activity_regularizer_) add_activity_losses(outputs);
  return outputs;
}

void LayerImpl::apply_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                           std::vector<Tensor>& outputs) {
  prepare_call(inputs);
  losses_.clear();
  call_into(inputs, ctx, outputs);
  if (activity_regularizer_) add_activity_losses(outputs);
}

std::vector<KerasTensor> LayerImpl::apply_symbolic(const std::vector<KerasTensor>& inputs,
                                                   bool inputs_as_list,
                                                   const std::vector<KerasTensor>& masks) {
  check_num_inputs(inputs.size());
  if (masks.size() > inputs.size()) {
    throw Error(describe() + " got " + std::to_string(masks.size()) + " masks for " +
                std::to_string(inputs.size()) + " inputs.");
  }
  std::vector<Shape> shapes;
  std::vector<DType> dtypes;
  for (const auto& x : inputs) {
    shapes.push_back(x.shape());
    dtypes.push_back(x.dtype());
  }
  maybe_build(shapes);
  std::vector<Shape> output_shapes = compute_output_shape(shapes);
  std::vector<DType> output_dtypes = compute_output_dtype(dtypes, output_shapes.size());
  std::shared_ptr<Node> node =
      record_node(inputs, std::move(output_shapes), std::move(output_dtypes), inputs_as_list);
  std::vector<KerasTensor> outputs;
  for (std::size_t i = 0; i < node->output_shapes.size(); ++i) {
    outputs.emplace_back(node->output_shapes[i], node->output_dtypes[i], node, static_cast<int>(i));
  }
  attach_masks(*node, inputs, masks);
  return outputs;
}

void LayerImpl::attach_masks(Node& node, const std::vector<KerasTensor>& inputs,
                             const std::vector<KerasTensor>& given) const {
  // As Keras' Layer.__call__: the masks the call sees are those given, else
  // those attached to its inputs.
  std::vector<KerasTensor> masks = given;
  if (masks.empty()) {
    for (const auto& x : inputs) masks.push_back(x.mask());
  }
  masks.resize(inputs.size());
  const bool any_mask =
      std::any_of(masks.begin(), masks.end(), [](const KerasTensor& m) { return m.defined(); });
  // A layer whose call() takes mask= gets it as an argument (a connection of
  // the node) when it was given, or when the call has a single tensor
  // argument (the sequences alone, or a model's list of inputs); an RNN
  // called with initial states gets none recorded, as in Keras.
  if (any_mask &&
      (!given.empty() || (call_has_mask_arg() && (inputs.size() == 1 || num_inputs() > 1)))) {
    node.masks = masks;
  }
  // A layer may make a mask from no mask (Embedding).
  if (!supports_masking()) return;
  std::vector<KerasTensor> out = compute_symbolic_mask(inputs, masks);
  if (std::none_of(out.begin(), out.end(), [](const KerasTensor& m) { return m.defined(); })) {
    return;
  }
  out.resize(node.output_shapes.size());
  node.output_masks = std::move(out);
}

std::shared_ptr<Node> LayerImpl::record_node(std::vector<KerasTensor> inputs,
                                             std::vector<Shape> output_shapes,
                                             std::vector<DType> output_dtypes, bool inputs_as_list,
                                             std::optional<int> node_index) {
  if (output_dtypes.size() != output_shapes.size()) {
    throw Error(describe() + ": " + std::to_string(output_shapes.size()) + " output shapes but " +
                std::to_string(output_dtypes.size()) + " output dtypes.");
  }
  auto node = std::make_shared<Node>();
  node->layer = shared_from_this();
  node->inputs = std::move(inputs);
  node->inputs_as_list = inputs_as_list;
  node->output_shapes = std::move(output_shapes);
  node->output_dtypes = std::move(output_dtypes);
  if (node_index) {
    node->node_index = *node_index;
    num_nodes_ = std::max(num_nodes_, *node_index + 1);
  } else {
    node->node_index = num_nodes_++;
  }
  inbound_nodes_.push_back(node);
  return node;
}

std::vector<std::shared_ptr<Node>> LayerImpl::inbound_nodes() const {
  std::vector<std::shared_ptr<Node>> out;
  for (const auto& w : inbound_nodes_) {
    if (auto n = w.lock()) out.push_back(n);
  }
  return out;
}

// ---- Layer handle ----

LayerImpl& Layer::impl() const {
  if (!impl_) throw Error("Use of an empty Layer handle.");
  return *impl_;
}

KerasTensor Layer::operator()(const KerasTensor& x) const {
  std::vector<KerasTensor> out = impl().apply_symbolic({x}, false);
  if (out.size() != 1) {
    throw Error(impl().describe() + " returns " + std::to_string(out.size()) +
                " tensors; call it with a vector to get all of them: "
                "layer(std::vector<KerasTensor>{x}).");
  }
  return out[0];
}

std::vector<KerasTensor> Layer::operator()(const std::vector<KerasTensor>& xs) const {
  return impl().apply_symbolic(xs, true);
}

Tensor Layer::operator()(const Tensor& x, bool training) const {
  CallContext ctx;
  ctx.training = training;
  std::vector<Tensor> out = impl().apply({x}, ctx);
  if (out.size() != 1) {
    throw Error(impl().describe() + " returns " + std::to_string(out.size()) +
                " tensors; call it with a vector to get all of them: "
                "layer(std::vector<Tensor>{x}).");
  }
  return out[0];
}

std::vector<Tensor> Layer::operator()(const std::vector<Tensor>& xs, bool training) const {
  CallContext ctx;
  ctx.training = training;
  return impl().apply(xs, ctx);
}

Shape Layer::compute_output_shape(const Shape& input_shape) const {
  std::vector<Shape> out = impl().compute_output_shape({input_shape});
  if (out.size() != 1) {
    throw Error(impl().describe() + " has " + std::to_string(out.size()) + " outputs.");
  }
  return out[0];
}

}  // namespace keras
