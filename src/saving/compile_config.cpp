// compile_config writing and reading (keras/src/trainers/trainer.py:
// get_compile_config / compile_from_config; optimizers' get_config).
#include "saving/compile_config.hpp"

#include <algorithm>
#include <cmath>

#include "keras/error.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/optimizers.hpp"
#include "training/training_state.hpp"

namespace keras::saving {

namespace {

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json learning_rate_json(const optimizers::OptimizerImpl& optimizer) {
  const auto& schedule = optimizer.learning_rate().schedule();
  if (!schedule) {
    // Keras writes the learning-rate variable's float32 value.
    return static_cast<double>(static_cast<float>(optimizer.current_learning_rate()));
  }
  try {
    return schedule_json(*schedule);
  } catch (const Error& e) {
    throw Error("model.save: the learning rate of the optimizer \"" + optimizer.name() +
                "\" cannot be written to compile_config: " + e.what());
  }
}

json metrics_json(const MetricList& list) {
  if (list.lists.empty()) return nullptr;
  auto one = [](const std::vector<metrics::Metric>& metrics) {
    json out = json::array();
    for (const auto& m : metrics) out.push_back(metric_json(m));
    return out;
  };
  if (!list.is_per_output) return one(list.lists[0]);
  json out = json::array();
  for (const auto& metrics : list.lists) out.push_back(one(metrics));
  return out;
}

}  // namespace

json optimizer_json(const optimizers::OptimizerImpl& optimizer) {
  const auto& common = optimizer.common();
  json config = json::object();
  config["name"] = optimizer.name();
  config["learning_rate"] = learning_rate_json(optimizer);
  config["weight_decay"] = optional_json(common.weight_decay);
  config["clipnorm"] = optional_json(common.clipnorm);
  config["global_clipnorm"] = optional_json(common.global_clipnorm);
  config["clipvalue"] = optional_json(common.clipvalue);
  config["use_ema"] = false;
  config["ema_momentum"] = 0.99;
  config["ema_overwrite_frequency"] = nullptr;
  config["loss_scale_factor"] = nullptr;
  config["gradient_accumulation_steps"] = nullptr;
  for (const auto& [key, value] : optimizer.own_config()) {
    std::visit([&, k = key](const auto& v) { config[k] = v; }, value);
  }
  json out = json::object();
  out["module"] = "keras.optimizers";
  out["class_name"] = optimizer.class_name();
  out["config"] = std::move(config);
  out["registered_name"] = nullptr;
  return out;
}

json compile_config_json(const detail::FunctionalImpl& model) {
  if (!model.training) return json::object();
  const training::TrainingState& state = *model.training;
  const CompileOptions& options = state.options;
  json out = json::object();
  out["optimizer"] = optimizer_json(state.optimizer.impl());
  const auto& given = options.loss.losses;
  if (given.empty()) {
    out["loss"] = nullptr;
  } else if (given.size() == 1) {
    out["loss"] = loss_json(given[0]);
  } else {
    json list = json::array();
    for (const auto& l : given) list.push_back(loss_json(l));
    out["loss"] = std::move(list);
  }
  out["loss_weights"] = options.loss_weights.empty() ? json(nullptr) : json(options.loss_weights);
  out["metrics"] = metrics_json(options.metrics);
  out["weighted_metrics"] = nullptr;
  out["run_eagerly"] = false;
  out["steps_per_execution"] = 1;
  // What Keras resolves jit_compile="auto" to on the JAX backend.
  out["jit_compile"] = true;
  return out;
}

// ---- reading ----

namespace {

std::string kind(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) {
      throw Error(path_ + " must be an object, got " + kind(object_) + ".");
    }
  }

  const json* find(const std::string& key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string where(const std::string& key) const { return path_ + "." + key; }

  double number(const std::string& key, double fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number()) wrong(key, "a number", *v);
    const double d = v->get<double>();
    if (!std::isfinite(d)) throw Error(where(key) + " must be a finite number.");
    return d;
  }
  std::optional<double> optional_number(const std::string& key) const {
    if (find(key) == nullptr) return std::nullopt;
    return number(key, 0.0);
  }
  bool boolean(const std::string& key, bool fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) wrong(key, "true or false", *v);
    return v->get<bool>();
  }
  std::string string(const std::string& key, const std::string& fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) wrong(key, "a string", *v);
    return v->get<std::string>();
  }
  // A field kerascpp cannot honour unless it has this value (or is null).
  void require(const std::string& key, const json& allowed) const {
    const json* v = find(key);
    if (v != nullptr && *v != allowed) {
      throw Error(where(key) + " is " + v->dump() + "; kerascpp supports only " + allowed.dump() +
                  " (or null).");
    }
  }

 private:
  [[noreturn]] void wrong(const std::string& key, const std::string& expected,
                          const json& v) const {
    throw Error(where(key) + " must be " + expected + ", got " + kind(v) + ".");
  }

  const json& object_;
  std::string path_;
};

template <class Options>
Options common_options(const Fields& f) {
  Options o;
  if (const json* lr = f.find("learning_rate"); lr != nullptr && !lr->is_number()) {
    // A learning-rate schedule, serialized as Keras does.
    o.learning_rate = schedule_from_json(*lr, f.where("learning_rate"));
  } else {
    o.learning_rate = f.number("learning_rate", o.learning_rate.value());
  }
  o.weight_decay = f.optional_number("weight_decay");
  o.clipnorm = f.optional_number("clipnorm");
  o.clipvalue = f.optional_number("clipvalue");
  o.global_clipnorm = f.optional_number("global_clipnorm");
  o.name = f.string("name", "");
  f.require("use_ema", false);
  f.require("loss_scale_factor", nullptr);
  f.require("gradient_accumulation_steps", nullptr);
  f.require("ema_overwrite_frequency", nullptr);
  return o;
}

optimizers::Optimizer optimizer_from_fields(const std::string& class_name, const Fields& f) {
  namespace opt = optimizers;
  if (class_name == "SGD") {
    auto o = common_options<opt::SGDOptions>(f);
    o.momentum = f.number("momentum", o.momentum);
    o.nesterov = f.boolean("nesterov", o.nesterov);
    return opt::SGD(o);
  }
  if (class_name == "RMSprop") {
    auto o = common_options<opt::RMSpropOptions>(f);
    o.rho = f.number("rho", o.rho);
    o.momentum = f.number("momentum", o.momentum);
    o.epsilon = f.number("epsilon", o.epsilon);
    o.centered = f.boolean("centered", o.centered);
    return opt::RMSprop(o);
  }
  if (class_name == "Adam" || class_name == "AdamW") {
    auto read = [&](auto o) {
      o.beta_1 = f.number("beta_1", o.beta_1);
      o.beta_2 = f.number("beta_2", o.beta_2);
      o.epsilon = f.number("epsilon", o.epsilon);
      o.amsgrad = f.boolean("amsgrad", o.amsgrad);
      return o;
    };
    if (class_name == "Adam") return opt::Adam(read(common_options<opt::AdamOptions>(f)));
    return opt::AdamW(read(common_options<opt::AdamWOptions>(f)));
  }
  if (class_name == "Adagrad") {
    auto o = common_options<opt::AdagradOptions>(f);
    o.initial_accumulator_value =
        f.number("initial_accumulator_value", o.initial_accumulator_value);
    o.epsilon = f.number("epsilon", o.epsilon);
    return opt::Adagrad(o);
  }
  if (class_name == "Adadelta") {
    auto o = common_options<opt::AdadeltaOptions>(f);
    o.rho = f.number("rho", o.rho);
    o.epsilon = f.number("epsilon", o.epsilon);
    return opt::Adadelta(o);
  }
  if (class_name == "Adamax" || class_name == "Nadam") {
    auto read = [&](auto o) {
      o.beta_1 = f.number("beta_1", o.beta_1);
      o.beta_2 = f.number("beta_2", o.beta_2);
      o.epsilon = f.number("epsilon", o.epsilon);
      return o;
    };
    if (class_name == "Adamax") return opt::Adamax(read(common_options<opt::AdamaxOptions>(f)));
    return opt::Nadam(read(common_options<opt::NadamOptions>(f)));
  }
  if (class_name == "Lion") {
    auto o = common_options<opt::LionOptions>(f);
    o.beta_1 = f.number("beta_1", o.beta_1);
    o.beta_2 = f.number("beta_2", o.beta_2);
    return opt::Lion(o);
  }
  throw Error("unknown optimizer class \"" + class_name +
              "\"; kerascpp reads SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, "
              "Nadam and Lion.");
}

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

}  // namespace

optimizers::Optimizer optimizer_from_config(const json& value, const std::string& context) {
  try {
    if (value.is_string()) return optimizers::get(value.get<std::string>());
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  }
  const Fields object(value, context);
  const std::string class_name = object.string("class_name", "");
  if (class_name.empty()) throw Error(context + ".class_name is missing.");
  const json* config = object.find("config");
  static const json kEmpty = json::object();
  const Fields fields(config != nullptr ? *config : kEmpty, context + ".config");
  try {
    return optimizer_from_fields(class_name, fields);
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(context, 0) == 0) throw;
    throw Error(context + ": " + what);
  }
}

CompileOptions compile_options_from_config(const json& config, const std::string& context) {
  const Fields f(config, context);
  CompileOptions options;
  if (const json* opt = f.find("optimizer")) {
    options.optimizer = optimizer_from_config(*opt, f.where("optimizer"));
  }
  if (const json* loss = f.find("loss")) {
    if (loss->is_array()) {
      std::vector<losses::Loss> list;
      for (std::size_t i = 0; i < loss->size(); ++i) {
        list.push_back(loss_from_json((*loss)[i], at(f.where("loss"), i)));
      }
      options.loss = LossList(std::move(list));
    } else {
      options.loss = loss_from_json(*loss, f.where("loss"));
    }
  }
  if (const json* weights = f.find("loss_weights")) {
    if (!weights->is_array()) {
      throw Error(f.where("loss_weights") + " must be a list of numbers, got " + kind(*weights) +
                  ".");
    }
    for (std::size_t i = 0; i < weights->size(); ++i) {
      if (!(*weights)[i].is_number()) {
        throw Error(at(f.where("loss_weights"), i) + " must be a number.");
      }
      options.loss_weights.push_back((*weights)[i].get<double>());
    }
  }
  if (const json* metrics = f.find("metrics")) {
    const std::string path = f.where("metrics");
    if (!metrics->is_array()) {
      throw Error(path + " must be a list, got " + kind(*metrics) + ".");
    }
    const bool per_output = !metrics->empty() && (*metrics)[0].is_array();
    std::vector<std::vector<metrics::Metric>> lists;
    if (!per_output) lists.emplace_back();
    for (std::size_t i = 0; i < metrics->size(); ++i) {
      const json& entry = (*metrics)[i];
      if (per_output) {
        if (!entry.is_array()) throw Error(at(path, i) + " must be a list of metrics.");
        lists.emplace_back();
        for (std::size_t j = 0; j < entry.size(); ++j) {
          lists.back().push_back(metric_from_json(entry[j], at(at(path, i), j)));
        }
      } else {
        lists[0].push_back(metric_from_json(entry, at(path, i)));
      }
    }
    options.metrics =
        per_output ? MetricList::per_output(std::move(lists)) : MetricList(std::move(lists[0]));
  }
  // An empty list of weighted metrics is no weighted metric.
  if (const json* weighted = f.find("weighted_metrics");
      weighted != nullptr && !weighted->empty()) {
    throw Error(f.where("weighted_metrics") +
                " is set; kerascpp has no weighted metrics yet. Load with "
                "{.compile = false} to use the model without its training setup.");
  }
  return options;
}

namespace {

bool is_dict(const json& v) { return v.is_object() && !v.contains("class_name"); }

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return out;
}

// Keras' compile also takes loss, loss_weights and metrics as dicts keyed by
// output name (compile_utils.py); kerascpp's compile takes lists in the
// model's output order, which this makes of them:
// - loss: the keys must be the output names;
// - loss_weights: by name when loss is a dict; else in the order of the
//   sorted keys, as Keras flattens a dict against a list of losses;
// - metrics: keys among the output names, outputs without one get none (one
//   output: every value of the dict applies to it).
json with_output_lists(const json& config, const std::vector<std::string>& outputs,
                       const std::string& context) {
  if (!config.is_object()) return config;
  json out = config;
  const std::string where = context + ".";
  const bool loss_dict = config.contains("loss") && is_dict(config.at("loss"));
  auto check_keys = [&](const std::string& key, bool all) {
    for (const auto& [name, value] : config.at(key).items()) {
      if (std::find(outputs.begin(), outputs.end(), name) == outputs.end()) {
        throw Error(where + key + " has the key \"" + name + "\", which is not an output of the " +
                    "model; its outputs are " + joined(outputs) + ".");
      }
    }
    if (!all) return;
    for (const auto& name : outputs) {
      if (!config.at(key).contains(name)) {
        throw Error(where + key + " has no entry for the output \"" + name +
                    "\"; kerascpp needs a loss for every output (outputs: " + joined(outputs) +
                    ").");
      }
    }
  };
  if (loss_dict) {
    check_keys("loss", true);
    json list = json::array();
    for (const auto& name : outputs) list.push_back(config.at("loss").at(name));
    out["loss"] = std::move(list);
  }
  if (config.contains("loss_weights") && config.at("loss_weights").is_object()) {
    const json& weights = config.at("loss_weights");
    json list = json::array();
    if (loss_dict) {
      check_keys("loss_weights", true);
      for (const auto& name : outputs) list.push_back(weights.at(name));
    } else {
      std::vector<std::string> keys;
      for (const auto& [name, value] : weights.items()) keys.push_back(name);
      std::sort(keys.begin(), keys.end());
      for (const auto& name : keys) list.push_back(weights.at(name));
    }
    out["loss_weights"] = std::move(list);
  }
  if (config.contains("metrics") && is_dict(config.at("metrics"))) {
    const json& metrics = config.at("metrics");
    auto as_list = [](const json& v) { return v.is_array() ? v : json::array({v}); };
    json lists = json::array();
    if (outputs.size() == 1) {
      json all = json::array();
      std::vector<std::string> keys;
      for (const auto& [name, value] : metrics.items()) keys.push_back(name);
      std::sort(keys.begin(), keys.end());
      for (const auto& name : keys) {
        for (const json& m : as_list(metrics.at(name))) all.push_back(m);
      }
      out["metrics"] = std::move(all);
    } else {
      check_keys("metrics", false);
      for (const auto& name : outputs) {
        lists.push_back(metrics.contains(name) && !metrics.at(name).is_null()
                            ? as_list(metrics.at(name))
                            : json::array());
      }
      out["metrics"] = std::move(lists);
    }
  }
  return out;
}

}  // namespace

void compile_from_config(Model& model, const json& config, const std::string& context) {
  std::vector<std::string> outputs;
  if (const auto* functional = detail::as_model(model.ptr().get()); functional->has_graph()) {
    for (const auto& output : functional->graph().outputs) outputs.push_back(output.layer().name());
  }
  const CompileOptions options =
      compile_options_from_config(with_output_lists(config, outputs, context), context);
  try {
    model.compile(options);
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  }
  detail::FunctionalImpl& impl = *detail::as_model(model.ptr().get());
  optimizers::Optimizer optimizer = impl.training->optimizer;
  optimizer.impl().build(impl.trainable_weights());
  impl.optimizer_variables = [optimizer] { return optimizer.variables(); };
}

}  // namespace keras::saving
