// model_to_dot (keras/src/utils/model_visualization.py), as DOT text: one
// node per layer of model.layers (a Sequential's InputLayer included, so that
// the first edge shows the input shape), one edge per tensor a layer reads.
#include "keras/utils/model_to_dot.hpp"

#include "keras/error.hpp"
#include "models/functional.hpp"

namespace keras::utils {

namespace {

// A DOT double-quoted string.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string with_commas(std::int64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string node_label(const LayerImpl& layer, const ModelToDotOptions& options) {
  std::string label = options.show_layer_names ? layer.name() + "\n" : "";
  label += layer.class_name() + "\n";
  const std::int64_t params = layer.count_params();
  label += with_commas(params) + (params == 1 ? " param" : " params");
  if (options.show_trainable && !layer.weights().empty()) {
    label += layer.trainable() ? "\ntrainable" : "\nnon-trainable";
  }
  return label;
}

std::string edge_label(const KerasTensor& x, const ModelToDotOptions& options) {
  std::string label = options.show_shapes ? x.shape().to_string() : "";
  if (options.show_dtype) {
    label += (label.empty() ? "" : " ") + std::string(dtype_name(x.dtype()));
  }
  return label;
}

std::string edge(const std::string& from, const std::string& to, const std::string& label) {
  std::string out = "  " + quoted(from) + " -> " + quoted(to);
  if (!label.empty()) out += " [label=" + quoted(label) + "]";
  return out + ";\n";
}

}  // namespace

std::string model_to_dot(const Model& model, const ModelToDotOptions& options) {
  const std::string& dir = options.rankdir;
  if (dir != "TB" && dir != "BT" && dir != "LR" && dir != "RL") {
    throw Error("model_to_dot: rankdir must be \"TB\", \"BT\", \"LR\" or \"RL\", got \"" + dir +
                "\".");
  }
  const detail::FunctionalImpl* impl = detail::as_model(model.ptr().get());
  if (impl == nullptr || !impl->has_graph()) {
    throw Error("model_to_dot: model \"" + model.name() +
                "\" has no input shape yet; start it with keras::Input(...) or build it first.");
  }
  const detail::Graph& g = impl->graph();
  std::string out = "digraph " + quoted(model.name()) + " {\n";
  out += "  graph [rankdir=" + quoted(dir) + ", dpi=" + std::to_string(options.dpi) + ", label=" +
         quoted(model.name() + " (" + model.class_name() +
                "): " + with_commas(model.count_params()) + " params") +
         ", labelloc=\"t\"];\n";
  out += "  node [shape=\"box\", style=\"rounded\", fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=\"10\"];\n";
  // Layer names are unique within a model (map_graph checks), so they serve as node ids.
  for (const auto& layer : g.operations) {
    out += "  " + quoted(layer->name()) + " [label=" + quoted(node_label(*layer, options)) + "];\n";
  }
  for (const auto& layer : g.operations) {
    for (const auto& node : layer->inbound_nodes()) {
      if (!g.contains(node.get())) continue;
      for (const KerasTensor& x : node->inputs) {
        out += edge(x.layer().name(), layer->name(), edge_label(x, options));
      }
    }
  }
  // The outputs end in nodes of their own, so that their shapes show too.
  for (std::size_t i = 0; i < g.outputs.size(); ++i) {
    // "/" cannot appear in a Keras layer name, so these ids are free.
    const std::string id = "/output_" + std::to_string(i);
    const std::string name = g.outputs.size() == 1 ? "output" : "output " + std::to_string(i);
    out += "  " + quoted(id) + " [label=" + quoted(name) + ", shape=\"plaintext\"];\n";
    out += edge(g.outputs[i].layer().name(), id, edge_label(g.outputs[i], options));
  }
  return out + "}\n";
}

}  // namespace keras::utils
