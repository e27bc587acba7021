// What every graph operation shares: no weights, built from the start, and
// Keras' serialized form of an op.
#include "operations/operation.hpp"

#include "layers/layer_config_writer.hpp"

namespace keras::operations {

OperationImpl::OperationImpl(std::string class_name, const std::string& name)
    : LayerImpl(std::move(class_name), name, /*trainable=*/true) {
  // An op has nothing to build: its summary row shows 0 parameters, not "0 (unbuilt)".
  set_built(true);
}

void OperationImpl::write_arguments(json&) const {}

void OperationImpl::write_config(detail::ConfigWriter& w) const {
  json config = json::object();
  config["name"] = name();
  write_arguments(config);
  w.config() = std::move(config);
  w.module("keras.src.ops.numpy").registered_name(class_name()).without_build_config();
}

const OperationImpl* as_operation(const LayerImpl& layer) {
  return dynamic_cast<const OperationImpl*>(&layer);
}

std::shared_ptr<OperationImpl> operation_from_config(const json& object) {
  if (!object.is_object()) return nullptr;
  const auto module = object.find("module");
  if (module == object.end() || !module->is_string()) return nullptr;
  const std::string m = module->get<std::string>();
  if (m.rfind("keras.src.ops.", 0) != 0 && m.rfind("keras.ops", 0) != 0) return nullptr;
  const auto class_name = object.find("class_name");
  if (class_name == object.end() || !class_name->is_string()) {
    throw Error("An operation config must have a \"class_name\" string.");
  }
  const std::string name = class_name->get<std::string>();
  const auto config = object.find("config");
  if (config == object.end() || !config->is_object()) {
    throw Error("Operation " + name + " has no \"config\" object.");
  }
  if (name == "NotEqual") return not_equal_from_config(*config);
  if (name == "Any") return any_from_config(*config);
  throw Error("Unknown operation class \"" + name + "\" (module " + m +
              "): kerascpp rebuilds the NotEqual and Any operations that masks are made of.");
}

}  // namespace keras::operations
