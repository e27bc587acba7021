// The JSON of legacy .h5 files: model_config and training_config, written as
// Keras 3's legacy writer does and read from any Keras version, translating
// what Keras 2 (tf.keras, tf_keras, standalone Keras 2.x) wrote differently.
//
// Keras 3's legacy loader (keras/src/legacy/saving/saving_utils.py:
// model_from_config, and each layer's from_config) accepts, and so do we:
//   - "batch_input_shape" on an InputLayer is its batch_shape; on any other
//     layer it is dropped (a Sequential already has its InputLayer);
//   - "axis": [n] is n (BatchNormalization writes a list in Keras 2);
//   - dtype as a plain string ("float32"), initializers, regularizers and
//     constraints as {"class_name", "config"} without "module", inbound nodes
//     as [[["dense", 0, 0, {}]]] (model_from_json reads these as they are);
//   - LeakyReLU's "alpha", Embedding's "input_length" (the layer readers).
// Where Keras 3.15 fails on a Keras 2 file, kerascpp reads what Keras 2 meant:
//   - a Sequential whose first layer carries batch_input_shape and that has no
//     InputLayer (Keras <= 2.3) gets InputLayer(batch_shape=batch_input_shape)
//     (Keras 3 makes InputLayer(shape=batch_input_shape), one axis too many);
//   - a Sequential config that is a bare list of layers (Keras <= 2.2);
//   - recurrent layers' "implementation" is dropped and "time_major": false
//     accepted (Keras 3 rejects both; true is an error in the reader);
//   - a Functional's NotEqual / Any operation (an Embedding's mask) without
//     its "module", as Keras 3 writes it and then cannot read;
//   - training_config: Keras 2's optimizer configs ("Custom>Adam", "lr",
//     "decay": 0, jit_compile, is_legacy_optimizer), loss objects (with
//     "fn" and reduction "auto"; options such as from_logits are kept) and
//     the MeanMetricWrapper metric objects, which Keras 3 cannot deserialize.
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "keras/error.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "layers/layer_config_writer.hpp"
#include "saving/compile_config.hpp"
#include "saving/legacy_h5.hpp"

namespace keras::saving {

namespace {

using json = nlohmann::ordered_json;

bool is_model_class(const std::string& class_name) {
  return class_name == "Sequential" || class_name == "Functional" || class_name == "Model";
}

std::string class_of(const json& entry) {
  if (!entry.is_object()) return "";
  auto it = entry.find("class_name");
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

// ---- writing ----

bool is_operation_module(const json& entry) {
  const auto module = entry.find("module");
  return module != entry.end() && module->is_string() &&
         module->get<std::string>().rfind("keras.src.ops.", 0) == 0;
}

json legacy_entry(const json& entry) {
  json out = json::object();
  // Keras 3 drops the module of a graph operation (NotEqual) too, and then
  // cannot load its own file ("Unknown layer: 'NotEqual'"); kept, it can.
  if (is_operation_module(entry)) out["module"] = entry.at("module");
  out["class_name"] = entry.at("class_name");
  json config = entry.at("config");
  if (is_model_class(class_of(entry)) && config.contains("layers")) {
    for (json& layer : config["layers"]) layer = legacy_entry(layer);
  }
  out["config"] = std::move(config);
  // A Functional's layer entries also say how the layer is called.
  for (const char* key : {"name", "inbound_nodes"}) {
    if (entry.contains(key)) out[key] = entry.at(key);
  }
  if (is_operation_module(entry) && entry.contains("registered_name")) {
    out["registered_name"] = entry.at("registered_name");
  }
  return out;
}

// ---- reading: the model config ----

void translate_entry(json& entry);

// Keras <= 2.3 Sequential configs have no InputLayer: the first layer's
// batch_input_shape says what the model takes.
void translate_sequential(json& config) {
  auto layers = config.find("layers");
  if (layers == config.end() || !layers->is_array() || layers->empty()) return;
  json& first = (*layers)[0];
  if (class_of(first) != "InputLayer" && first.contains("config") &&
      first.at("config").is_object() && first.at("config").contains("batch_input_shape") &&
      first.at("config").at("batch_input_shape").is_array()) {
    const json& given = first.at("config");
    json input = json::object();
    input["batch_shape"] = given.at("batch_input_shape");
    const auto dtype = given.find("dtype");
    input["dtype"] = dtype != given.end() && dtype->is_string() ? *dtype : json("float32");
    input["name"] = "input_layer";
    layers->insert(layers->begin(), json{{"class_name", "InputLayer"}, {"config", input}});
  }
  for (json& layer : *layers) translate_entry(layer);
}

void translate_entry(json& entry) {
  if (!entry.is_object()) return;  // the readers name what is wrong
  const std::string class_name = class_of(entry);
  // The graph operations masks are made of, as Keras 3 writes them without
  // their module. (Before `config` below: inserting moves the entry's items.)
  if ((class_name == "NotEqual" || class_name == "Any") && !entry.contains("module")) {
    entry["module"] = "keras.src.ops.numpy";
  }
  auto found = entry.find("config");
  if (found == entry.end()) return;
  json& config = *found;
  if (class_name == "Sequential" && config.is_array()) {
    config = json{{"name", "sequential"}, {"layers", config}};
  }
  if (!config.is_object()) return;
  if (config.contains("batch_input_shape")) {
    json shape = config.at("batch_input_shape");
    config.erase("batch_input_shape");
    if (class_name == "InputLayer" && !config.contains("batch_shape")) {
      config["batch_shape"] = std::move(shape);
    }
  }
  if (auto axis = config.find("axis"); axis != config.end()) {
    if (axis->is_array() && axis->size() == 1 && (*axis)[0].is_number_integer()) {
      *axis = (*axis)[0];
    } else if (axis->is_number_float()) {
      *axis = static_cast<std::int64_t>(axis->get<double>());
    }
  }
  if (class_name == "LSTM" || class_name == "GRU" || class_name == "SimpleRNN") {
    config.erase("implementation");
  }
  for (const char* key : {"layer", "backward_layer"}) {
    if (auto inner = config.find(key); inner != config.end()) translate_entry(*inner);
  }
  if (class_name == "Sequential") {
    translate_sequential(config);
  } else if (is_model_class(class_name)) {
    if (auto layers = config.find("layers"); layers != config.end() && layers->is_array()) {
      for (json& layer : *layers) translate_entry(layer);
    }
  }
}

// ---- reading: the training config ----

std::string strip_custom(const std::string& class_name) {
  const std::string prefix = "Custom>";
  return class_name.rfind(prefix, 0) == 0 ? class_name.substr(prefix.size()) : class_name;
}

json translate_optimizer(const json& value, const std::string& path) {
  if (!value.is_object()) return value;  // a name, or an error in the reader
  json out = json::object();
  out["class_name"] = strip_custom(class_of(value));
  json config = value.contains("config") && value.at("config").is_object() ? value.at("config")
                                                                           : json::object();
  // TF 2.x optimizer options that do not change the update.
  for (const char* key : {"jit_compile", "is_legacy_optimizer"}) config.erase(key);
  if (config.contains("lr") && !config.contains("learning_rate")) {
    config["learning_rate"] = config.at("lr");
  }
  config.erase("lr");
  if (auto decay = config.find("decay"); decay != config.end()) {
    if (decay->is_number() && decay->get<double>() != 0.0) {
      throw Error(path + ".config.decay is " + decay->dump() +
                  "; kerascpp has no learning-rate decay of the Keras 2 optimizers. Load with "
                  "{.compile = false} and compile again.");
    }
    config.erase("decay");
  }
  // Without EMA, its options mean nothing (tf.keras writes a frequency anyway).
  if (!config.value("use_ema", false)) {
    config.erase("ema_overwrite_frequency");
    config.erase("ema_momentum");
  }
  out["config"] = std::move(config);
  return out;
}

// A Keras 2 loss or metric object as the name kerascpp knows it by: its
// "name" (what the user wrote for a MeanMetricWrapper), then its function
// "fn", then its class name; `known` says whether a name can be read.
template <class Known>
json object_as_name(const json& value, Known&& known) {
  if (!value.is_object()) return value;
  const json& config =
      value.contains("config") && value.at("config").is_object() ? value.at("config") : json();
  std::vector<std::string> candidates;
  for (const char* key : {"name", "fn"}) {
    if (config.is_object() && config.contains(key) && config.at(key).is_string()) {
      candidates.push_back(config.at(key).get<std::string>());
    }
  }
  candidates.push_back(class_of(value));
  for (const std::string& name : candidates) {
    if (!name.empty() && known(name)) return name;
  }
  return value;  // the reader says it cannot read it
}

bool known_loss(const std::string& name) {
  try {
    losses::Loss loss(name);
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool known_metric(const std::string& name) {
  try {
    metrics::Metric metric(name);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// A loss object with its default options is read by name, as Keras 3 reads
// it; one with options (tf.keras' SparseCategoricalCrossentropy(from_logits=
// True)) becomes the Keras 3 object: Keras 2 writes the loss function as
// "fn" and the default reduction as "auto", which Keras 3's losses do not
// take (Keras 3.15 itself fails there: "unexpected keyword argument 'fn'").
json translate_loss(const json& value) {
  if (!value.is_object()) return value;
  if (!value.contains("config") || !value.at("config").is_object()) {
    return object_as_name(value, known_loss);
  }
  json config = json::object();
  bool defaults = true;
  for (const auto& [key, option] : value.at("config").items()) {
    if (key == "fn") continue;
    if (key == "reduction" && option == "auto") {
      config[key] = "sum_over_batch_size";
      continue;
    }
    defaults = defaults &&
               (key == "name" || key == "dtype" ||
                (key == "reduction" && option == "sum_over_batch_size") ||
                (key == "from_logits" && option == false) ||
                (key == "label_smoothing" && option.is_number() && option.get<double>() == 0.0) ||
                (key == "axis" && option == -1) || (key == "ignore_class" && option.is_null()));
    config[key] = option;
  }
  if (defaults) return object_as_name(value, known_loss);
  return {{"module", "keras.losses"},
          {"class_name", class_of(value)},
          {"config", std::move(config)},
          {"registered_name", nullptr}};
}

json translate_metrics(const json& value, std::size_t num_outputs) {
  if (!value.is_array()) return value;
  json out = json::array();
  for (const json& entry : value) {
    if (entry.is_array()) {
      json inner = json::array();
      for (const json& m : entry) inner.push_back(object_as_name(m, known_metric));
      out.push_back(std::move(inner));
    } else {
      out.push_back(object_as_name(entry, known_metric));
    }
  }
  // Keras 2 writes one list per output, also for a single output.
  if (num_outputs == 1 && out.size() == 1 && out[0].is_array()) return out[0];
  return out;
}

// Keras 3.15 cannot compile a legacy file whose loss is an alias ("mse":
// "Could not deserialize 'keras.metrics.mse'"), so kerascpp writes the
// function's name, which every Keras reads as the same loss.
json spelled_out(const json& loss) {
  if (loss.is_array()) {
    json out = json::array();
    for (const json& l : loss) out.push_back(spelled_out(l));
    return out;
  }
  if (!loss.is_string()) return loss;
  static const std::map<std::string, std::string> kAliases = {
      {"mse", "mean_squared_error"},
      {"mae", "mean_absolute_error"},
      {"mape", "mean_absolute_percentage_error"},
      {"msle", "mean_squared_logarithmic_error"},
      {"kld", "kl_divergence"},
      {"bce", "binary_crossentropy"},
  };
  // Keras' aliases are lower case ("mse") or upper case ("MSE").
  const std::string name = loss.get<std::string>();
  std::string lower = name, upper = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto found = kAliases.find(lower);
  const bool alias = found != kAliases.end() && (name == lower || name == upper);
  return alias ? json(found->second) : loss;
}

}  // namespace

json legacy_model_config(const detail::FunctionalImpl& model) {
  const json object = detail::serialize_layer(model).object;
  json out = legacy_entry(object);
  return out;
}

json training_config(const detail::FunctionalImpl& model) {
  const json compile = compile_config_json(model);
  if (compile.empty()) return nullptr;
  json out = json::object();
  for (const auto& [key, value] : compile.items()) {
    if (key == "optimizer") continue;
    out[key] = key == "loss" ? spelled_out(value) : value;
  }
  const json& optimizer = compile.at("optimizer");
  out["optimizer_config"] = {{"class_name", optimizer.at("class_name")},
                             {"config", optimizer.at("config")}};
  return out;
}

json translate_model_config(json config) {
  translate_entry(config);
  return config;
}

json compile_config_from_training_config(const json& config, std::size_t num_outputs,
                                         const std::string& context) {
  if (!config.is_object()) throw Error(context + " must hold a JSON object.");
  json out = json::object();
  const auto optimizer = config.find("optimizer_config");
  if (optimizer == config.end() || optimizer->is_null()) {
    throw Error(context + ".optimizer_config is missing.");
  }
  out["optimizer"] = translate_optimizer(*optimizer, context + ".optimizer_config");
  // Checked here, so that an error names the file's field.
  optimizer_from_config(out["optimizer"], context + ".optimizer_config");
  for (const auto& [key, value] : config.items()) {
    if (key == "optimizer_config") continue;
    if (key == "loss") {
      if (value.is_array()) {
        json list = json::array();
        for (std::size_t i = 0; i < value.size(); ++i) {
          list.push_back(translate_loss(value[i]));
        }
        out[key] = std::move(list);
      } else {
        out[key] = translate_loss(value);
      }
    } else if (key == "metrics" || key == "weighted_metrics") {
      json metrics = translate_metrics(value, num_outputs);
      // Keras 2 writes [] (or [[]]) for no weighted metrics.
      const bool empty =
          metrics.is_array() &&
          (metrics.empty() || (metrics.size() == 1 && metrics[0].is_array() && metrics[0].empty()));
      out[key] = empty && key == "weighted_metrics" ? json(nullptr) : std::move(metrics);
    } else {
      out[key] = value;
    }
  }
  return out;
}

}  // namespace keras::saving
