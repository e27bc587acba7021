#pragma once
// Graph operations (keras/src/ops/operation.py): the keras.ops calls that
// Keras records as nodes of a functional graph when they run on symbolic
// tensors, such as the not_equal with which Embedding(mask_zero=True)
// computes its mask. kerascpp records those that masks are made of
// (NotEqual, Any). An operation is a LayerImpl without weights, so a model
// maps, runs, prints and saves it as Keras does; model.layers leaves it out,
// as Keras lists only Layer instances there.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::operations {

using json = nlohmann::ordered_json;

class OperationImpl : public LayerImpl {
 public:
  // An empty name gets Keras' automatic one (not_equal, not_equal_1, ...).
  OperationImpl(std::string class_name, const std::string& name);

  // The "args" Keras records for a call on these inputs (each already
  // serialized as a __keras_tensor__): NotEqual's [x, 0].
  virtual json node_args(std::vector<json> tensors) const = 0;
  // Takes the non-tensor entries of a node's "args" read from a config
  // (NotEqual's 0); the tensor entries are the call's inputs, in order.
  // Throws keras::Error naming the op for arguments it cannot take.
  virtual void read_node_args(const json& args) = 0;

  // Operation.get_config: {"name": ...} and the op's own arguments, in the
  // object serialize_keras_object makes of an op (module keras.src.ops.numpy,
  // registered_name the class name, no build_config).
  void write_config(detail::ConfigWriter& writer) const final;

 protected:
  // The op's own get_config entries after "name" (Any's axis and keepdims).
  virtual void write_arguments(json& config) const;
};

// The op behind a graph node's layer, or nullptr for a layer.
const OperationImpl* as_operation(const LayerImpl& layer);

// ops.not_equal(x, value) on a symbolic tensor: a NotEqual node, whose
// output is a bool tensor of x's shape. value is kept as written (0 for an
// Embedding's mask, 0.0 for a Masking's), as Keras writes it in the node.
KerasTensor not_equal(const KerasTensor& x, const json& value);
// ops.any(x, axis, keepdims) on a symbolic tensor: an Any node. axis is an
// integer, a list of them, or null (every axis), as Keras writes it.
KerasTensor any(const KerasTensor& x, const json& axis, bool keepdims = false);

// The op a config object describes ({"module": "keras.src.ops.numpy",
// "class_name": "NotEqual", ...}), nullptr when the object is not an op.
// Throws keras::Error for an op kerascpp does not have.
std::shared_ptr<OperationImpl> operation_from_config(const json& object);

// Each op's builder from its "config" object (not_equal.cpp, any.cpp).
std::shared_ptr<OperationImpl> not_equal_from_config(const json& config);
std::shared_ptr<OperationImpl> any_from_config(const json& config);

}  // namespace keras::operations
