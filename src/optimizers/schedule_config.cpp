// keras.optimizers.schedules.deserialize: each learning-rate schedule rebuilt
// from the config its get_config writes (a table class_name -> builder).
#include <functional>
#include <map>

#include "keras/error.hpp"
#include "keras/optimizers/schedules.hpp"
#include "saving/object_config.hpp"

namespace keras::optimizers::schedules {

namespace {

using saving::check_fields;
using saving::finite_number;
using Schedule = std::shared_ptr<const LearningRateSchedule>;

// A schedule's decay_steps: Keras' schedules divide by it.
double positive(const Config& c, const std::string& key) {
  const double v = finite_number(c, key);
  if (v <= 0)
    throw Error(saving::field_name(c, key) + " must be > 0, got " + std::to_string(v) + ".");
  return v;
}

Schedule exponential_decay(const Config& c) {
  check_fields(c, {"initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"});
  return std::make_shared<ExponentialDecay>(
      finite_number(c, "initial_learning_rate"), positive(c, "decay_steps"),
      finite_number(c, "decay_rate"), c.boolean("staircase", false),
      c.string("name", "ExponentialDecay"));
}

Schedule piecewise_constant_decay(const Config& c) {
  check_fields(c, {"boundaries", "values", "name"});
  return std::make_shared<PiecewiseConstantDecay>(saving::finite_numbers(c, "boundaries"),
                                                  saving::finite_numbers(c, "values"),
                                                  c.string("name", "PiecewiseConstant"));
}

Schedule cosine_decay(const Config& c) {
  check_fields(c, {"initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target",
                   "warmup_steps"});
  const double warmup_target = finite_number(c, "warmup_target", -1.0);
  if (c.has("warmup_target") && warmup_target < 0) {
    throw Error(saving::field_name(c, "warmup_target") + " must be >= 0 (or null), got " +
                std::to_string(warmup_target) + ".");
  }
  const double warmup_steps = finite_number(c, "warmup_steps", 0.0);
  if (warmup_steps < 0) {
    throw Error(saving::field_name(c, "warmup_steps") + " must be >= 0, got " +
                std::to_string(warmup_steps) + ".");
  }
  return std::make_shared<CosineDecay>(
      finite_number(c, "initial_learning_rate"), positive(c, "decay_steps"),
      finite_number(c, "alpha", 0.0), warmup_target, warmup_steps, c.string("name", "CosineDecay"));
}

Schedule inverse_time_decay(const Config& c) {
  check_fields(c, {"initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"});
  return std::make_shared<InverseTimeDecay>(
      finite_number(c, "initial_learning_rate"), positive(c, "decay_steps"),
      finite_number(c, "decay_rate"), c.boolean("staircase", false),
      c.string("name", "InverseTimeDecay"));
}

Schedule polynomial_decay(const Config& c) {
  check_fields(
      c, {"initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle", "name"});
  return std::make_shared<PolynomialDecay>(
      finite_number(c, "initial_learning_rate"), positive(c, "decay_steps"),
      finite_number(c, "end_learning_rate", 0.0001), finite_number(c, "power", 1.0),
      c.boolean("cycle", false), c.string("name", "PolynomialDecay"));
}

Schedule cosine_decay_restarts(const Config& c) {
  check_fields(c,
               {"initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name"});
  const double t_mul = finite_number(c, "t_mul", 2.0);
  if (t_mul <= 0) {
    throw Error(saving::field_name(c, "t_mul") + " must be > 0, got " + std::to_string(t_mul) +
                ".");
  }
  return std::make_shared<CosineDecayRestarts>(
      finite_number(c, "initial_learning_rate"), positive(c, "first_decay_steps"), t_mul,
      finite_number(c, "m_mul", 1.0), finite_number(c, "alpha", 0.0),
      c.string("name", "SGDRDecay"));
}

const std::map<std::string, std::function<Schedule(const Config&)>>& builders() {
  static const std::map<std::string, std::function<Schedule(const Config&)>> table = {
      {"ExponentialDecay", exponential_decay}, {"PiecewiseConstantDecay", piecewise_constant_decay},
      {"CosineDecay", cosine_decay},           {"InverseTimeDecay", inverse_time_decay},
      {"PolynomialDecay", polynomial_decay},   {"CosineDecayRestarts", cosine_decay_restarts},
  };
  return table;
}

}  // namespace

std::shared_ptr<const LearningRateSchedule> from_config(const Config& config) {
  const auto it = builders().find(config.class_name());
  if (it == builders().end()) {
    std::string list;
    for (const auto& name : config_class_names()) list += (list.empty() ? "" : ", ") + name;
    throw Error("Unknown learning-rate schedule class \"" + config.class_name() +
                "\"; kerascpp reads " + list + ".");
  }
  return it->second(config);
}

std::vector<std::string> config_class_names() {
  std::vector<std::string> out;
  for (const auto& [name, builder] : builders()) out.push_back(name);
  return out;
}

}  // namespace keras::optimizers::schedules
