// Losses, metrics and learning-rate schedules in a compile_config, as
// Keras' serialize_keras_object writes them and deserialize_keras_object
// reads them (keras/src/saving/serialization_lib.py): a name stays a name, an
// object is {"module", "class_name", "config", "registered_name"}.
#include "keras/error.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/saving/object_registration.hpp"
#include "saving/compile_config.hpp"
#include "saving/object_config.hpp"

namespace keras::saving {

namespace {

// Keras' serialize_keras_object of a built-in object.
json object_json(const char* module, const std::string& class_name, const Config& config) {
  json out = json::object();
  out["module"] = module;
  out["class_name"] = class_name;
  out["config"] = config_value(config);
  out["registered_name"] = nullptr;
  return out;
}

}  // namespace

// A loss given by name is written as that name (what Keras keeps of
// compile(loss="mse")), a loss object as Keras serializes it.
json loss_json(const losses::Loss& loss) {
  if (!loss.impl().identifier().empty()) return loss.impl().identifier();
  Config config(loss.class_name());
  try {
    loss.impl().get_config(config);
  } catch (const Error& e) {
    throw Error(std::string("model.save: the compiled loss cannot be written to compile_config: ") +
                e.what());
  }
  return object_json("keras.losses", loss.class_name(), config);
}

json metric_json(const metrics::Metric& metric) {
  if (!metric.impl().identifier().empty()) return metric.impl().identifier();
  Config config(metric.class_name());
  try {
    metric.impl().get_config(config);
  } catch (const Error& e) {
    throw Error(std::string("model.save: a compiled metric cannot be written to compile_config: ") +
                e.what());
  }
  return object_json("keras.metrics", metric.class_name(), config);
}

json schedule_json(const optimizers::schedules::LearningRateSchedule& schedule) {
  Config config(schedule.class_name());
  schedule.get_config(config);
  return object_json("keras.optimizers.schedules", schedule.class_name(), config);
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

// A string field of a serialized object; fallback when missing or null.
std::string string_field(const json& object, const std::string& key, const std::string& path,
                         const std::string& fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_string()) {
    throw Error(path + "." + key + " must be a string, got " + kind(*it) + ".");
  }
  return it->get<std::string>();
}

// The Config of a serialized built-in Keras object,
//   {"module": module, "class_name": ..., "config": {...}, "registered_name": null};
// module may be missing (Keras 2 files); registered_name may only repeat
// class_name, since kerascpp has no custom losses, metrics or schedules.
Config object_config(const json& value, const std::string& path, const std::string& module) {
  if (!value.is_object()) throw Error(path + " must be an object, got " + kind(value) + ".");
  const std::string class_name = string_field(value, "class_name", path, "");
  if (class_name.empty()) throw Error(path + ".class_name is missing.");
  if (const std::string m = string_field(value, "module", path, module); m != module) {
    throw Error(path + ".module is \"" + m + "\"; kerascpp reads the built-in classes of \"" +
                module + "\" here.");
  }
  if (auto r = value.find("registered_name");
      r != value.end() && !r->is_null() && *r != class_name) {
    throw Error(path + ".registered_name is " + r->dump() +
                "; kerascpp reads Keras' built-in classes only (registered_name null), not "
                "custom registered objects.");
  }
  auto config = value.find("config");
  if (config == value.end() || config->is_null()) throw Error(path + ".config is missing.");
  try {
    return config_from_value(class_name, *config);
  } catch (const Error& e) {
    throw Error(path + ".config: " + e.what());
  }
}

// Keras' serialization of a plain function (compile(loss=keras.losses.mse)):
//   {"module": "builtins", "class_name": "function", "config": "mean_squared_error", ...};
// its name, or nullptr for anything else.
const json* function_name(const json& value) {
  if (!value.is_object() || value.value("class_name", json()) != "function") return nullptr;
  auto it = value.find("config");
  return it != value.end() && it->is_string() ? &*it : nullptr;
}

// A loss, metric or schedule from its serialized object; errors name path.
template <class FromConfig>
auto from_object(const json& value, const std::string& path, const std::string& module,
                 FromConfig from_config) {
  const Config config = object_config(value, path, module);
  try {
    return from_config(config);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

}  // namespace

losses::Loss loss_from_json(const json& v, const std::string& path) {
  if (const json* name = function_name(v)) return loss_from_json(*name, path + ".config");
  if (v.is_object()) return from_object(v, path, "keras.losses", losses::from_config);
  if (!v.is_string()) {
    throw Error(path + " is " + kind(v) +
                "; a loss is a name (\"mse\") or a serialized loss object.");
  }
  try {
    return losses::Loss(v.get<std::string>());
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

metrics::Metric metric_from_json(const json& v, const std::string& path) {
  if (const json* name = function_name(v)) return metric_from_json(*name, path + ".config");
  if (v.is_object()) return from_object(v, path, "keras.metrics", metrics::from_config);
  if (!v.is_string()) {
    throw Error(path + " is " + kind(v) +
                "; a metric is a name (\"accuracy\") or a serialized metric object.");
  }
  try {
    return metrics::Metric(v.get<std::string>());
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::shared_ptr<const optimizers::schedules::LearningRateSchedule> schedule_from_json(
    const json& value, const std::string& path) {
  return from_object(value, path, "keras.optimizers.schedules", optimizers::schedules::from_config);
}

}  // namespace keras::saving
