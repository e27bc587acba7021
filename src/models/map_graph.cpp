// Keras' map_graph (keras/src/ops/function.py): which layer calls lie between
// a model's inputs and outputs, at which depth, in which order.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "keras/layers/input_layer.hpp"
#include "models/functional.hpp"

namespace keras::detail {

namespace {

using NodePtr = std::shared_ptr<Node>;

// A tensor of the graph: the node that produced it and which output it is.
struct TensorKey {
  const Node* node;
  int index;
  bool operator==(const TensorKey& other) const {
    return node == other.node && index == other.index;
  }
};
struct TensorKeyHash {
  std::size_t operator()(const TensorKey& k) const {
    return std::hash<const void*>()(k.node) * 31 + static_cast<std::size_t>(k.index);
  }
};
TensorKey key_of(const KerasTensor& x) { return {x.node().get(), x.tensor_index()}; }

bool is_input_node(const Node& node) { return node.inputs.empty(); }

// input_tensors(node) one by one, without building the list.
std::size_t num_input_tensors(const Node& node) {
  std::size_t n = node.inputs.size();
  for (const auto& m : node.masks) n += m.defined() ? 1 : 0;
  return n;
}
KerasTensor input_tensor(const Node& node, std::size_t i) {
  if (i < node.inputs.size()) return node.inputs[i];
  i -= node.inputs.size();
  for (const auto& m : node.masks) {
    if (!m.defined()) continue;
    if (i == 0) return m;
    --i;
  }
  throw Error("input_tensor: index out of range.");
}

// A map that remembers insertion order, as the Python dicts map_graph uses.
template <class K, class V>
class OrderedMap {
 public:
  bool contains(const K& k) const { return index_.count(k) > 0; }
  V get(const K& k, V fallback) const {
    auto it = index_.find(k);
    return it == index_.end() ? fallback : items_[it->second].second;
  }
  void set(const K& k, V v) {
    auto it = index_.find(k);
    if (it == index_.end()) {
      index_.emplace(k, items_.size());
      items_.emplace_back(k, v);
    } else {
      items_[it->second].second = v;
    }
  }
  const std::vector<std::pair<K, V>>& items() const { return items_; }

 private:
  std::unordered_map<K, std::size_t> index_;
  std::vector<std::pair<K, V>> items_;
};

// Keras' _build_map: a depth-first walk from each output towards the inputs
// giving the nodes from inputs to outputs and each layer's first-visit index.
// Iterative (a frame per node) so that very deep graphs do not overflow the stack.
struct BuildMap {
  std::vector<NodePtr> nodes_in_decreasing_depth;
  std::unordered_map<const LayerImpl*, int> operation_indices;
};

BuildMap build_map(const std::vector<KerasTensor>& outputs) {
  BuildMap out;
  std::unordered_set<const Node*> finished;
  std::unordered_set<const Node*> in_progress;
  struct Frame {
    NodePtr node;
    std::size_t next_input = 0;
  };
  std::vector<Frame> stack;
  auto visit = [&](const KerasTensor& tensor) {
    const NodePtr& node = tensor.node();
    if (!node || finished.count(node.get())) return;
    if (in_progress.count(node.get())) {
      throw Error("Tensor from " + node->layer->describe() + " is part of a cycle.");
    }
    const LayerImpl* op = node->layer.get();
    if (!out.operation_indices.count(op)) {
      const int next = static_cast<int>(out.operation_indices.size());
      out.operation_indices.emplace(op, next);
    }
    in_progress.insert(node.get());
    stack.push_back({node, 0});
  };
  for (const KerasTensor& output : outputs) {
    visit(output);
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (!is_input_node(*frame.node) && frame.next_input < num_input_tensors(*frame.node)) {
        const KerasTensor child = input_tensor(*frame.node, frame.next_input++);
        visit(child);  // may invalidate frame
        continue;
      }
      NodePtr done = frame.node;
      stack.pop_back();
      finished.insert(done.get());
      in_progress.erase(done.get());
      out.nodes_in_decreasing_depth.push_back(done);
    }
  }
  return out;
}

std::string describe_tensor(const KerasTensor& x) {
  std::string s = "output " + std::to_string(x.tensor_index()) + " of " + x.layer().describe();
  return s + " (shape " + x.shape().to_string() + ")";
}

void check_inputs_are_inputs(const std::vector<KerasTensor>& inputs, const std::string& owner) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) {
      throw Error(owner + ": input " + std::to_string(i) + " is an undefined tensor.");
    }
    if (!layers::input_layer_of(inputs[i])) {
      throw Error(owner + ": input " + std::to_string(i) + " is the " + describe_tensor(inputs[i]) +
                  ", not a keras::Input tensor. Build the model from the keras::Input() "
                  "the graph starts at (or give this part of the graph its own Input).");
    }
  }
}

// Keras checks connectivity by running the graph without values: a node runs
// once all its inputs are known; an output never reached is not connected.
void check_connected(const Graph& g, const std::vector<NodePtr>& nodes_in_order,
                     const std::string& owner) {
  std::unordered_set<TensorKey, TensorKeyHash> known;
  for (const auto& x : g.inputs) known.insert(key_of(x));
  for (const NodePtr& node : nodes_in_order) {
    if (is_input_node(*node)) continue;
    bool ready = true;
    for (const auto& x : input_tensors(*node)) ready = ready && known.count(key_of(x)) > 0;
    if (!ready) continue;
    for (std::size_t i = 0; i < node->output_shapes.size(); ++i) {
      known.insert({node.get(), static_cast<int>(i)});
    }
  }
  for (std::size_t i = 0; i < g.outputs.size(); ++i) {
    if (known.count(key_of(g.outputs[i]))) continue;
    // Name the Inputs the output needs that are not the model's inputs.
    std::vector<std::string> missing;
    for (const NodePtr& node : nodes_in_order) {
      if (!is_input_node(*node)) continue;
      const KerasTensor x(node->output_shapes.at(0), node->output_dtypes.at(0), node, 0);
      if (!known.count(key_of(x))) missing.push_back(node->layer->describe());
    }
    std::string msg = owner + ": output " + std::to_string(i) + " (the " +
                      describe_tensor(g.outputs[i]) + ") is not connected to the model's inputs";
    if (!missing.empty()) {
      msg += ": it depends on ";
      for (std::size_t k = 0; k < missing.size(); ++k) {
        msg += (k ? ", " : "") + missing[k];
      }
      msg += missing.size() == 1 ? ", which is not among the model's inputs. Add it to the inputs."
                                 : ", which are not among the model's inputs. Add them to the "
                                   "inputs.";
    } else {
      msg += ".";
    }
    throw Error(msg);
  }
}

void check_unique_names(const Graph& g, const std::string& owner) {
  std::map<std::string, int> counts;
  for (const auto& op : g.operations) ++counts[op->name()];
  for (const auto& op : g.operations) {
    const int n = counts[op->name()];
    if (n != 1) {
      throw Error(owner + ": the name \"" + op->name() + "\" is used " + std::to_string(n) +
                  " times in the model. All layer names should be unique.");
    }
  }
}

// Numbers the tensors and lists the calls in running order, each with the
// slots it reads and those it is the last to read.
void plan_steps(Graph& g) {
  std::unordered_map<TensorKey, int, TensorKeyHash> slot;
  auto slot_of = [&](const TensorKey& k) {
    auto it = slot.find(k);
    if (it != slot.end()) return it->second;
    const int s = g.num_slots++;
    slot.emplace(k, s);
    return s;
  };
  for (const auto& x : g.inputs) g.input_slots.push_back(slot_of(key_of(x)));
  for (const auto& depth : g.nodes_by_depth) {
    for (const NodePtr& node : depth) {
      if (is_input_node(*node)) continue;
      Graph::Step step;
      step.node = node;
      for (const auto& x : node->inputs) step.input_slots.push_back(slot_of(key_of(x)));
      for (const auto& m : node->masks) {
        step.mask_slots.push_back(m.defined() ? slot_of(key_of(m)) : -1);
      }
      for (std::size_t i = 0; i < node->output_shapes.size(); ++i) {
        step.output_slots.push_back(slot_of({node.get(), static_cast<int>(i)}));
      }
      g.steps.push_back(std::move(step));
    }
  }
  for (const auto& x : g.outputs) g.output_slots.push_back(slot_of(key_of(x)));
  // A slot is released after its last reader unless it is an output.
  std::vector<int> last_reader(g.num_slots, -1);
  for (std::size_t s = 0; s < g.steps.size(); ++s) {
    for (int in : g.steps[s].input_slots) last_reader[in] = static_cast<int>(s);
    for (int in : g.steps[s].mask_slots) {
      if (in >= 0) last_reader[in] = static_cast<int>(s);
    }
  }
  for (int out : g.output_slots) last_reader[out] = -1;
  for (int slot_index = 0; slot_index < g.num_slots; ++slot_index) {
    if (last_reader[slot_index] >= 0) {
      g.steps[last_reader[slot_index]].release_slots.push_back(slot_index);
    }
  }
}

}  // namespace

std::vector<KerasTensor> input_tensors(const Node& node) {
  std::vector<KerasTensor> out = node.inputs;
  for (const auto& m : node.masks) {
    if (m.defined()) out.push_back(m);
  }
  return out;
}

std::shared_ptr<const Graph> map_graph(const std::vector<KerasTensor>& inputs,
                                       const std::vector<KerasTensor>& outputs,
                                       const std::string& owner) {
  if (inputs.empty()) throw Error(owner + ": a model needs at least one input.");
  if (outputs.empty()) throw Error(owner + ": a model needs at least one output.");
  check_inputs_are_inputs(inputs, owner);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].defined()) {
      throw Error(owner + ": output " + std::to_string(i) + " is an undefined tensor.");
    }
  }

  auto g = std::make_shared<Graph>();
  g->inputs = inputs;
  g->outputs = outputs;
  BuildMap built = build_map(outputs);
  for (const NodePtr& n : built.nodes_in_decreasing_depth) g->nodes.insert(n.get());

  // Depth of a node: 0 for the outputs' nodes, else 1 + the largest depth of
  // the nodes it feeds; a shared layer takes the largest depth of its nodes.
  OrderedMap<const Node*, int> nodes_depths;
  OrderedMap<const LayerImpl*, int> operations_depths;
  std::unordered_map<const Node*, NodePtr> node_ptr;
  std::unordered_map<const LayerImpl*, std::shared_ptr<LayerImpl>> op_ptr;
  for (const NodePtr& n : built.nodes_in_decreasing_depth) {
    node_ptr[n.get()] = n;
    op_ptr[n->layer.get()] = n->layer;
  }
  for (auto it = built.nodes_in_decreasing_depth.rbegin();
       it != built.nodes_in_decreasing_depth.rend(); ++it) {
    const Node* node = it->get();
    if (!nodes_depths.contains(node)) nodes_depths.set(node, 0);
    int depth = nodes_depths.get(node, 0);
    depth = std::max(depth, operations_depths.get(node->layer.get(), 0));
    operations_depths.set(node->layer.get(), depth);
    nodes_depths.set(node, depth);
    for (const auto& x : input_tensors(*node)) {
      const Node* parent = x.node().get();
      if (!g->nodes.count(parent)) continue;
      nodes_depths.set(parent, std::max(depth + 1, nodes_depths.get(parent, 0)));
    }
  }
  // Inputs that no output uses still belong to the model (at depth 0).
  for (const auto& x : inputs) {
    const LayerImpl* op = x.node()->layer.get();
    if (operations_depths.contains(op)) continue;
    operations_depths.set(op, 0);
    built.operation_indices[op] = -1;
    nodes_depths.set(x.node().get(), 0);
    node_ptr[x.node().get()] = x.node();
    op_ptr[op] = x.node()->layer;
    g->nodes.insert(x.node().get());
  }

  std::map<int, std::vector<NodePtr>, std::greater<int>> by_depth;
  for (const auto& [node, depth] : nodes_depths.items()) by_depth[depth].push_back(node_ptr[node]);
  for (auto& [depth, nodes] : by_depth) g->nodes_by_depth.push_back(std::move(nodes));

  std::map<int, std::vector<const LayerImpl*>, std::greater<int>> ops_by_depth;
  for (const auto& [op, depth] : operations_depths.items()) ops_by_depth[depth].push_back(op);
  for (auto& [depth, ops] : ops_by_depth) {
    std::stable_sort(ops.begin(), ops.end(), [&](const LayerImpl* a, const LayerImpl* b) {
      return built.operation_indices[a] < built.operation_indices[b];
    });
    for (const LayerImpl* op : ops) g->operations.push_back(op_ptr[op]);
  }

  std::vector<NodePtr> nodes_in_order;
  for (const auto& depth : g->nodes_by_depth) {
    nodes_in_order.insert(nodes_in_order.end(), depth.begin(), depth.end());
  }
  check_connected(*g, nodes_in_order, owner);
  check_unique_names(*g, owner);
  plan_steps(*g);
  return g;
}

}  // namespace keras::detail
