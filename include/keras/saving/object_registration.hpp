#pragma once
// Custom layers in saved models: keras.saving.register_keras_serializable for
// C++ layer classes. A registered class is saved as Keras saves a registered
// Python class,
//   {"module": null, "class_name": "Scale", "config": {"name": ..., "trainable":
//    ..., "dtype": ..., <the layer's own fields>}, "registered_name":
//    "my_package>Scale", "build_config": ...},
// so a .keras file holding it round-trips through kerascpp, and a file that
// Keras saved with a class registered under the same name loads in kerascpp.
//
//   class ScaleImpl : public keras::LayerImpl {
//    public:
//     ScaleImpl(double factor, const std::string& name)
//         : LayerImpl("Scale", name), factor_(factor) {}
//     void get_config(keras::Config& config) const override {
//       config.set("factor", factor_);
//     }
//     static std::shared_ptr<ScaleImpl> from_config(const keras::Config& config) {
//       return std::make_shared<ScaleImpl>(config.number("factor"), config.name());
//     }
//     ...  // build, call, compute_output_shape
//   };
//   keras::register_layer<ScaleImpl>("my_package>Scale");
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <vector>

#include "keras/layer.hpp"

namespace keras {

// A layer's config: the dict Keras' get_config() returns. LayerImpl::get_config
// adds the layer's own fields; kerascpp adds name, trainable and dtype. The
// readers throw keras::Error naming the class and the field when a field is
// missing (and has no fallback) or holds another type.
class Config {
 public:
  explicit Config(std::string class_name = "");
  ~Config();
  Config(const Config& other);
  Config& operator=(const Config& other);
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;

  const std::string& class_name() const { return class_name_; }

  // ---- writing (get_config) ----
  Config& set(const std::string& key, double value);
  Config& set(const std::string& key, std::int64_t value);
  Config& set(const std::string& key, int value);
  Config& set(const std::string& key, bool value);
  Config& set(const std::string& key, const std::string& value);
  Config& set(const std::string& key, const char* value);
  Config& set(const std::string& key, const std::vector<std::int64_t>& value);
  Config& set(const std::string& key, const std::vector<double>& value);
  Config& set(const std::string& key, const std::vector<std::string>& value);
  // Python's None.
  Config& set_null(const std::string& key);

  // ---- reading (from_config) ----
  // Present and not null.
  bool has(const std::string& key) const;
  double number(const std::string& key) const;
  double number(const std::string& key, double fallback) const;
  std::int64_t integer(const std::string& key) const;
  std::int64_t integer(const std::string& key, std::int64_t fallback) const;
  bool boolean(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::string string(const std::string& key) const;
  std::string string(const std::string& key, const std::string& fallback) const;
  std::vector<std::int64_t> integers(const std::string& key) const;
  std::vector<double> numbers(const std::string& key) const;
  std::vector<std::string> strings(const std::string& key) const;
  // The base fields every layer config has.
  std::string name() const { return string("name"); }
  bool trainable() const { return boolean("trainable", true); }

  // The config as JSON text, Keras' field order.
  std::string to_json() const;
  // Parses JSON text (an object); throws keras::Error when it is not one.
  static Config from_json(const std::string& class_name, const std::string& text);

  // kerascpp's own (src/layers/custom_layers.cpp): the JSON value behind it.
  struct Fields;
  const Fields& fields() const { return *fields_; }
  Fields& fields() { return *fields_; }

 private:
  std::string class_name_;
  std::unique_ptr<Fields> fields_;
};

// Builds a layer from its config: the name, trainable and the layer's own
// fields. The layer it returns must carry config.name().
using CustomLayerFromConfig = std::function<std::shared_ptr<LayerImpl>(const Config&)>;

namespace detail {
void register_layer(const std::string& registered_name, std::type_index type,
                    CustomLayerFromConfig from_config);
}

// Registers T (a LayerImpl with `static std::shared_ptr<T> from_config(const
// keras::Config&)` and, when it has fields of its own, a get_config override)
// under registered_name, Keras' "package>ClassName" (the part after '>' is the
// class name T passes to LayerImpl). Registering the same name again replaces
// the class; throws keras::Error for an empty name or a name that a built-in
// layer class has.
template <class T>
void register_layer(const std::string& registered_name) {
  static_assert(std::is_base_of_v<LayerImpl, T>, "register_layer<T>: T must derive from LayerImpl");
  detail::register_layer(
      registered_name, std::type_index(typeid(T)),
      [](const Config& config) -> std::shared_ptr<LayerImpl> { return T::from_config(config); });
}

// The name a layer's class was registered under, if it was.
std::optional<std::string> registered_name(const LayerImpl& layer);

namespace saving {
// keras.saving.register_keras_serializable, for layers.
using keras::register_layer;
}  // namespace saving

}  // namespace keras
