// keras.models.model_from_json: Sequential.from_config and
// functional_from_config (keras/src/models/sequential.py, functional.py).
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "keras/layers/input_layer.hpp"
#include "keras/saving.hpp"
#include "layers/layer_factory.hpp"
#include "models/functional.hpp"
#include "models/sequential.hpp"
#include "operations/operation.hpp"
#include "saving/compile_config.hpp"
#include "saving/model_from_config.hpp"

namespace keras::models {

namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error("model_from_json: " + path + " " + what);
}

std::string kind(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

const json& field(const json& obj, const std::string& key, const std::string& path) {
  if (!obj.is_object()) fail(path, "must be an object, got " + kind(obj) + ".");
  auto it = obj.find(key);
  if (it == obj.end()) fail(path + "." + key, "is missing.");
  return *it;
}

const json& typed(const json& v, bool ok, const std::string& expected, const std::string& path) {
  if (!ok) fail(path, "must be " + expected + ", got " + kind(v) + ".");
  return v;
}

std::string string_field(const json& obj, const std::string& key, const std::string& path) {
  const json& v = field(obj, key, path);
  return typed(v, v.is_string(), "a string", path + "." + key).get<std::string>();
}

const json& array_field(const json& obj, const std::string& key, const std::string& path) {
  const json& v = field(obj, key, path);
  return typed(v, v.is_array(), "a list", path + "." + key);
}

std::int64_t integer(const json& v, const std::string& path) {
  return typed(v, v.is_number_integer(), "an integer", path).get<std::int64_t>();
}

bool optional_bool(const json& obj, const std::string& key, const std::string& path,
                   bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  return typed(*it, it->is_boolean(), "a boolean", path + "." + key).get<bool>();
}

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

Shape shape_from(const json& v, const std::string& path) {
  typed(v, v.is_array(), "a shape (a list of integers and nulls)", path);
  if (v.size() > static_cast<std::size_t>(Shape::kMaxRank)) fail(path, "has too many dimensions.");
  std::vector<std::int64_t> dims;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].is_null()) {
      dims.push_back(None);
    } else {
      const std::int64_t d = integer(v[i], at(path, i));
      if (d < 0) fail(at(path, i), "must not be negative.");
      dims.push_back(d);
    }
  }
  return Shape(dims);
}

std::shared_ptr<LayerImpl> deserialize(const json& object, const std::string& path);

std::shared_ptr<LayerImpl> sequential_from_config(const json& object, const std::string& path) {
  const json& config = field(object, "config", path);
  const std::string cpath = path + ".config";
  // Keras' Sequential.from_config keeps the name but not "trainable".
  auto model = std::make_shared<detail::SequentialImpl>(string_field(config, "name", cpath), true);
  const json& layers = array_field(config, "layers", cpath);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string lpath = at(cpath + ".layers", i);
    std::shared_ptr<LayerImpl> layer = deserialize(layers[i], lpath);
    try {
      model->add(layer);
    } catch (const Error& e) {
      fail(lpath, "(" + layer->describe() + ") cannot be added: " + e.what());
    }
  }
  // A model built with build(shape) rebuilds from build_input_shape, or
  // else from its build_config (deserialize_keras_object).
  std::optional<Shape> shape;
  auto it = config.find("build_input_shape");
  if (it != config.end() && !it->is_null()) shape = shape_from(*it, cpath + ".build_input_shape");
  if (!shape) {
    auto b = object.find("build_config");
    if (b != object.end() && b->is_object()) {
      auto s = b->find("input_shape");
      if (s != b->end() && !s->is_null())
        shape = shape_from(*s, path + ".build_config.input_shape");
    }
  }
  if (shape && !model->has_graph() && !model->all_layers().empty()) {
    try {
      model->build_for(*shape);
    } catch (const Error& e) {
      fail(path, "cannot be built for input shape " + shape->to_string() + ": " + e.what());
    }
  }
  return model;
}

// ---- Functional ----

struct Entry {
  std::string name;
  std::string path;
  std::shared_ptr<LayerImpl> layer;
  const json* inbound_nodes = nullptr;
  std::size_t next_node = 0;
};

class FunctionalReader {
 public:
  FunctionalReader(const json& object, std::string path)
      : object_(object), path_(std::move(path)) {}

  std::shared_ptr<LayerImpl> read() {
    const json& config = field(object_, "config", path_);
    const std::string cpath = path_ + ".config";
    const json& layers = array_field(config, "layers", cpath);
    for (std::size_t i = 0; i < layers.size(); ++i) add_layer(layers[i], at(cpath + ".layers", i));
    process_nodes();
    bool inputs_as_list = false;
    bool outputs_as_list = false;
    std::vector<KerasTensor> inputs =
        tensors(field(config, "input_layers", cpath), cpath + ".input_layers", inputs_as_list);
    std::vector<KerasTensor> outputs =
        tensors(field(config, "output_layers", cpath), cpath + ".output_layers", outputs_as_list);
    ModelOptions options;
    options.name = string_field(config, "name", cpath);
    options.trainable = optional_bool(config, "trainable", cpath, true);
    try {
      return std::make_shared<detail::FunctionalImpl>(inputs, outputs, inputs_as_list,
                                                      outputs_as_list, options);
    } catch (const Error& e) {
      fail(path_, "does not make a model: " + std::string(e.what()));
    }
  }

 private:
  void add_layer(const json& entry, const std::string& path) {
    Entry e;
    e.name = string_field(entry, "name", path);
    e.path = path;
    if (index_.count(e.name)) fail(path + ".name", "\"" + e.name + "\" is used by two layers.");
    e.layer = deserialize(entry, path);
    e.inbound_nodes = &array_field(entry, "inbound_nodes", path);
    if (auto* input = dynamic_cast<layers::InputLayerImpl*>(e.layer.get())) {
      nodes_[e.name].push_back(input->output().node());  // its node 0
    }
    index_[e.name] = entries_.size();
    entries_.push_back(std::move(e));
  }

  // Keras calls each layer on its inputs in config order, postponing a call
  // whose inputs do not exist yet, until a pass makes no progress.
  void process_nodes() {
    while (true) {
      bool pending = false;
      bool progress = false;
      for (Entry& e : entries_) {
        while (e.next_node < e.inbound_nodes->size()) {
          if (!call_node(e, (*e.inbound_nodes)[e.next_node],
                         at(e.path + ".inbound_nodes", e.next_node))) {
            break;
          }
          ++e.next_node;
          progress = true;
        }
        pending = pending || e.next_node < e.inbound_nodes->size();
      }
      if (!pending) return;
      if (!progress) {
        std::string stuck;
        for (const Entry& e : entries_) {
          if (e.next_node < e.inbound_nodes->size()) {
            stuck += (stuck.empty() ? "" : ", ") + at(e.path + ".inbound_nodes", e.next_node);
          }
        }
        fail(path_,
             "is an invalid Functional config: the graph has loops or disconnected "
             "nodes; these calls cannot be resolved: " +
                 stuck + ".");
      }
    }
  }

  // The tensor a keras_history [layer, node, tensor] names, or nothing when
  // that call has not been made yet.
  std::optional<KerasTensor> history_tensor(const json& history, const std::string& path,
                                            std::int64_t node_offset = 0) {
    typed(history, history.is_array() && history.size() >= 3,
          "a list [layer_name, node_index, tensor_index]", path);
    const std::string name =
        typed(history[0], history[0].is_string(), "a string", at(path, 0)).get<std::string>();
    const std::int64_t node_index = integer(history[1], at(path, 1)) - node_offset;
    const std::int64_t tensor_index = integer(history[2], at(path, 2));
    auto found = index_.find(name);
    if (found == index_.end()) fail(at(path, 0), "names an unknown layer \"" + name + "\".");
    if (node_index < 0) fail(at(path, 1), "must not be negative.");
    const auto& made = nodes_[name];
    if (static_cast<std::size_t>(node_index) >= made.size()) return std::nullopt;
    const std::shared_ptr<Node>& node = made[static_cast<std::size_t>(node_index)];
    if (tensor_index < 0 || static_cast<std::size_t>(tensor_index) >= node->output_shapes.size()) {
      fail(at(path, 2), "is out of range: layer \"" + name + "\" has " +
                            std::to_string(node->output_shapes.size()) + " outputs.");
    }
    const auto i = static_cast<std::size_t>(tensor_index);
    return KerasTensor(node->output_shapes[i], node->output_dtypes[i], node,
                       static_cast<int>(tensor_index));
  }

  std::optional<KerasTensor> keras_tensor(const json& v, const std::string& path) {
    const std::string class_name = string_field(v, "class_name", path);
    if (class_name != "__keras_tensor__") {
      fail(path + ".class_name",
           "must be \"__keras_tensor__\" (a layer input), got \"" + class_name + "\".");
    }
    const json& config = field(v, "config", path);
    return history_tensor(field(config, "keras_history", path + ".config"),
                          path + ".config.keras_history");
  }

  static bool holds_tensor(const json& v) {
    if (v.is_object()) {
      auto it = v.find("class_name");
      if (it != v.end() && *it == "__keras_tensor__") return true;
      for (const auto& [k, x] : v.items()) {
        if (holds_tensor(x)) return true;
      }
    }
    if (v.is_array()) {
      for (const auto& x : v) {
        if (holds_tensor(x)) return true;
      }
    }
    return false;
  }

  // One call of a graph operation (NotEqual(x, 0)): its "args" hold the
  // tensors and the op's other arguments.
  bool call_operation(Entry& e, operations::OperationImpl& op, const json& node_data,
                      const std::string& path) {
    if (!node_data.is_object()) fail(path, "must be an object with \"args\" and \"kwargs\".");
    const json& args = array_field(node_data, "args", path);
    const json& kwargs = field(node_data, "kwargs", path);
    if (!kwargs.is_object() || !kwargs.empty()) {
      fail(path + ".kwargs", "must be empty for " + op.describe() + ", got " + kwargs.dump() + ".");
    }
    std::vector<KerasTensor> inputs;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (!holds_tensor(args[i])) continue;
      auto x = keras_tensor(args[i], at(path + ".args", i));
      if (!x) return false;
      inputs.push_back(*x);
    }
    std::vector<KerasTensor> outputs;
    try {
      op.read_node_args(args);
      outputs = op.apply_symbolic(inputs, false);
    } catch (const Error& err) {
      fail(path, "(calling " + op.describe() + "): " + err.what());
    }
    nodes_[e.name].push_back(outputs.at(0).node());
    return true;
  }

  // The tensors of a call's mask= keyword (one per input, undefined for a
  // null), or nothing when one is not available yet.
  std::optional<std::vector<KerasTensor>> masks_of(const json& kwargs, const std::string& path) {
    std::vector<KerasTensor> masks;
    auto it = kwargs.find("mask");
    if (it == kwargs.end() || !holds_tensor(*it)) return masks;
    const std::string where = path + ".kwargs.mask";
    const bool list = it->is_array();
    const json entries = list ? *it : json::array({*it});
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].is_null()) {
        masks.emplace_back();
        continue;
      }
      auto m = keras_tensor(entries[i], list ? at(where, i) : where);
      if (!m) return std::nullopt;
      masks.push_back(*m);
    }
    return masks;
  }

  // Makes one call of e.layer; false when an input is not available yet.
  bool call_node(Entry& e, const json& node_data, const std::string& path) {
    if (auto* op = dynamic_cast<operations::OperationImpl*>(e.layer.get())) {
      return call_operation(e, *op, node_data, path);
    }
    std::vector<KerasTensor> inputs;
    std::vector<KerasTensor> masks;
    bool as_list = false;
    if (node_data.is_array()) {
      // Keras 2: [[layer, node_index, tensor_index, kwargs], ...].
      for (std::size_t i = 0; i < node_data.size(); ++i) {
        auto x = history_tensor(node_data[i], at(path, i));
        if (!x) return false;
        inputs.push_back(*x);
      }
      as_list = inputs.size() > 1;
    } else {
      const json& args = array_field(node_data, "args", path);
      const json& kwargs = field(node_data, "kwargs", path);
      typed(kwargs, kwargs.is_object(), "an object", path + ".kwargs");
      for (const auto& [key, value] : kwargs.items()) {
        if (holds_tensor(value) && key != "initial_state" && key != "mask") {
          fail(path + ".kwargs." + key,
               "passes a tensor as a keyword argument, which kerascpp "
               "does not support.");
        }
      }
      if (args.size() != 1) {
        fail(path + ".args", "must hold exactly one entry (the input or the list of inputs), got " +
                                 std::to_string(args.size()) + ".");
      }
      const json& first = args[0];
      if (first.is_array()) {
        as_list = true;
        for (std::size_t i = 0; i < first.size(); ++i) {
          auto x = keras_tensor(first[i], at(at(path + ".args", 0), i));
          if (!x) return false;
          inputs.push_back(*x);
        }
      } else {
        auto x = keras_tensor(first, at(path + ".args", 0));
        if (!x) return false;
        inputs.push_back(*x);
      }
      // A recurrent layer's initial_state=[h, c] follows its sequences in the
      // input list, kerascpp's form of that call (src/layers/rnn.hpp); the
      // call is "as a list" when the states were (not for initial_state=h).
      if (auto it = kwargs.find("initial_state"); it != kwargs.end() && holds_tensor(*it)) {
        const std::string where = path + ".kwargs.initial_state";
        const json states = it->is_array() ? *it : json::array({*it});
        for (std::size_t i = 0; i < states.size(); ++i) {
          auto x = keras_tensor(states[i], at(where, i));
          if (!x) return false;
          inputs.push_back(*x);
        }
        as_list = it->is_array();
      }
      // A mask= tensor (Keras records the mask a layer was called with) is a
      // connection of the call.
      auto given = masks_of(kwargs, path);
      if (!given) return false;
      masks = std::move(*given);
      if (masks.size() > inputs.size()) {
        fail(path + ".kwargs.mask", "has " + std::to_string(masks.size()) + " masks for " +
                                        std::to_string(inputs.size()) + " inputs.");
      }
    }
    std::vector<KerasTensor> outputs;
    try {
      outputs = e.layer->apply_symbolic(inputs, as_list, masks);
    } catch (const Error& err) {
      fail(path, "(calling " + e.layer->describe() + "): " + err.what());
    }
    if (outputs.empty()) fail(path, "(calling " + e.layer->describe() + ") gave no outputs.");
    nodes_[e.name].push_back(outputs[0].node());
    return true;
  }

  // input_layers / output_layers: one [name, node, tensor] or a list of them.
  std::vector<KerasTensor> tensors(const json& v, const std::string& path, bool& as_list) {
    auto is_leaf = [](const json& x) { return x.is_array() && x.size() == 3 && x[0].is_string(); };
    std::vector<KerasTensor> out;
    std::function<void(const json&, const std::string&)> collect = [&](const json& x,
                                                                       const std::string& p) {
      if (is_leaf(x)) {
        // A nested Functional's saved node indices count one extra node.
        const std::string name = x[0].get<std::string>();
        auto found = index_.find(name);
        std::int64_t offset = 0;
        if (found != index_.end()) {
          LayerImpl* layer = entries_[found->second].layer.get();
          if (detail::as_model(layer) && !detail::as_model(layer)->is_sequential()) offset = 1;
        }
        auto t = history_tensor(x, p, offset);
        if (!t) fail(p, "names a call of \"" + name + "\" that the config does not make.");
        out.push_back(*t);
        return;
      }
      typed(x, x.is_array(), "a list [layer_name, node_index, tensor_index] or a list of them", p);
      for (std::size_t i = 0; i < x.size(); ++i) collect(x[i], at(p, i));
    };
    as_list = !is_leaf(v);
    collect(v, path);
    return out;
  }

  const json& object_;
  std::string path_;
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> index_;
  // The calls made so far of each layer, by node index.
  std::map<std::string, std::vector<std::shared_ptr<Node>>> nodes_;
};

std::shared_ptr<LayerImpl> deserialize(const json& object, const std::string& path) {
  const std::string class_name = string_field(object, "class_name", path);
  if (class_name == "Sequential") return sequential_from_config(object, path);
  try {
    if (auto op = operations::operation_from_config(object)) return op;
  } catch (const Error& e) {
    fail(path, "(" + class_name + "): " + e.what());
  }
  if (class_name == "Functional" || class_name == "Model") {
    return FunctionalReader(object, path).read();
  }
  try {
    return layers::layer_from_config(object);
  } catch (const Error& e) {
    std::string name;
    auto c = object.find("config");
    if (c != object.end() && c->is_object()) {
      auto n = c->find("name");
      if (n != c->end() && n->is_string()) name = " \"" + n->get<std::string>() + "\"";
    }
    fail(path, "(" + class_name + name + "): " + e.what());
  }
}

}  // namespace

Model model_from_json(const std::string& text) {
  json object;
  try {
    object = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw Error(std::string("model_from_json: the text is not valid JSON: ") + e.what());
  }
  return saving::model_from_config(object);
}

}  // namespace keras::models

namespace keras::saving {

Model model_from_config(const nlohmann::ordered_json& object) {
  using namespace keras::models;
  const std::string class_name = string_field(object, "class_name", "model");
  if (class_name != "Sequential" && class_name != "Functional" && class_name != "Model") {
    fail("model.class_name",
         "is \"" + class_name + "\"; a model (Sequential or Functional) is needed.");
  }
  Model model(deserialize(object, "model"));
  // As Keras' deserialize_keras_object: a compile_config compiles the model.
  auto compile = object.find("compile_config");
  if (compile != object.end() && compile->is_object() && !compile->empty()) {
    compile_from_config(model, *compile, "model_from_json: model.compile_config");
  }
  return model;
}

}  // namespace keras::saving

namespace keras::models {

Model model_from_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("model_from_json_file: cannot open \"" + path + "\".");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error("model_from_json_file: cannot read \"" + path + "\".");
  return model_from_json(text.str());
}

}  // namespace keras::models
