#pragma once
// compile_config: what model.compile() was given, as Keras' model.save writes
// it into config.json (Trainer.get_compile_config) and load_model recompiles
// from it (compile_from_config):
//   {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
//                  "config": {...}, "registered_name": null},
//    "loss": "mse", "loss_weights": null, "metrics": ["mae"],
//    "weighted_metrics": null, "run_eagerly": false,
//    "steps_per_execution": 1, "jit_compile": true}
#include <nlohmann/json.hpp>
#include <string>

#include "keras/model.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/schedules.hpp"
#include "models/functional.hpp"

namespace keras::saving {

using json = nlohmann::ordered_json;

// {} for a model that is not compiled. Throws keras::Error when a loss,
// metric or learning-rate schedule has no Keras config (a C++ function).
json compile_config_json(const detail::FunctionalImpl& model);
// Keras' serialize_keras_object(optimizer).
json optimizer_json(const optimizers::OptimizerImpl& optimizer);
// Keras' serialize_keras_object of a compiled loss or metric — the string
// compile was given ("mse"), or {"module": "keras.losses", "class_name",
// "config", "registered_name": null} for an object — and of a learning-rate
// schedule. Throw keras::Error for one without a Keras config (a C++ function).
json loss_json(const losses::Loss& loss);
json metric_json(const metrics::Metric& metric);
json schedule_json(const optimizers::schedules::LearningRateSchedule& schedule);

// And back: a name, a serialized object, or Keras' serialized function
// ({"class_name": "function", "config": "mean_squared_error"}). path names
// the JSON value in errors ("... config.json: compile_config.loss").
losses::Loss loss_from_json(const json& value, const std::string& path);
metrics::Metric metric_from_json(const json& value, const std::string& path);
std::shared_ptr<const optimizers::schedules::LearningRateSchedule> schedule_from_json(
    const json& value, const std::string& path);

// The optimizer an optimizer config (or name) describes. context names the
// JSON path in errors ("... config.json: compile_config.optimizer").
optimizers::Optimizer optimizer_from_config(const json& value, const std::string& context);
// compile()'s arguments from a compile_config; throws keras::Error naming
// the field that kerascpp cannot honour. loss, loss_weights and metrics must
// be lists here (compile_from_config also reads Keras' dicts by output name).
CompileOptions compile_options_from_config(const json& config, const std::string& context);
// Keras' compile_from_config: compiles the model with those arguments, then
// builds the optimizer for the model's trainable weights (so that a weights
// file can fill its variables) and counts them in the summary.
void compile_from_config(Model& model, const json& config, const std::string& context);

}  // namespace keras::saving
