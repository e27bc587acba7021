// model.save_weights / model.load_weights in Keras 3's .weights.h5 layout
// (keras/src/saving/saving_lib.py: _save_state, H5IOStore):
//   /layers/<key>/vars/0, 1, ...   each layer's own variables
//   /layers/<key>/<attribute>/...  a wrapper's inner layer (TimeDistributed: layer)
//   /layers/<key>/layers/...       a nested model's layers
//   /optimizer/vars/0, 1, ...      iteration, learning_rate, slots (once compiled)
//   /vars                          the model's own (empty) group
// A key is the snake_case class name, made unique in list order (dense,
// dense_1, ...), whatever the layers are called. Every vars group carries the
// object's name as its "name" attribute.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keras/error.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "models/functional.hpp"
#include "saving/h5_file.hpp"
#include "saving/weights_h5.hpp"
#include "training/training_state.hpp"

namespace keras {
namespace {

constexpr const char* kSuffix = ".weights.h5";

// One "vars" group of the file and the variables it holds.
struct VarsGroup {
  std::string path;   // "/layers/dense/vars"
  std::string name;   // the object's name, the group's "name" attribute
  std::string owner;  // how messages name the object: Dense "dense", the optimizer "adam"
  std::vector<Variable> variables;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The attribute names under which Keras saves a layer's sub-layers.
std::vector<std::string> sublayer_keys(const LayerImpl& layer, std::size_t count) {
  if (count == 0) return {};
  if (layer.class_name() == "TimeDistributed" && count == 1) return {"layer"};
  // Keras 3 keeps a recurrent layer's weights in its cell: layers/lstm/cell/vars.
  const std::string& c = layer.class_name();
  if ((c == "LSTM" || c == "GRU" || c == "SimpleRNN") && count == 1) return {"cell"};
  if (layer.class_name() == "Bidirectional" && count == 2) {
    return {"forward_layer", "backward_layer"};
  }
  throw Error("save_weights/load_weights: " + layer.describe() +
              " holds sub-layers whose place in a .weights.h5 file is not known yet.");
}

void collect(const LayerImpl& layer, const std::string& prefix, std::vector<VarsGroup>& out);

// A model: its layers under <prefix>/layers/<key>, then its own vars.
void collect_model(const detail::FunctionalImpl& model, const std::string& prefix,
                   std::vector<VarsGroup>& out) {
  std::map<std::string, int> used;
  for (const auto& child : model.layers()) {
    std::string key = backend::to_snake_case(child->class_name());
    auto [it, fresh] = used.try_emplace(key, 0);
    if (!fresh) key += "_" + std::to_string(++it->second);
    collect(*child, prefix + "/layers/" + key, out);
  }
  out.push_back({prefix + "/vars", model.name(), model.describe(), model.own_weights()});
}

void collect(const LayerImpl& layer, const std::string& prefix, std::vector<VarsGroup>& out) {
  if (const auto* model = detail::as_model(const_cast<LayerImpl*>(&layer))) {
    collect_model(*model, prefix, out);
    return;
  }
  out.push_back({prefix + "/vars", layer.name(), layer.describe(), layer.own_weights()});
  const auto subs = layer.sublayers();
  const auto keys = sublayer_keys(layer, subs.size());
  for (std::size_t i = 0; i < subs.size(); ++i) collect(*subs[i], prefix + "/" + keys[i], out);
}

// The optimizer's variables, when the model is compiled (an unbuilt optimizer
// has only iteration and learning_rate, as in Keras).
std::optional<VarsGroup> optimizer_group(const detail::FunctionalImpl& model) {
  if (!model.training || !model.training->optimizer.defined()) return std::nullopt;
  const optimizers::OptimizerImpl& opt = model.training->optimizer.impl();
  return VarsGroup{"/optimizer/vars", opt.name(), "the optimizer \"" + opt.name() + "\"",
                   opt.variables()};
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

void write_groups(saving::H5File& file, const std::vector<VarsGroup>& groups) {
  file.create_group("/layers");
  for (const VarsGroup& g : groups) {
    file.create_group(g.path);
    file.set_string_attribute(g.path, "name", g.name);
    for (std::size_t i = 0; i < g.variables.size(); ++i) {
      const Tensor& value = g.variables[i].value();
      // Keras on JAX keeps the optimizer's iteration count in an int32.
      const DType stored = value.dtype() == DType::int64 ? DType::int32 : value.dtype();
      file.write_dataset(g.path + "/" + std::to_string(i), value, stored);
    }
  }
}

// Checks one group of the file against the variables it should fill and
// reads it into new tensors (assigned only once the whole file checked out).
std::vector<Tensor> read_group(const saving::H5File& file, const VarsGroup& g,
                               const std::string& context) {
  if (!file.exists(g.path) || !file.is_group(g.path)) {
    throw Error(context + ": " + g.path + " is missing (the weights of " + g.owner +
                "). Was the file saved from a model with the same layers?");
  }
  const std::size_t stored = file.links(g.path).size();
  if (stored != g.variables.size()) {
    throw Error(context + ": " + g.path + " holds " + std::to_string(stored) + " datasets, but " +
                g.owner + " has " + std::to_string(g.variables.size()) + " variables.");
  }
  std::vector<Tensor> values;
  for (std::size_t i = 0; i < g.variables.size(); ++i) {
    const Variable& v = g.variables[i];
    const std::string path = g.path + "/" + std::to_string(i);
    if (!file.exists(path)) throw Error(context + ": " + path + " is missing.");
    const auto info = file.dataset_info(path);
    if (info.shape != v.shape()) {
      throw Error(context + ": " + path + " has shape " + info.shape.to_string() + ", " + g.owner +
                  "'s " + v.name() + " is " + v.shape().to_string() + ".");
    }
    const bool floating = is_floating(v.dtype());
    const auto expected =
        floating ? saving::H5File::TypeClass::floating : saving::H5File::TypeClass::integer;
    if (info.type_class != expected) {
      throw Error(context + ": " + path + " is not " + (floating ? "a floating" : "an integer") +
                  " dataset, as " + g.owner + "'s " + v.name() + " (" +
                  std::string(dtype_name(v.dtype())) + ") needs.");
    }
    Tensor value = Tensor::empty(v.shape(), v.dtype());
    file.read_dataset(path, value);
    values.push_back(std::move(value));
  }
  return values;
}

}  // namespace

namespace saving {

void write_model_weights(H5File& file, const detail::FunctionalImpl& model) {
  std::vector<VarsGroup> groups;
  collect_model(model, "", groups);
  if (auto opt = optimizer_group(model)) groups.push_back(std::move(*opt));
  write_groups(file, groups);
}

void read_model_weights(const H5File& file, const detail::FunctionalImpl& model,
                        const std::string& context, bool skip_unbuilt_optimizer) {
  std::vector<VarsGroup> groups;
  collect_model(model, "", groups);
  // The optimizer's state is restored only into a built optimizer (whose slots
  // exist), as Keras restores it after building.
  if (auto opt = optimizer_group(model);
      opt && model.training->optimizer.impl().built() && file.exists(opt->path)) {
    // Keras skips (with a warning) the state of an optimizer that was not
    // built when the file was saved: it holds only iteration and learning_rate.
    const bool unbuilt = file.is_group(opt->path) && file.links(opt->path).size() == 2 &&
                         opt->variables.size() > 2;
    if (!(skip_unbuilt_optimizer && unbuilt)) groups.push_back(std::move(*opt));
  }
  // Read and check everything first, so a bad file changes nothing.
  std::vector<std::vector<Tensor>> values;
  for (const VarsGroup& g : groups) values.push_back(read_group(file, g, context));
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (std::size_t j = 0; j < groups[i].variables.size(); ++j) {
      Variable v = groups[i].variables[j];
      v.assign(values[i][j]);
    }
  }
}

}  // namespace saving

void Model::save_weights(const std::string& path) const {
  if (!ends_with(path, kSuffix)) {
    throw Error("save_weights: the filename must end in `.weights.h5`. Received: filepath=" + path);
  }
  const std::string context = "save_weights(" + quoted(path) + ")";
  saving::H5File::write_atomically(path, context, [&](saving::H5File& file) {
    saving::write_model_weights(file, functional());
  });
}

void Model::load_weights(const std::string& path) const {
  if (!ends_with(path, kSuffix)) {
    throw Error("load_weights: file format not supported: filepath=" + path +
                ". kerascpp reads Keras 3 `.weights.h5` files.");
  }
  const std::string context = "load_weights(" + quoted(path) + ")";
  saving::H5File file = saving::H5File::open(path, context);
  saving::read_model_weights(file, functional(), context, false);
}

}  // namespace keras
