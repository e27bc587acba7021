// The configs of models, as Keras writes them (keras/src/models/functional.py
// get_config and serialize_node, sequential.py get_config), with what
// serialize_keras_object adds around them: module, registered_name,
// build_config and compile_config.
#include <map>

#include "keras/layers/input_layer.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/rnn.hpp"
#include "models/functional.hpp"
#include "models/sequential.hpp"
#include "operations/operation.hpp"
#include "saving/compile_config.hpp"

namespace keras::detail {

namespace {

// A symbolic tensor in a node's "args", as serialize_keras_object(KerasTensor).
json keras_tensor_json(const KerasTensor& x, std::int64_t node_index) {
  json history = json::array({x.layer().name(), node_index, x.tensor_index()});
  json config = json::object();
  config["shape"] = shape_json(x.shape());
  config["dtype"] = dtype_name(x.dtype());
  config["keras_history"] = std::move(history);
  json out = json::object();
  out["class_name"] = "__keras_tensor__";
  out["config"] = std::move(config);
  return out;
}

// Whether a call passes initial states after the sequences (kerascpp's form
// of Keras' RNN(x, initial_state=...) and Bidirectional(x, initial_state=...)).
bool has_initial_states(const Node& node) {
  return node.inputs.size() > 1 && (dynamic_cast<const layers::RNNImpl*>(node.layer.get()) ||
                                    node.layer->class_name() == "Bidirectional");
}

// Keras' serialize_node: the node's keras_history indices count only the
// producing layer's calls that belong to this model (its own nodes).
class NodeWriter {
 public:
  explicit NodeWriter(const Graph& graph) : graph_(graph) {}

  // The position of `node` among the calls of its layer that this model owns.
  std::int64_t own_index(const Node& node) const {
    std::int64_t index = 0;
    for (const auto& other : node.layer->inbound_nodes()) {
      if (other->node_index < node.node_index && graph_.contains(other.get())) ++index;
    }
    return index;
  }

  json tensor(const KerasTensor& x) const { return keras_tensor_json(x, own_index(*x.node())); }

  json node(const Node& node, const CallArguments& arguments) const {
    if (const auto* op = operations::as_operation(*node.layer)) {
      // An op's call: its tensors and other arguments, positionally.
      std::vector<json> tensors;
      for (const KerasTensor& x : node.inputs) tensors.push_back(tensor(x));
      json out = json::object();
      out["args"] = op->node_args(std::move(tensors));
      out["kwargs"] = json::object();
      return out;
    }
    if (has_initial_states(node)) return initial_state_call(node);
    json arg;
    if (node.inputs_as_list) {
      arg = json::array();
      for (const KerasTensor& x : node.inputs) arg.push_back(tensor(x));
    } else {
      arg = tensor(node.inputs.at(0));
    }
    json kwargs = json::object();
    if (arguments.training) kwargs["training"] = false;
    if (arguments.mask || node.layer->call_has_mask_arg()) kwargs["mask"] = mask(node);
    json out = json::object();
    out["args"] = json::array({std::move(arg)});
    out["kwargs"] = std::move(kwargs);
    return out;
  }

 private:
  // rnn(x, initial_state=[h, c]) (or initial_state=h for a call not on a
  // list): Keras' __call__ records only the keywords given, no training=
  // or mask= of its own, when the call has keywords.
  json initial_state_call(const Node& node) const {
    json states = json::array();
    for (std::size_t i = 1; i < node.inputs.size(); ++i) states.push_back(tensor(node.inputs[i]));
    json kwargs = json::object();
    kwargs["initial_state"] =
        node.inputs_as_list || states.size() != 1 ? std::move(states) : std::move(states[0]);
    if (!node.masks.empty() && node.masks[0].defined()) kwargs["mask"] = tensor(node.masks[0]);
    json out = json::object();
    out["args"] = json::array({tensor(node.inputs.at(0))});
    out["kwargs"] = std::move(kwargs);
    return out;
  }

  // The call's mask= as Keras records it: the graph tensor (a connection),
  // or null where the input had no mask; a list for a call on a list.
  json mask(const Node& node) const {
    auto one = [&](std::size_t i) {
      return i < node.masks.size() && node.masks[i].defined() ? tensor(node.masks[i])
                                                              : json(nullptr);
    };
    if (!node.inputs_as_list) return one(0);
    json out = json::array();
    for (std::size_t i = 0; i < node.inputs.size(); ++i) out.push_back(one(i));
    return out;
  }

  const Graph& graph_;
};

// input_layers / output_layers: [name, node index, tensor index] each, the
// node index counting only this model's calls of the layer, plus one for a
// nested Functional (its own inputs-to-outputs node comes first in Keras).
json endpoints(const std::vector<KerasTensor>& tensors, bool as_list, const NodeWriter& nodes) {
  json out = json::array();
  for (const KerasTensor& x : tensors) {
    const FunctionalImpl* model = as_model(&x.layer());
    const std::int64_t offset = model != nullptr && !model->is_sequential() ? 1 : 0;
    out.push_back(
        json::array({x.layer().name(), nodes.own_index(*x.node()) + offset, x.tensor_index()}));
  }
  if (!as_list && out.size() == 1) return out.at(0);
  return out;
}

}  // namespace

void FunctionalImpl::write_config(ConfigWriter& w) const {
  const Graph& g = graph();
  const NodeWriter nodes(g);
  json layers = json::array();
  for (const auto& operation : g.operations) {
    SerializedLayer serialized = serialize_layer(*operation);
    json inbound = json::array();
    for (const auto& node : operation->inbound_nodes()) {
      if (!g.contains(node.get()) || node->inputs.empty()) continue;
      inbound.push_back(nodes.node(*node, serialized.call_arguments));
    }
    serialized.object["name"] = operation->name();
    serialized.object["inbound_nodes"] = std::move(inbound);
    layers.push_back(std::move(serialized.object));
  }
  w.name_and_trainable()
      .set("layers", std::move(layers))
      .set("input_layers", endpoints(g.inputs, inputs_as_list(), nodes))
      .set("output_layers", endpoints(g.outputs, outputs_as_list(), nodes))
      .module("keras.src.models.functional")
      .registered_name("Functional")
      .build_config(json{{"input_shape", nullptr}})
      .compile_config(saving::compile_config_json(*this))
      .call_arguments({.mask = true});
}

void SequentialImpl::write_config(ConfigWriter& w) const {
  json layers = json::array();
  for (const auto& layer : all_layers()) layers.push_back(serialize_layer(*layer).object);
  w.base().set("layers", std::move(layers));
  w.module("keras")
      .compile_config(saving::compile_config_json(*this))
      .call_arguments({.mask = true});
  if (has_graph() && !all_layers().empty()) {
    if (const auto* input = dynamic_cast<const layers::InputLayerImpl*>(all_layers()[0].get())) {
      w.shape("build_input_shape", input->batch_shape());
      w.build_config(json{{"input_shape", shape_json(input->batch_shape())}});
      return;
    }
  }
  w.without_build_config();
}

}  // namespace keras::detail
