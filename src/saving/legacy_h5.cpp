// Legacy .h5 model files (layout in legacy_h5.hpp; configs in
// legacy_h5_config.cpp).
//
// The optimizer's state on load (compile=true, the file has a training_config
// and an /optimizer_weights group): Keras 3 builds the optimizer and calls
// optimizer.set_weights(values), which assigns the saved values in order and,
// at the first shape mismatch, warns and keeps the rest fresh. kerascpp
// restores all of them or none:
//   - a file whose values match the optimizer's variables (iteration,
//     learning_rate, slots) in number and shapes: all are restored;
//   - a tf.keras >= 2.11 / tf_keras file ("iteration:0" first, then the slots,
//     no learning_rate): iteration and the slots are restored, the learning
//     rate comes from the optimizer config;
//   - anything else (the TF 2.x "legacy" optimizers' "Adam/iter:0" with all
//     m slots before all v slots, another optimizer, other shapes): the
//     optimizer starts fresh, as Keras 3 does after its warning.
#include "saving/legacy_h5.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "keras/error.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "models/functional.hpp"
#include "saving/compile_config.hpp"
#include "saving/config_checks.hpp"
#include "saving/h5_file.hpp"
#include "saving/model_from_config.hpp"
#include "saving/weight_budget.hpp"
#include "training/training_state.hpp"

namespace keras::saving {

namespace {

using json = nlohmann::ordered_json;

// The Keras version and backend whose files kerascpp writes.
constexpr const char* kKerasVersion = "3.15.1";
constexpr const char* kBackend = "jax";
// The most JSON text an attribute may hold, and the most text of a name list.
constexpr std::size_t kMaxJsonBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxNamesBytes = std::size_t{16} << 20;
// Keras splits a name list whose numpy array would pass this many bytes.
constexpr std::size_t kHeaderLimit = 64512;

constexpr const char* kWeightsGroup = "/model_weights";
constexpr const char* kOptimizerGroup = "/optimizer_weights";
constexpr const char* kTopLevel = "top_level_model_weights";

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// ---- reading ----

// A list of names (layer_names, weight_names), also when Keras split it into
// name0, name1, ...; none when the attribute is missing.
std::vector<std::string> read_names(const H5File& file, const std::string& group,
                                    const std::string& name) {
  if (file.has_attribute(group, name)) {
    return file.read_strings_attribute(group, name, kMaxNamesBytes);
  }
  std::vector<std::string> out;
  std::size_t total = 0;
  for (int chunk = 0; file.has_attribute(group, name + std::to_string(chunk)); ++chunk) {
    for (std::string& s :
         file.read_strings_attribute(group, name + std::to_string(chunk), kMaxNamesBytes - total)) {
      total += s.size();
      out.push_back(std::move(s));
    }
  }
  return out;
}

json read_json_attribute(const H5File& file, const std::string& name, const std::string& context) {
  const std::vector<std::string> text = file.read_strings_attribute("/", name, kMaxJsonBytes);
  const std::string where = context + ": attribute " + name;
  if (text.size() != 1) throw Error(where + " must hold one string (JSON text).");
  json value;
  try {
    value = json::parse(text[0]);
  } catch (const json::exception& e) {
    throw Error(where + " is not valid JSON: " + e.what());
  }
  if (!value.is_object()) throw Error(where + " must hold a JSON object.");
  check_config_values(value, where);
  return value;
}

// A weight name as a path inside its group ("dense/kernel:0").
std::string dataset_path(const std::string& group, const std::string& name,
                         const std::string& context) {
  if (name.empty() || name.front() == '/') {
    throw Error(context + ": " + group + " lists the weight name " + quoted(name) +
                ", which is not a path inside the group.");
  }
  return group + "/" + name;
}

// Checks a dataset against the variable it fills and reads it.
Tensor read_weight(const H5File& file, const std::string& path, const Variable& v,
                   const std::string& owner, const std::string& context) {
  if (!file.exists(path)) {
    throw Error(context + ": " + path + " is missing (" + owner + "'s " + v.name() + ").");
  }
  const auto info = file.dataset_info(path);
  if (info.shape != v.shape()) {
    throw Error(context + ": " + path + " has shape " + info.shape.to_string() + ", " + owner +
                "'s " + v.name() + " is " + v.shape().to_string() + ".");
  }
  if (info.type_class == H5File::TypeClass::other) {
    throw Error(context + ": " + path + " does not hold numbers (" + owner + "'s " + v.name() +
                ").");
  }
  Tensor value = Tensor::empty(v.shape(), v.dtype());
  file.read_dataset(path, value);
  return value;
}

// Keras' _legacy_weights(layer): trainable weights, then the others.
std::vector<Variable> legacy_weights(const LayerImpl& layer) {
  std::vector<Variable> out = layer.trainable_weights();
  for (Variable& v : layer.non_trainable_weights()) out.push_back(std::move(v));
  return out;
}

struct Assignment {
  Variable variable;
  Tensor value;
};

// Keras' load_weights_from_hdf5_group: the layers with weights, in order.
std::vector<Assignment> read_model_weights(const H5File& file, const detail::FunctionalImpl& model,
                                           const std::string& context) {
  if (!file.exists(kWeightsGroup) || !file.is_group(kWeightsGroup)) {
    throw Error(context + ": the group " + kWeightsGroup +
                " is missing; the file holds no model weights.");
  }
  std::vector<std::shared_ptr<LayerImpl>> layers;
  for (const auto& layer : model.layers()) {
    if (!legacy_weights(*layer).empty()) layers.push_back(layer);
  }
  struct Saved {
    std::string group;
    std::vector<std::string> names;
  };
  std::vector<Saved> saved;
  for (const std::string& name : read_names(file, kWeightsGroup, "layer_names")) {
    const std::string group = std::string(kWeightsGroup) + "/" + name;
    if (name.empty() || name.find('/') != std::string::npos || !file.exists(group) ||
        !file.is_group(group)) {
      throw Error(context + ": " + group + " (listed in the layer_names attribute of " +
                  kWeightsGroup + ") is missing.");
    }
    std::vector<std::string> names = read_names(file, group, "weight_names");
    if (!names.empty()) saved.push_back({group, std::move(names)});
  }
  if (saved.size() != layers.size()) {
    std::string listed;
    for (const Saved& s : saved) listed += (listed.empty() ? "" : ", ") + s.group;
    throw Error(context + ": " + kWeightsGroup + " holds the weights of " +
                std::to_string(saved.size()) + " layers (" + listed + "), but the model has " +
                std::to_string(layers.size()) + " layers with weights.");
  }
  std::vector<Assignment> out;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const std::vector<Variable> variables = legacy_weights(*layers[k]);
    const Saved& s = saved[k];
    if (s.names.size() != variables.size()) {
      throw Error(context + ": " + s.group + " attribute weight_names lists " +
                  std::to_string(s.names.size()) + " weights, but " + layers[k]->describe() +
                  " (layer #" + std::to_string(k) + " with weights) has " +
                  std::to_string(variables.size()) + ".");
    }
    for (std::size_t i = 0; i < variables.size(); ++i) {
      const std::string path = dataset_path(s.group, s.names[i], context);
      out.push_back(
          {variables[i], read_weight(file, path, variables[i], layers[k]->describe(), context)});
    }
  }
  // Weights the model owns directly (none in kerascpp's models).
  const std::string top = std::string(kWeightsGroup) + "/" + kTopLevel;
  if (file.exists(top)) {
    const std::size_t count = read_names(file, top, "weight_names").size();
    const std::size_t own = model.own_weights().size();
    if (count != own) {
      throw Error(context + ": " + top + " lists " + std::to_string(count) +
                  " weights, but the model owns " + std::to_string(own) + ".");
    }
  }
  return out;
}

// The optimizer's state, when the file's fits the built optimizer (see the
// rule at the top of this file); nothing otherwise.
std::vector<Assignment> read_optimizer_weights(const H5File& file,
                                               const detail::FunctionalImpl& model,
                                               const std::string& context) {
  if (!model.training || !model.training->optimizer.defined() || !file.exists(kOptimizerGroup)) {
    return {};
  }
  const std::vector<std::string> names = read_names(file, kOptimizerGroup, "weight_names");
  std::vector<Variable> variables = model.training->optimizer.impl().variables();
  if (names.size() + 1 == variables.size() && !names.empty() && variables.size() >= 2 &&
      variables[1].name() == "learning_rate" && names[0].ends_with("iteration:0")) {
    variables.erase(variables.begin() + 1);  // tf.keras saves no learning_rate variable
  }
  if (names.size() != variables.size()) return {};
  std::vector<Assignment> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string path = dataset_path(kOptimizerGroup, names[i], context);
    if (!file.exists(path)) throw Error(context + ": " + path + " is missing.");
    const auto info = file.dataset_info(path);
    if (info.shape != variables[i].shape() || info.type_class == H5File::TypeClass::other) {
      return {};
    }
    out.push_back({variables[i], read_weight(file, path, variables[i], "the optimizer", context)});
  }
  return out;
}

std::string strip_prefix(std::string what, const std::string& prefix) {
  if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
  return what;
}

// ---- writing ----

// Keras' save_attributes_to_hdf5_group: a list of names, split into name0,
// name1, ... (null-padded fixed-length chunks) when its numpy array of byte
// strings would pass the object header limit.
void write_names(H5File& file, const std::string& group, const std::string& name,
                 const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const std::string& v : values) width = std::max(width, v.size());
  if (values.size() * width <= kHeaderLimit) {
    file.set_strings_attribute(group, name, values);
    return;
  }
  // numpy.array_split into the fewest near-equal chunks that fit.
  std::size_t chunks = 1;
  while ((values.size() + chunks - 1) / chunks * width > kHeaderLimit) ++chunks;
  std::size_t begin = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t size = values.size() / chunks + (c < values.size() % chunks ? 1 : 0);
    const std::vector<std::string> part(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                        values.begin() + static_cast<std::ptrdiff_t>(begin + size));
    file.set_fixed_strings_attribute(group, name + std::to_string(c), part, width);
    begin += size;
  }
}

// Names unique within one group: a repeated one gets _1, _2, ...
std::string unique_name(const std::string& name, std::set<std::string>& used) {
  std::string out = name;
  for (int i = 1; used.count(out); ++i) out = name + "_" + std::to_string(i);
  used.insert(out);
  return out;
}

void write_weights(H5File& file, const std::string& group, const std::vector<Variable>& variables,
                   const std::vector<std::string>& names) {
  file.create_group(group);
  write_names(file, group, "weight_names", names);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const std::string path = group + "/" + names[i];
    file.create_group(path.substr(0, path.rfind('/')));
    const Tensor& value = variables[i].value();
    // Keras on JAX keeps the optimizer's iteration count in an int32.
    file.write_dataset(path, value, value.dtype() == DType::int64 ? DType::int32 : value.dtype());
  }
}

// Keras 3's variable paths: "dense/kernel", in a Sequential
// "sequential/dense/kernel", a wrapper's inner weights under the wrapper's name.
std::vector<std::string> weight_names(const detail::FunctionalImpl& model, const LayerImpl& layer,
                                      const std::vector<Variable>& variables) {
  const std::string prefix = model.is_sequential() ? model.name() + "/" : "";
  std::set<std::string> used;
  std::vector<std::string> out;
  for (const Variable& v : variables) {
    const std::string& path = v.path().empty() ? v.name() : v.path();
    const bool own = path.rfind(layer.name() + "/", 0) == 0;
    out.push_back(unique_name(prefix + (own ? path : layer.name() + "/" + path), used));
  }
  return out;
}

void write_file(H5File& file, const detail::FunctionalImpl& model, const std::string& config,
                const json& training) {
  file.set_text_attribute("/", "keras_version", kKerasVersion, true);
  file.set_text_attribute("/", "backend", kBackend, true);
  file.set_text_attribute("/", "model_config", config, false);
  if (!training.is_null()) file.set_text_attribute("/", "training_config", training.dump(), false);

  file.create_group(kWeightsGroup);
  std::vector<std::string> layer_names;
  for (const auto& layer : model.layers()) layer_names.push_back(layer->name());
  write_names(file, kWeightsGroup, "layer_names", layer_names);
  file.set_text_attribute(kWeightsGroup, "backend", kBackend, false);
  file.set_text_attribute(kWeightsGroup, "keras_version", kKerasVersion, false);
  // Keras creates the groups in name order, so that no name is a prefix of a later one.
  std::map<std::string, const LayerImpl*> by_name;
  for (const auto& layer : model.layers()) by_name.emplace(layer->name(), layer.get());
  if (by_name.size() != layer_names.size()) {
    throw Error("two layers of " + model.describe() + " have the same name");
  }
  for (const auto& [name, layer] : by_name) {
    const std::vector<Variable> variables = legacy_weights(*layer);
    write_weights(file, std::string(kWeightsGroup) + "/" + name, variables,
                  weight_names(model, *layer, variables));
  }
  write_weights(file, std::string(kWeightsGroup) + "/" + kTopLevel, model.own_weights(),
                weight_names(model, model, model.own_weights()));

  if (!model.training || !model.training->optimizer.defined()) return;
  const std::vector<Variable> variables = model.training->optimizer.impl().variables();
  if (variables.empty()) return;
  std::set<std::string> used;
  std::vector<std::string> names;
  for (const Variable& v : variables) names.push_back(unique_name(v.path(), used));
  write_weights(file, kOptimizerGroup, variables, names);
}

}  // namespace

void save_legacy_h5(const detail::FunctionalImpl& model, const std::string& path,
                    const std::string& context) {
  // Everything is serialized before the file is touched.
  std::string config;
  json training;
  try {
    config = legacy_model_config(model).dump();
    training = training_config(model);
  } catch (const Error& e) {
    throw Error(context + ": " + strip_prefix(e.what(), "model.save: "));
  }
  H5File::write_atomically(path, context, [&](H5File& file) {
    try {
      write_file(file, model, config, training);
    } catch (const Error& e) {
      const std::string what = e.what();
      if (what.rfind(context, 0) == 0) throw;
      throw Error(context + ": " + what);
    }
  });
}

Model load_legacy_h5(const std::string& path, const LoadModelOptions& options,
                     const std::string& context) {
  const H5File file = H5File::open(path, context);
  if (!file.has_attribute("/", "model_config")) {
    throw Error(context +
                ": the file has no model_config attribute: it is not a model saved with "
                "model.save (a weights file? read it with load_weights).");
  }
  const json config = translate_model_config(read_json_attribute(file, "model_config", context));

  std::error_code ec;
  const auto file_size = std::filesystem::file_size(path, ec);
  Model model = [&] {
    // The weights the config asks for must fit in the file.
    WeightBudget budget(ec ? 0 : static_cast<std::int64_t>(file_size));
    try {
      return model_from_config(config);
    } catch (const Error& e) {
      throw Error(context +
                  ": attribute model_config: " + strip_prefix(e.what(), "model_from_json: "));
    }
  }();
  detail::FunctionalImpl& impl = *detail::as_model(model.ptr().get());
  check_tensor_sizes(impl, context + ": attribute model_config");

  // Everything is read and checked before any variable changes.
  std::vector<Assignment> assignments = read_model_weights(file, impl, context);
  if (options.compile && file.has_attribute("/", "training_config")) {
    const std::string where = context + ": attribute training_config";
    const json training = read_json_attribute(file, "training_config", context);
    const json compile =
        compile_config_from_training_config(training, model.outputs().size(), where);
    compile_from_config(model, compile, where);
    for (Assignment& a : read_optimizer_weights(file, impl, context)) {
      assignments.push_back(std::move(a));
    }
  }
  for (Assignment& a : assignments) a.variable.assign(a.value);
  return model;
}

}  // namespace keras::saving
