// Model::explain: each layer of the model explains what it does to the
// shapes of its call (its LayerImpl::explain, written next to its call()),
// one block per layer in model.layers() order, between a header with the
// model's input and output shapes and a footer with the parameter totals.
#include <sstream>

#include "keras/model.hpp"
#include "layers/layer_explain_writer.hpp"
#include "models/functional.hpp"

namespace keras {

namespace {

std::int64_t count(const std::vector<Variable>& weights) {
  std::int64_t n = 0;
  for (const Variable& v : weights) n += v.shape().num_elements();
  return n;
}

std::vector<Shape> shapes_of(const std::vector<KerasTensor>& tensors) {
  std::vector<Shape> out;
  for (const KerasTensor& x : tensors) out.push_back(x.shape());
  return out;
}

std::string explanation(const detail::FunctionalImpl& model) {
  std::string out = "Model: \"" + model.name() + "\" (" + model.class_name() + "): ";
  if (!model.has_graph()) {
    out += "no input shape yet\n";
  } else {
    const detail::Graph& g = model.graph();
    out += detail::shapes_text(shapes_of(g.inputs)) + " -> " +
           detail::shapes_text(shapes_of(g.outputs)) + "\n";
  }
  for (const auto& layer : model.layers()) {
    // Only the calls made in this model's graph (a layer may serve others too).
    std::function<bool(const Node&)> keep;
    if (model.has_graph()) {
      const detail::Graph* g = &model.graph();
      keep = [g](const Node& node) { return g->contains(&node); };
    }
    out += "\n" + detail::explain_layer(*layer, detail::layer_calls(*layer, keep));
  }
  const std::int64_t trainable = count(model.trainable_weights());
  const std::int64_t frozen = count(model.non_trainable_weights());
  out += "\nTotal params: " + detail::with_commas(trainable + frozen) +
         " (trainable: " + detail::with_commas(trainable) +
         ", non-trainable: " + detail::with_commas(frozen) + ")\n";
  return out;
}

}  // namespace

void Model::explain(std::ostream& os) const {
  os << explanation(functional());
  os.flush();
}

std::string Model::explain_string() const { return explanation(functional()); }

}  // namespace keras
