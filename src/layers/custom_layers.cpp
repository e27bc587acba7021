// keras::register_layer and keras::Config: custom C++ layer classes in saved
// models, as keras.saving.register_keras_serializable makes Python classes
// (keras/src/saving/object_registration.py, serialization_lib.py).
#include "layers/custom_layers.hpp"

#include <map>
#include <mutex>

#include "keras/error.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_factory.hpp"

namespace keras {

namespace {

using json = nlohmann::ordered_json;

struct Registered {
  std::string name;
  CustomLayerFromConfig from_config;
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, Registered> by_name;
  std::map<std::type_index, std::string> by_type;
};

Registry& registry() {
  static Registry r;
  return r;
}

std::optional<Registered> find_registered(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.by_name.find(name);
  if (it == r.by_name.end()) return std::nullopt;
  return it->second;
}

// The class name in "package>ClassName".
std::string class_part(const std::string& registered_name) {
  const auto gt = registered_name.rfind('>');
  return gt == std::string::npos ? registered_name : registered_name.substr(gt + 1);
}

layers::LayerConfig reader(const Config& c) {
  return layers::LayerConfig(c.class_name(), c.fields().value);
}

template <class T>
json array_of(const std::vector<T>& values) {
  json out = json::array();
  for (const T& v : values) out.push_back(v);
  return out;
}

}  // namespace

Config::Config(std::string class_name)
    : class_name_(std::move(class_name)), fields_(std::make_unique<Fields>()) {}
Config::~Config() = default;
Config::Config(const Config& other)
    : class_name_(other.class_name_), fields_(std::make_unique<Fields>(*other.fields_)) {}
Config& Config::operator=(const Config& other) {
  if (this != &other) {
    class_name_ = other.class_name_;
    fields_ = std::make_unique<Fields>(*other.fields_);
  }
  return *this;
}
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

Config& Config::set(const std::string& key, double value) {
  fields_->value[key] = value;
  return *this;
}
Config& Config::set(const std::string& key, std::int64_t value) {
  fields_->value[key] = value;
  return *this;
}
Config& Config::set(const std::string& key, int value) {
  return set(key, static_cast<std::int64_t>(value));
}
Config& Config::set(const std::string& key, bool value) {
  fields_->value[key] = value;
  return *this;
}
Config& Config::set(const std::string& key, const std::string& value) {
  fields_->value[key] = value;
  return *this;
}
Config& Config::set(const std::string& key, const char* value) {
  return set(key, std::string(value));
}
Config& Config::set(const std::string& key, const std::vector<std::int64_t>& value) {
  fields_->value[key] = array_of(value);
  return *this;
}
Config& Config::set(const std::string& key, const std::vector<double>& value) {
  fields_->value[key] = array_of(value);
  return *this;
}
Config& Config::set(const std::string& key, const std::vector<std::string>& value) {
  fields_->value[key] = array_of(value);
  return *this;
}
Config& Config::set_null(const std::string& key) {
  fields_->value[key] = nullptr;
  return *this;
}

bool Config::has(const std::string& key) const { return reader(*this).has(key); }
double Config::number(const std::string& key) const { return reader(*this).number(key); }
double Config::number(const std::string& key, double fallback) const {
  return reader(*this).number(key, fallback);
}
std::int64_t Config::integer(const std::string& key) const { return reader(*this).integer(key); }
std::int64_t Config::integer(const std::string& key, std::int64_t fallback) const {
  return reader(*this).integer(key, fallback);
}
bool Config::boolean(const std::string& key) const { return reader(*this).boolean(key); }
bool Config::boolean(const std::string& key, bool fallback) const {
  return reader(*this).boolean(key, fallback);
}
std::string Config::string(const std::string& key) const { return reader(*this).string(key); }
std::string Config::string(const std::string& key, const std::string& fallback) const {
  return reader(*this).string(key, fallback);
}
std::vector<std::int64_t> Config::integers(const std::string& key) const {
  return reader(*this).integers(key);
}

namespace {

// A list field, every element of one JSON kind.
template <class T, class IsKind>
std::vector<T> list_field(const Config& c, const std::string& key, IsKind is_kind,
                          const char* what) {
  const json& value = c.fields().value;
  if (!value.contains(key) || value.at(key).is_null()) {
    throw Error(reader(c).where(key) + " is missing.");
  }
  const json& list = value.at(key);
  std::vector<T> out;
  bool ok = list.is_array();
  for (std::size_t i = 0; ok && i < list.size(); ++i) {
    ok = is_kind(list[i]);
    if (ok) out.push_back(list[i].get<T>());
  }
  if (!ok) throw Error(reader(c).where(key) + " must be a list of " + what + ".");
  return out;
}

}  // namespace

std::vector<double> Config::numbers(const std::string& key) const {
  return list_field<double>(
      *this, key, [](const json& v) { return v.is_number(); }, "numbers");
}

std::vector<std::string> Config::strings(const std::string& key) const {
  return list_field<std::string>(
      *this, key, [](const json& v) { return v.is_string(); }, "strings");
}

std::string Config::to_json() const { return fields_->value.dump(); }

Config Config::from_json(const std::string& class_name, const std::string& text) {
  Config c(class_name);
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) throw Error(class_name + " config: not a JSON object: " + text);
  c.fields_->value = std::move(value);
  return c;
}

namespace detail {

void register_layer(const std::string& registered_name, std::type_index type,
                    CustomLayerFromConfig from_config) {
  if (class_part(registered_name).empty()) {
    throw Error("register_layer: the name must be \"package>ClassName\" or \"ClassName\"; got \"" +
                registered_name + "\".");
  }
  for (const std::string& builtin : layers::registered_layer_classes()) {
    if (builtin == registered_name) {
      throw Error("register_layer: \"" + registered_name +
                  "\" is a built-in layer class; register yours under \"package>" +
                  registered_name + "\".");
    }
  }
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.by_name[registered_name] = {registered_name, std::move(from_config)};
  r.by_type[type] = registered_name;
}

}  // namespace detail

std::optional<std::string> registered_name(const LayerImpl& layer) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.by_type.find(std::type_index(typeid(layer)));
  if (it == r.by_type.end()) return std::nullopt;
  return it->second;
}

}  // namespace keras

namespace keras::layers {

bool write_custom_config(const LayerImpl& layer, detail::ConfigWriter& writer) {
  const std::optional<std::string> name = registered_name(layer);
  if (!name) return false;
  writer.base();
  Config own(layer.class_name());
  layer.get_config(own);
  for (const auto& [key, value] : own.fields().value.items()) writer.set(key, value);
  // Keras writes module None for a class defined in a script (__main__).
  writer.module(nullptr).registered_name(*name);
  return true;
}

std::shared_ptr<LayerImpl> custom_layer_from_config(const json& object) {
  std::optional<Registered> found;
  if (object.contains("registered_name") && object.at("registered_name").is_string()) {
    found = find_registered(object.at("registered_name").get<std::string>());
  }
  if (!found && object.contains("class_name") && object.at("class_name").is_string()) {
    found = find_registered(object.at("class_name").get<std::string>());
  }
  if (!found) return nullptr;
  const std::string class_name = class_part(found->name);
  if (!object.contains("config") || !object.at("config").is_object()) {
    throw Error(found->name + " layer object has no \"config\" object.");
  }
  Config config(class_name);
  config.fields().value = object.at("config");
  LayerConfig(class_name, config.fields().value).common();  // name, trainable, float32 dtype
  std::shared_ptr<LayerImpl> layer = found->from_config(config);
  if (!layer) throw Error(found->name + " from_config returned no layer.");
  if (layer->name() != config.name()) {
    throw Error(found->name + " from_config made a layer named \"" + layer->name() +
                "\", but the config names it \"" + config.name() +
                "\": pass config.name() to the layer's constructor.");
  }
  layer->set_trainable(config.trainable());
  return layer;
}

}  // namespace keras::layers
