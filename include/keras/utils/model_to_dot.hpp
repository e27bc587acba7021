#pragma once
// keras.utils.model_to_dot: a model's graph as Graphviz DOT text, written by
// kerascpp itself (no pydot). Each layer is a node labelled with its name,
// class and parameter count; each edge carries the shape of the tensor that
// flows along it, and the model's outputs end in "output" nodes so that the
// last shapes show too. Render it with Graphviz: `dot -Tsvg model.dot`.
#include <string>

#include "keras/model.hpp"

namespace keras::utils {

// Keras' model_to_dot arguments that apply to this drawing. Unlike Keras,
// shapes are shown by default: they are the point of the picture.
struct ModelToDotOptions {
  bool show_shapes = true;  // label each edge with its tensor's shape
  bool show_dtype = false;  // and dtype
  bool show_layer_names = true;
  std::string rankdir = "TB";  // "TB" (top to bottom) or "LR" (left to right)
  int dpi = 200;
  bool show_trainable = false;  // "trainable" / "non-trainable" under layers with weights
};

// Throws keras::Error when the model has no input shape yet (a Sequential
// without Input), or for a rankdir other than TB, BT, LR and RL.
std::string model_to_dot(const Model& model, const ModelToDotOptions& options = {});

}  // namespace keras::utils
