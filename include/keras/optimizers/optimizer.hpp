#pragma once
// The optimizer machinery shared by SGD, Adam, ... as Keras 3's
// BaseOptimizer: per step, gradients are clipped (clipnorm, global_clipnorm or
// clipvalue), decoupled weight decay is applied (w -= w * weight_decay * lr),
// then each optimizer's update rule runs once over every variable, fused in one
// loop per variable; then iterations += 1. The learning rate is a float32
// variable, or a schedule evaluated at the current iteration.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers {

namespace schedules {
class LearningRateSchedule;
}

// A learning rate: a number, or a schedule of the iteration count.
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: implicit, as Keras takes a float
  LearningRate(std::shared_ptr<const schedules::LearningRateSchedule> schedule)  // NOLINT
      : schedule_(std::move(schedule)) {}
  template <class Schedule,
            class = std::enable_if_t<std::is_base_of_v<schedules::LearningRateSchedule, Schedule>>>
  LearningRate(const Schedule& schedule)  // NOLINT
      : schedule_(std::make_shared<Schedule>(schedule)) {}

  bool is_schedule() const { return schedule_ != nullptr; }
  double value() const { return value_; }
  const std::shared_ptr<const schedules::LearningRateSchedule>& schedule() const {
    return schedule_;
  }

 private:
  double value_ = 0.0;
  std::shared_ptr<const schedules::LearningRateSchedule> schedule_;
};

// The arguments every Keras optimizer takes besides its own.
struct CommonOptions {
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

class OptimizerImpl {
 public:
  OptimizerImpl(std::string class_name, LearningRate learning_rate, CommonOptions common);
  virtual ~OptimizerImpl();
  OptimizerImpl(const OptimizerImpl&) = delete;
  OptimizerImpl& operator=(const OptimizerImpl&) = delete;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  const CommonOptions& common() const { return common_; }

  // Creates the slot variables for these trainable variables (once).
  void build(const std::vector<Variable>& trainable_variables);
  bool built() const { return built_; }
  // One optimizer step: clip, decay, update every variable, count the step.
  void apply(const std::vector<Tensor>& gradients, const std::vector<Variable>& variables);

  std::int64_t iterations() const;
  // The rate for the next step (a schedule is evaluated at iterations()).
  double current_learning_rate() const;
  // Sets a constant rate (as ReduceLROnPlateau does); not for schedules.
  void set_learning_rate(double value);
  const LearningRate& learning_rate() const { return learning_rate_; }
  // Keras' optimizer.variables: iteration, learning_rate (when constant), slots.
  std::vector<Variable> variables() const;

  // A value of an optimizer's config (Keras' get_config): a number or a flag.
  using ConfigValue = std::variant<double, bool>;
  // The fields of Keras' get_config() that this optimizer class adds to the
  // common ones (name, learning_rate, weight_decay, clipnorm, ...), in Keras'
  // order: SGD's momentum and nesterov, Adam's beta_1, ... model.save writes
  // them to compile_config. The default throws keras::Error.
  virtual std::vector<std::pair<std::string, ConfigValue>> own_config() const;

 protected:
  // Each optimizer creates its slots with add_slot, in Keras' order.
  virtual void build_slots(const std::vector<Variable>& trainable_variables) = 0;
  // The update rule for the elements [begin, end) of variable `index`; lr is
  // the step's learning rate and step is iterations() + 1. apply() calls it
  // from all threads at once, on disjoint ranges of all the variables, in one
  // parallel region per step.
  virtual void update_step(std::size_t index, const float* gradient, float* variable,
                           std::int64_t begin, std::int64_t end, float lr, std::int64_t step) = 0;
  // Called once per step before the updates (Nadam's u_product, Adam's
  // bias corrections).
  virtual void before_updates(std::int64_t /*step*/, float /*lr*/) {}
  // A zero-initialised (or init_value) variable shaped like `like`, named
  // "{variable name}_{slot}" as Keras names it (e.g. "kernel_momentum").
  Variable add_slot(const std::string& slot, const Variable& like, double init_value = 0.0);
  Variable add_variable(const std::string& name, Tensor value);
  float* slot_data(const Variable& slot) const;

 private:
  void clip(std::vector<Tensor>& gradients) const;
  void apply_weight_decay(const std::vector<Variable>& variables, float lr) const;
  void update_all(const std::vector<Variable>& variables, float lr, std::int64_t step);

  std::string class_name_;
  std::string name_;
  LearningRate learning_rate_;
  CommonOptions common_;
  Variable iterations_;
  Variable learning_rate_variable_;
  std::vector<Variable> slots_;
  bool built_ = false;
  std::vector<Tensor> grads_;  // apply()'s float32 gradients, kept so a warm step allocates nothing
  struct Chunk {
    std::size_t index;
    std::int64_t begin, end;
  };
  std::vector<Chunk> chunks_;  // update_all()'s work list, kept for the same reason
};

// A cheap handle to an optimizer, copyable; Optimizer("adam") makes one with
// Keras' defaults, as compile(optimizer="adam").
class Optimizer {
 public:
  Optimizer() = default;
  Optimizer(const char* name);         // NOLINT: implicit, as Keras accepts a string
  Optimizer(const std::string& name);  // NOLINT
  explicit Optimizer(std::shared_ptr<OptimizerImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  OptimizerImpl& impl() const;
  const std::shared_ptr<OptimizerImpl>& ptr() const { return impl_; }

  void apply(const std::vector<Tensor>& gradients, const std::vector<Variable>& variables) const {
    impl().apply(gradients, variables);
  }
  std::int64_t iterations() const { return impl().iterations(); }
  double learning_rate() const { return impl().current_learning_rate(); }
  void set_learning_rate(double value) const { impl().set_learning_rate(value); }
  std::vector<Variable> variables() const { return impl().variables(); }
  const std::string& name() const { return impl().name(); }

 private:
  std::shared_ptr<OptimizerImpl> impl_;
};

// By Keras name, case-insensitive: "sgd", "rmsprop", "adam", "adamw", "adagrad",
// "adadelta", "adamax", "nadam", "lion". Throws keras::Error listing them.
Optimizer get(const std::string& name);

}  // namespace keras::optimizers
