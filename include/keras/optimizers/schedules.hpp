#pragma once
// keras.optimizers.schedules: learning rates as functions of the step count.
#include <cstdint>
#include <string>
#include <vector>

namespace keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(std::int64_t step) const = 0;
  virtual std::string class_name() const = 0;
};

// initial_learning_rate * decay_rate ^ (step / decay_steps); staircase floors the exponent.
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
};

// values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], ...
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }

 private:
  std::vector<double> boundaries_, values_;
};

// Linear warm-up to warmup_target over warmup_steps (if set), then cosine decay
// to alpha * the peak over decay_steps, as Keras' CosineDecay.
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, double alpha = 0.0,
              double warmup_target = -1.0, double warmup_steps = 0.0);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }

 private:
  double initial_learning_rate_, decay_steps_, alpha_, warmup_target_, warmup_steps_;
};

// initial_learning_rate / (1 + decay_rate * step / decay_steps); staircase floors the ratio.
class InverseTimeDecay : public LearningRateSchedule {
 public:
  InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
};

}  // namespace keras::optimizers::schedules
