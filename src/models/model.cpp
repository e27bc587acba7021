// keras::Model and keras::Sequential: thin handles over FunctionalImpl and
// SequentialImpl.
#include "keras/model.hpp"

#include <sstream>

#include "keras/layers/input_layer.hpp"
#include "models/functional.hpp"
#include "models/sequential.hpp"
#include "models/summary.hpp"

namespace keras {

namespace {

std::shared_ptr<LayerImpl> make_functional(const std::vector<KerasTensor>& inputs,
                                           const std::vector<KerasTensor>& outputs,
                                           bool inputs_as_list, bool outputs_as_list,
                                           const ModelOptions& options) {
  return std::make_shared<detail::FunctionalImpl>(inputs, outputs, inputs_as_list, outputs_as_list,
                                                  options);
}

}  // namespace

Model::Model(const KerasTensor& inputs, const KerasTensor& outputs, ModelOptions options)
    : Layer(make_functional({inputs}, {outputs}, false, false, options)) {}

Model::Model(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
             ModelOptions options)
    : Layer(make_functional(inputs, outputs, true, true, options)) {}

Model::Model(const KerasTensor& inputs, const std::vector<KerasTensor>& outputs,
             ModelOptions options)
    : Layer(make_functional({inputs}, outputs, false, true, options)) {}

Model::Model(const std::vector<KerasTensor>& inputs, const KerasTensor& outputs,
             ModelOptions options)
    : Layer(make_functional(inputs, {outputs}, true, false, options)) {}

Model::Model(std::shared_ptr<LayerImpl> model) : Layer(std::move(model)) {
  if (!impl_) throw Error("Model: empty layer handle.");
  if (!detail::as_model(impl_.get())) {
    throw Error(impl_->describe() + " is not a model (Functional or Sequential).");
  }
}

detail::FunctionalImpl& Model::functional() const {
  detail::FunctionalImpl* model = detail::as_model(&impl());
  if (!model) throw Error(impl().describe() + " is not a model.");
  return *model;
}

void Model::summary(std::ostream& os, const SummaryOptions& options) const {
  os << detail::print_summary(functional(), options);
  os.flush();
}

std::string Model::summary_string(const SummaryOptions& options) const {
  return detail::print_summary(functional(), options);
}

std::vector<Layer> Model::layers() const {
  std::vector<Layer> out;
  for (auto& l : functional().layers()) out.emplace_back(l);
  return out;
}

Layer Model::get_layer(const std::string& name) const {
  const auto all = functional().layers();
  for (const auto& l : all) {
    if (l->name() == name) return Layer(l);
  }
  std::string names;
  for (const auto& l : all) names += (names.empty() ? "" : ", ") + l->name();
  throw Error("No such layer: " + name + ". Existing layers are: [" + names + "].");
}

const std::vector<KerasTensor>& Model::inputs() const { return functional().graph().inputs; }

const std::vector<KerasTensor>& Model::outputs() const { return functional().graph().outputs; }

Tensor Model::predict(const Tensor& x, const PredictOptions& options) const {
  return functional().predict_single(x, options.batch_size);
}

std::vector<Tensor> Model::predict(const std::vector<Tensor>& xs,
                                   const PredictOptions& options) const {
  return functional().predict(xs, options.batch_size);
}

// ---- Sequential ----

namespace {

detail::SequentialImpl& sequential_of(const Layer& handle) {
  auto* s = dynamic_cast<detail::SequentialImpl*>(&handle.impl());
  if (!s) throw Error(handle.impl().describe() + " is not a Sequential model.");
  return *s;
}

std::shared_ptr<LayerImpl> input_layer_from(const KerasTensor& x) {
  std::shared_ptr<LayerImpl> layer = layers::input_layer_of(x);
  if (!layer) {
    throw Error(
        "Only layers and keras::Input tensors can be added to a Sequential model; got the output "
        "of " +
        (x.defined() ? x.layer().describe() : std::string("nothing (an undefined tensor)")) + ".");
  }
  return layer;
}

}  // namespace

Sequential::Sequential(SequentialOptions options)
    : Model(std::make_shared<detail::SequentialImpl>(options.name, options.trainable)) {}

Sequential::Sequential(const std::vector<Entry>& layers, SequentialOptions options)
    : Sequential(std::move(options)) {
  detail::SequentialImpl& s = sequential_of(*this);
  for (const Entry& e : layers) {
    if (const Layer* l = std::get_if<Layer>(&e)) {
      s.add(l->ptr(), false);
    } else {
      s.add(input_layer_from(std::get<KerasTensor>(e)), false);
    }
  }
  if (!layers.empty()) s.maybe_rebuild();
}

Sequential::Sequential(std::shared_ptr<LayerImpl> model) : Model(std::move(model)) {
  sequential_of(*this);
}

void Sequential::add(const Layer& layer) { sequential_of(*this).add(layer.ptr()); }

void Sequential::add(const KerasTensor& input) {
  sequential_of(*this).add(input_layer_from(input));
}

Layer Sequential::pop() { return Layer(sequential_of(*this).pop()); }

void Sequential::build(const Shape& input_shape) {
  detail::SequentialImpl& s = sequential_of(*this);
  // Keras builds again (checking the shape) when there is a graph already.
  if (s.has_graph()) {
    s.build_for(input_shape);
  } else {
    s.maybe_build({input_shape});
  }
}

}  // namespace keras
