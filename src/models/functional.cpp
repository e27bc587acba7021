// Keras' Functional (keras/src/models/functional.py): running the graph on
// concrete tensors, and the model as a layer of another model.
#include "models/functional.hpp"

#include <algorithm>
#include <cstring>

#include "keras/layers/input_layer.hpp"
#include "keras/utils.hpp"

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

// Joins tensors of equal trailing shape along axis 0.
Tensor concatenate_rows(const std::vector<Tensor>& parts) {
  if (parts.size() == 1) return parts[0];
  std::int64_t rows = 0;
  for (const Tensor& p : parts) rows += p.shape()[0];
  Shape shape = parts[0].shape().with_dim(0, rows);
  Tensor out = Tensor::empty(shape, parts[0].dtype());
  auto* dst = static_cast<unsigned char*>(out.raw_data());
  for (const Tensor& p : parts) {
    if (p.dtype() != out.dtype() || p.shape().slice(1, p.rank()) != shape.slice(1, shape.rank())) {
      throw Error("predict: the model's outputs changed shape or dtype between batches: " +
                  parts[0].shape().to_string() + " then " + p.shape().to_string() + ".");
    }
    std::memcpy(dst, p.raw_data(), p.nbytes());
    dst += p.nbytes();
  }
  return out;
}

}  // namespace

FunctionalImpl* as_model(LayerImpl* layer) { return dynamic_cast<FunctionalImpl*>(layer); }

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
  return graph_ ? graph_->operations : std::vector<std::shared_ptr<LayerImpl>>{};
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
  const Graph& g = graph();
  check_input_count(inputs.size());
  std::vector<Tensor> out;
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
  return out;
}

FunctionalImpl::Result FunctionalImpl::run(const std::vector<Tensor>& inputs,
                                           const std::vector<std::optional<Tensor>>& masks,
                                           bool training) {
  const Graph& g = graph();
  std::vector<Tensor> values(g.num_slots);
  std::vector<std::optional<Tensor>> slot_masks(g.num_slots);
  for (std::size_t i = 0; i < g.input_slots.size(); ++i) {
    values[g.input_slots[i]] = inputs.at(i);
    if (i < masks.size()) slot_masks[g.input_slots[i]] = masks[i];
  }
  for (const Graph::Step& step : g.steps) {
    LayerImpl& layer = *step.node->layer;
    std::vector<Tensor> ins;
    ins.reserve(step.input_slots.size());
    bool any_mask = false;
    for (int s : step.input_slots) {
      ins.push_back(values[s]);
      any_mask = any_mask || slot_masks[s].has_value();
    }
    CallContext ctx;
    ctx.training = training;
    if (any_mask) {
      for (int s : step.input_slots) ctx.masks.push_back(slot_masks[s]);
    }
    std::vector<Tensor> outs;
    std::vector<std::optional<Tensor>> out_masks;
    if (FunctionalImpl* inner = as_model(&layer)) {
      // A nested model passes masks through its own graph.
      Result r = inner->run(inner->standardize_inputs(ins), ctx.masks, training);
      outs = std::move(r.outputs);
      out_masks = std::move(r.masks);
    } else {
      outs = layer.apply(ins, ctx);
      out_masks = layer.compute_mask(ins, ctx.masks);
    }
    if (outs.size() != step.output_slots.size()) {
      throw Error(layer.describe() + " returned " + std::to_string(outs.size()) +
                  " tensors, but its symbolic call gave " +
                  std::to_string(step.output_slots.size()) + ".");
    }
    for (std::size_t i = 0; i < outs.size(); ++i) {
      values[step.output_slots[i]] = std::move(outs[i]);
      slot_masks[step.output_slots[i]] =
          i < out_masks.size() ? std::move(out_masks[i]) : std::nullopt;
    }
    for (int s : step.release_slots) {
      values[s] = Tensor();
      slot_masks[s].reset();
    }
  }
  Result result;
  for (int s : g.output_slots) {
    result.outputs.push_back(values[s]);
    result.masks.push_back(slot_masks[s]);
  }
  return result;
}

std::vector<Tensor> FunctionalImpl::call(const std::vector<Tensor>& inputs,
                                         const CallContext& ctx) {
  return run(standardize_inputs(inputs), ctx.masks, ctx.training).outputs;
}

std::vector<Tensor> FunctionalImpl::predict(const std::vector<Tensor>& inputs,
                                            std::int64_t batch_size) {
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

  std::vector<std::vector<Tensor>> parts;
  for (std::int64_t begin = 0; begin < n; begin += batch_size) {
    const std::int64_t end = std::min(n, begin + batch_size);
    std::vector<Tensor> batch;
    for (const Tensor& x : inputs) batch.push_back(x.slice_rows(begin, end));
    CallContext ctx;
    std::vector<Tensor> outs = apply(batch, ctx);
    if (parts.empty()) parts.resize(outs.size());
    for (std::size_t i = 0; i < outs.size(); ++i) parts[i].push_back(std::move(outs[i]));
  }
  std::vector<Tensor> out;
  for (const auto& p : parts) out.push_back(concatenate_rows(p));
  return out;
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
