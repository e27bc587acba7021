// Keras' Functional (keras/src/models/functional.py): running the graph on
// concrete tensors, and the model as a layer of another model.
#include "models/functional.hpp"

#include <algorithm>
#include <cstring>

#include "keras/layers/input_layer.hpp"
#include "keras/utils.hpp"
#include "operations/operation.hpp"

namespace keras::detail {

namespace {

std::string model_label(const LayerImpl& model) {
  return (model.class_name() == "Sequential" ? "Sequential \"" : "Model \"") + model.name() + "\"";
}

// A hint for the commonest mistakes: a missing batch dimension, or the right
// number of values per sample in another layout.
std::string shape_hint(const Shape& expected, const Shape& got) {
  if (got.rank() + 1 == expected.rank()) {
    bool same = true;
    for (int i = 0; i < got.rank(); ++i) {
      same = same && (expected[i + 1] == None || expected[i + 1] == got[i]);
    }
    if (same) {
      return " The batch dimension seems to be missing: pass a tensor of shape " +
             got.prepend(1).to_string() + " for one sample.";
    }
  }
  const Shape want = expected.without_batch();
  if (got.rank() >= 1 && want.is_fully_defined() && got.is_fully_defined() &&
      got.without_batch().num_elements() == want.num_elements() && got.without_batch() != want) {
    return " Each sample has the right number of values (" + std::to_string(want.num_elements()) +
           ") in another layout: reshape the data to " + want.prepend(got[0]).to_string() +
           ", or put a Reshape layer after the Input.";
  }
  return "";
}

bool compatible(const Shape& expected, const Shape& got) {
  if (expected.rank() != got.rank()) return false;
  // Like Keras' Functional input_spec, the batch dimension is not checked.
  for (int i = 1; i < expected.rank(); ++i) {
    if (expected[i] != None && got[i] != None && expected[i] != got[i]) return false;
  }
  return true;
}

// Copies one batch's outputs into rows [begin, begin + batch) of the full
// outputs (n rows each), creating those at the first batch.
void append_rows(const std::vector<Tensor>& batch_outputs, std::int64_t begin, std::int64_t n,
                 std::vector<Tensor>& outputs) {
  if (begin == 0) {
    outputs.clear();
    for (const Tensor& p : batch_outputs) {
      if (p.rank() == 0) {
        throw Error("predict: the model's outputs must keep the batch axis, got shape " +
                    p.shape().to_string() + ".");
      }
      outputs.push_back(Tensor::empty(p.shape().with_dim(0, n), p.dtype()));
    }
  }
  for (std::size_t i = 0; i < outputs.size() && i < batch_outputs.size(); ++i) {
    const Tensor& p = batch_outputs[i];
    Tensor& out = outputs[i];
    if (p.dtype() != out.dtype() || p.rank() != out.rank() ||
        p.shape().slice(1, p.rank()) != out.shape().slice(1, out.rank()) ||
        begin + p.shape()[0] > n) {
      throw Error("predict: the model's outputs changed shape or dtype between batches: " +
                  out.shape().with_dim(0, None).to_string() + " then " + p.shape().to_string() +
                  ".");
    }
    const std::size_t row_bytes = p.shape()[0] == 0 ? 0 : p.nbytes() / p.shape()[0];
    std::memcpy(static_cast<unsigned char*>(out.raw_data()) + begin * row_bytes, p.raw_data(),
                p.nbytes());
  }
}

}  // namespace

FunctionalImpl* as_model(LayerImpl* layer) { return dynamic_cast<FunctionalImpl*>(layer); }

// What one run of the graph needs besides the layers: kept between runs so
// their capacity is reused and a warm run allocates no bookkeeping.
struct FunctionalImpl::RunBuffers {
  std::vector<Tensor> values;                     // one per slot
  std::vector<std::optional<Tensor>> slot_masks;  // one per slot
  std::vector<Tensor> ins, outs;                  // the current step's
  std::vector<std::optional<Tensor>> out_masks;
  CallContext ctx;
  std::vector<Tensor> standardized;  // the model's inputs, standardized
  std::vector<Tensor> batch;         // predict's current batch
  std::vector<Tensor> predicted;     // predict_single's outputs
  Result result;
};

// The model's buffers while nobody else uses them, else fresh ones.
class FunctionalImpl::BuffersLease {
 public:
  explicit BuffersLease(FunctionalImpl& model) : model_(model) {
    bool expected = false;
    if (model.buffers_busy_.compare_exchange_strong(expected, true)) {
      if (!model.buffers_) model.buffers_ = std::make_unique<RunBuffers>();
      buffers_ = model.buffers_.get();
      owned_ = true;
    } else {
      local_ = std::make_unique<RunBuffers>();
      buffers_ = local_.get();
    }
  }
  ~BuffersLease() {
    if (owned_) model_.buffers_busy_.store(false);
  }
  BuffersLease(const BuffersLease&) = delete;
  BuffersLease& operator=(const BuffersLease&) = delete;
  RunBuffers& operator*() const { return *buffers_; }

 private:
  FunctionalImpl& model_;
  RunBuffers* buffers_ = nullptr;
  std::unique_ptr<RunBuffers> local_;
  bool owned_ = false;
};

FunctionalImpl::~FunctionalImpl() = default;

FunctionalImpl::FunctionalImpl(const std::vector<KerasTensor>& inputs,
                               const std::vector<KerasTensor>& outputs, bool inputs_as_list,
                               bool outputs_as_list, const ModelOptions& options)
    : LayerImpl("Functional", options.name, options.trainable) {
  // Like Keras, trainable=false freezes the model as a whole without
  // changing its layers' own flags.
  set_graph(map_graph(inputs, outputs, "Model \"" + name() + "\""), inputs_as_list,
            outputs_as_list);
}

FunctionalImpl::FunctionalImpl(std::string class_name, const std::string& name, bool trainable)
    : LayerImpl(std::move(class_name), name, trainable) {}

void FunctionalImpl::set_graph(std::shared_ptr<const Graph> graph, bool inputs_as_list,
                               bool outputs_as_list) {
  graph_ = std::move(graph);
  inputs_as_list_ = inputs_as_list;
  outputs_as_list_ = outputs_as_list;
  set_built(graph_ != nullptr);
}

const Graph& FunctionalImpl::graph() const {
  if (!graph_) {
    throw Error(model_label(*this) +
                " has no input shape yet: start it with keras::Input(shape), or call "
                "build(input_shape) or predict() first.");
  }
  return *graph_;
}

std::vector<std::shared_ptr<LayerImpl>> FunctionalImpl::layers() const {
  std::vector<std::shared_ptr<LayerImpl>> out;
  if (!graph_) return out;
  out.reserve(graph_->operations.size());
  for (const auto& operation : graph_->operations) {
    if (!operations::as_operation(*operation)) out.push_back(operation);
  }
  return out;
}

std::vector<std::shared_ptr<LayerImpl>> FunctionalImpl::sublayers() const { return layers(); }

int FunctionalImpl::num_inputs() const {
  return graph_ ? static_cast<int>(graph_->inputs.size()) : 1;
}

void FunctionalImpl::check_input_count(std::size_t given) const {
  const Graph& g = graph();
  if (given != g.inputs.size()) {
    throw Error(model_label(*this) + " expects " + std::to_string(g.inputs.size()) + " input" +
                (g.inputs.size() == 1 ? "" : "s") + ", got " + std::to_string(given) + ".");
  }
}

void FunctionalImpl::check_input_shape(std::size_t i, const Shape& shape,
                                       const Shape& reported) const {
  const Shape& expected = graph().inputs.at(i).shape();
  if (!compatible(expected, shape)) {
    throw Error(model_label(*this) + " expects input " + std::to_string(i) + " of shape " +
                expected.to_string() + ", got " + reported.to_string() + "." +
                shape_hint(expected, reported));
  }
}

std::vector<Tensor> FunctionalImpl::standardize_inputs(const std::vector<Tensor>& inputs) const {
  std::vector<Tensor> out;
  standardize_into(inputs, out);
  return out;
}

void FunctionalImpl::standardize_into(std::span<const Tensor> inputs,
                                      std::vector<Tensor>& out) const {
  const Graph& g = graph();
  check_input_count(inputs.size());
  out.clear();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) {
      throw Error(model_label(*this) + ": input " + std::to_string(i) + " is an undefined tensor.");
    }
    Tensor x = inputs[i];
    const Shape& ref = g.inputs[i].shape();
    // Keras squeezes or adds a trailing axis of size 1 to match the Input's rank.
    if (x.rank() == ref.rank() + 1 && x.shape()[-1] == 1) {
      x = x.reshape(x.shape().slice(0, x.rank() - 1));
    } else if (x.rank() + 1 == ref.rank() && ref[-1] == 1) {
      x = x.reshape(x.shape().append(1));
    }
    check_input_shape(i, x.shape(), inputs[i].shape());
    if (x.dtype() != g.inputs[i].dtype()) x = x.astype(g.inputs[i].dtype());
    out.push_back(std::move(x));
  }
}

FunctionalImpl::Result FunctionalImpl::run(const std::vector<Tensor>& inputs,
                                           const std::vector<std::optional<Tensor>>& masks,
                                           bool training) {
  Result result;
  run(inputs, masks, training, result);
  return result;
}

void FunctionalImpl::run(const std::vector<Tensor>& inputs,
                         const std::vector<std::optional<Tensor>>& masks, bool training,
                         Result& result) {
  BuffersLease b(*this);
  run_into(*b, inputs, masks, training, result);
}

void FunctionalImpl::run_into(RunBuffers& b, const std::vector<Tensor>& inputs,
                              const std::vector<std::optional<Tensor>>& masks, bool training,
                              Result& result) {
  const Graph& g = graph();
  b.values.resize(static_cast<std::size_t>(g.num_slots));
  b.slot_masks.resize(static_cast<std::size_t>(g.num_slots));
  for (std::size_t i = 0; i < g.input_slots.size(); ++i) {
    b.values[g.input_slots[i]] = inputs.at(i);
    if (i < masks.size()) b.slot_masks[g.input_slots[i]] = masks[i];
  }
  b.ctx.training = training;
  for (const Graph::Step& step : g.steps) {
    b.ins.clear();
    b.ctx.masks.clear();
    bool any_mask = false;
    for (int s : step.input_slots) {
      b.ins.push_back(b.values[s]);
      any_mask = any_mask || b.slot_masks[s].has_value();
    }
    if (!step.mask_slots.empty()) {
      // The mask= the symbolic call recorded, computed by the graph (Keras
      // passes the node's mask argument).
      for (int s : step.mask_slots) {
        if (s >= 0) {
          b.ctx.masks.emplace_back(b.values[s]);
        } else {
          b.ctx.masks.emplace_back(std::nullopt);
        }
      }
    } else if (any_mask) {
      // Else the masks the previous calls attached to the inputs.
      for (int s : step.input_slots) b.ctx.masks.push_back(b.slot_masks[s]);
    }
    run_step(b, *step.node->layer);
    if (b.outs.size() != step.output_slots.size()) {
      throw Error(step.node->layer->describe() + " returned " + std::to_string(b.outs.size()) +
                  " tensors, but its symbolic call gave " +
                  std::to_string(step.output_slots.size()) + ".");
    }
    for (std::size_t i = 0; i < b.outs.size(); ++i) {
      b.values[step.output_slots[i]] = std::move(b.outs[i]);
      if (i < b.out_masks.size()) {
        b.slot_masks[step.output_slots[i]] = std::move(b.out_masks[i]);
      } else {
        b.slot_masks[step.output_slots[i]].reset();
      }
    }
    for (int s : step.release_slots) {
      b.values[s] = Tensor();
      b.slot_masks[s].reset();
    }
  }
  result.outputs.clear();
  result.masks.clear();
  for (int s : g.output_slots) {
    result.outputs.push_back(b.values[s]);
    result.masks.push_back(b.slot_masks[s]);
  }
  // Nothing stays alive between runs but the buffers' capacity.
  for (Tensor& v : b.values) v = Tensor();
  for (auto& m : b.slot_masks) m.reset();
  b.ins.clear();
  b.outs.clear();
  b.out_masks.clear();
  b.ctx.masks.clear();
}

void FunctionalImpl::run_step(RunBuffers& b, LayerImpl& layer) {
  if (FunctionalImpl* inner = as_model(&layer)) {
    // A nested model passes masks through its own graph.
    BuffersLease lease(*inner);
    RunBuffers& ib = *lease;
    inner->standardize_into(b.ins, ib.standardized);
    inner->run_into(ib, ib.standardized, b.ctx.masks, b.ctx.training, ib.result);
    b.outs.swap(ib.result.outputs);
    b.out_masks.swap(ib.result.masks);
    ib.result.outputs.clear();
    ib.result.masks.clear();
    ib.standardized.clear();
    return;
  }
  layer.apply_into(b.ins, b.ctx, b.outs);
  layer.compute_mask_into(b.ins, b.ctx.masks, b.out_masks);
}

std::vector<Tensor> FunctionalImpl::call(const std::vector<Tensor>& inputs,
                                         const CallContext& ctx) {
  std::vector<Tensor> outputs;
  call_into(inputs, ctx, outputs);
  return outputs;
}

void FunctionalImpl::call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                               std::vector<Tensor>& outputs) {
  BuffersLease lease(*this);
  RunBuffers& b = *lease;
  standardize_into(inputs, b.standardized);
  run_into(b, b.standardized, ctx.masks, ctx.training, b.result);
  outputs.swap(b.result.outputs);
  b.result.outputs.clear();
  b.result.masks.clear();
  b.standardized.clear();
}

void FunctionalImpl::check_predict_inputs(std::span<const Tensor> inputs,
                                          std::int64_t batch_size) const {
  if (batch_size <= 0) {
    throw Error(model_label(*this) + ": predict batch_size must be positive, got " +
                std::to_string(batch_size) + ".");
  }
  if (inputs.empty()) throw Error(model_label(*this) + ": predict needs at least one input.");
  if (has_graph()) check_input_count(inputs.size());
  std::int64_t n = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined() || inputs[i].rank() == 0) {
      throw Error(model_label(*this) + ": predict input " + std::to_string(i) +
                  " must have a batch dimension (axis 0), got " +
                  (inputs[i].defined() ? inputs[i].shape().to_string() : "an undefined tensor") +
                  ".");
    }
    if (n >= 0 && inputs[i].shape()[0] != n) {
      throw Error(model_label(*this) +
                  ": predict inputs must have the same number of samples; "
                  "input 0 has " +
                  std::to_string(n) + ", input " + std::to_string(i) + " has " +
                  std::to_string(inputs[i].shape()[0]) + ".");
    }
    n = inputs[i].shape()[0];
  }
  if (n == 0) throw Error(model_label(*this) + ": predict got no samples (axis 0 has size 0).");
}

std::vector<Tensor> FunctionalImpl::predict(const std::vector<Tensor>& inputs,
                                            std::int64_t batch_size) {
  std::vector<Tensor> outputs;
  predict_into(inputs, batch_size, outputs);
  return outputs;
}

void FunctionalImpl::predict_into(std::span<const Tensor> inputs, std::int64_t batch_size,
                                  std::vector<Tensor>& outputs) {
  BuffersLease lease(*this);
  predict_batches(*lease, inputs, batch_size, outputs);
}

Tensor FunctionalImpl::predict_single(const Tensor& x, std::int64_t batch_size) {
  BuffersLease lease(*this);
  RunBuffers& b = *lease;
  predict_batches(b, std::span<const Tensor>(&x, 1), batch_size, b.predicted);
  if (b.predicted.size() != 1) {
    const std::size_t count = b.predicted.size();
    b.predicted.clear();
    throw Error(describe() + " has " + std::to_string(count) +
                " outputs; call predict(std::vector<Tensor>{x}) to get all of them.");
  }
  Tensor y = std::move(b.predicted[0]);
  b.predicted.clear();
  return y;
}

void FunctionalImpl::predict_batches(RunBuffers& b, std::span<const Tensor> inputs,
                                     std::int64_t batch_size, std::vector<Tensor>& outputs) {
  check_predict_inputs(inputs, batch_size);
  const std::int64_t n = inputs[0].shape()[0];
  b.batch.assign(inputs.begin(), inputs.end());
  if (!built()) prepare_call(b.batch);  // a Sequential without an Input builds here
  outputs.clear();
  for (std::int64_t begin = 0; begin < n; begin += batch_size) {
    const std::int64_t end = std::min(n, begin + batch_size);
    if (begin > 0 || end < n) {
      for (std::size_t i = 0; i < inputs.size(); ++i) b.batch[i] = inputs[i].slice_rows(begin, end);
    }
    standardize_into(b.batch, b.standardized);
    run_into(b, b.standardized, {}, false, b.result);
    if (begin == 0 && end == n) {
      outputs.assign(std::make_move_iterator(b.result.outputs.begin()),
                     std::make_move_iterator(b.result.outputs.end()));
    } else {
      append_rows(b.result.outputs, begin, n, outputs);
    }
    b.result.outputs.clear();
    b.result.masks.clear();
  }
  b.batch.clear();
  b.standardized.clear();
}

std::vector<Shape> FunctionalImpl::compute_output_shape(const std::vector<Shape>& input_shapes) {
  const Graph& g = graph();
  check_input_count(input_shapes.size());
  for (std::size_t i = 0; i < input_shapes.size(); ++i) {
    check_input_shape(i, input_shapes[i], input_shapes[i]);
  }
  bool same = true;
  for (std::size_t i = 0; i < input_shapes.size(); ++i) {
    same = same && input_shapes[i] == g.inputs[i].shape();
  }
  std::vector<Shape> out;
  if (same) {
    for (const auto& x : g.outputs) out.push_back(x.shape());
    return out;
  }
  // Other known dimensions (a fixed batch size): infer layer by layer.
  std::vector<Shape> shapes(g.num_slots);
  for (std::size_t i = 0; i < g.input_slots.size(); ++i) shapes[g.input_slots[i]] = input_shapes[i];
  for (const Graph::Step& step : g.steps) {
    std::vector<Shape> ins;
    for (int s : step.input_slots) ins.push_back(shapes[s]);
    std::vector<Shape> outs = step.node->layer->compute_output_shape(ins);
    for (std::size_t i = 0; i < outs.size() && i < step.output_slots.size(); ++i) {
      shapes[step.output_slots[i]] = outs[i];
    }
  }
  for (int s : g.output_slots) out.push_back(shapes[s]);
  return out;
}

std::vector<DType> FunctionalImpl::compute_output_dtype(const std::vector<DType>&,
                                                        std::size_t) const {
  std::vector<DType> out;
  for (const auto& x : graph().outputs) out.push_back(x.dtype());
  return out;
}

}  // namespace keras::detail
