#pragma once
// Whole models from files: Keras 3's .keras archives (keras.saving.load_model)
// and Keras' JSON config (keras.models.model_from_json: the text
// model.to_json() writes and config.json inside a .keras file holds).
#include <string>

#include "keras/model.hpp"
#include "keras/saving/object_registration.hpp"

namespace keras {

struct LoadModelOptions {
  // Recompile with the saved compile() arguments (and restore the optimizer's
  // variables), as Keras' load_model(compile=True).
  bool compile = true;
};

// Reads a .keras file written by Keras 3 or by Model::save, or a legacy .h5
// model written by Keras 2 / tf.keras, Keras 3 or Model::save: the model, its
// weights and, when it was compiled, its optimizer, loss and metrics with the
// optimizer's state, so that fit continues where it stopped. Files are
// untrusted: a damaged or inconsistent one gives a keras::Error naming the
// file, the archive member or HDF5 path and the field, never a crash.
Model load_model(const std::string& path, const LoadModelOptions& options = {});

namespace models {

// Rebuilds a Sequential or Functional model (nested models included) with the
// layer names of the config and fresh weights. Throws keras::Error naming the
// JSON path of a missing or ill-typed field, or the unknown layer class.
Model model_from_json(const std::string& json);
// The same, reading the JSON from a file.
Model model_from_json_file(const std::string& path);
// keras.models.load_model.
using keras::load_model;

}  // namespace models

namespace saving {
// keras.saving.load_model.
using keras::load_model;
}  // namespace saving

}  // namespace keras
