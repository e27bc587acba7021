#pragma once
// model.save("m.h5") / load_model("m.h5"): Keras' legacy HDF5 model format
// (keras/src/legacy/saving/legacy_h5_format.py; tf.keras' hdf5_format.py):
//   /                      attributes keras_version, backend, model_config
//                          (JSON), training_config (JSON, when compiled)
//   /model_weights         attributes layer_names, backend, keras_version
//   /model_weights/<layer> attribute weight_names; one dataset per name, at
//                          that name's path inside the group ("dense/kernel:0")
//   /optimizer_weights     attribute weight_names; one dataset per name
// Weights are matched by order: the layers that have weights, in model.layers
// order, each with its trainable then non-trainable weights.
//
// Files are untrusted: every size is checked before it is allocated and every
// failure is a keras::Error naming the file, the HDF5 path (or attribute) and
// the field.
#include <nlohmann/json.hpp>
#include <string>

#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "models/functional.hpp"

namespace keras::saving {

// Writes the model to path atomically (a file beside it, renamed at the end).
// context starts every error message (`save("m.h5")`).
void save_legacy_h5(const detail::FunctionalImpl& model, const std::string& path,
                    const std::string& context);

// Reads a legacy .h5 model written by Keras 3, tf.keras / Keras 2 or
// Model::save. With options.compile, a file with a training_config comes back
// compiled and, when the file holds optimizer weights that fit the rebuilt
// optimizer, with the optimizer's state (see legacy_h5.cpp for the rule).
Model load_legacy_h5(const std::string& path, const LoadModelOptions& options,
                     const std::string& context);

// ---- the configs (legacy_h5_config.cpp) ----

// The model_config Keras 3 writes in a legacy file: the model's config with
// the layers serialized in the legacy form ({"class_name", "config"}, plus
// "name" and "inbound_nodes" in a Functional; no module, registered_name or
// build_config), as under keras_option_scope(use_legacy_config=True).
nlohmann::ordered_json legacy_model_config(const detail::FunctionalImpl& model);
// The training_config of a compiled model (null when not compiled): its
// compile_config with the optimizer as "optimizer_config": {class_name, config}.
nlohmann::ordered_json training_config(const detail::FunctionalImpl& model);

// A model_config from any Keras version turned into the config kerascpp's
// model_from_config reads, as Keras 3's legacy loader translates Keras 2
// configs (see legacy_h5_config.cpp for each rule).
nlohmann::ordered_json translate_model_config(nlohmann::ordered_json config);
// A training_config (Keras 3's, or Keras 2's with its optimizer, loss and
// metric objects) as a Keras 3 compile_config; num_outputs folds Keras 2's
// per-output metric lists of a single-output model. context names the
// attribute in errors.
nlohmann::ordered_json compile_config_from_training_config(const nlohmann::ordered_json& config,
                                                           std::size_t num_outputs,
                                                           const std::string& context);

}  // namespace keras::saving
