#pragma once
// keras.optimizers.schedules: learning rates as functions of the step count.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace keras {
class Config;  // keras/saving/object_registration.hpp
}

namespace keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(std::int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  // Keras' get_config, in Keras' order (model.save writes it as the
  // optimizer's learning_rate). The default throws keras::Error: a schedule
  // class of one's own has no config kerascpp could read back.
  virtual void get_config(Config& config) const;
};

// initial_learning_rate * decay_rate ^ (step / decay_steps); staircase floors the exponent.
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false, std::string name = "ExponentialDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  void get_config(Config& config) const override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
  std::string name_;
};

// values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], ...
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values,
                         std::string name = "PiecewiseConstant");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  void get_config(Config& config) const override;

 private:
  std::vector<double> boundaries_, values_;
  std::string name_;
};

// Linear warm-up to warmup_target over warmup_steps (if set), then cosine decay
// to alpha * the peak over decay_steps, as Keras' CosineDecay. A negative
// warmup_target is Keras' None (no warm-up).
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, double alpha = 0.0,
              double warmup_target = -1.0, double warmup_steps = 0.0,
              std::string name = "CosineDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  void get_config(Config& config) const override;

 private:
  double initial_learning_rate_, decay_steps_, alpha_, warmup_target_, warmup_steps_;
  std::string name_;
};

// initial_learning_rate / (1 + decay_rate * step / decay_steps); staircase floors the ratio.
class InverseTimeDecay : public LearningRateSchedule {
 public:
  InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate,
                   bool staircase = false, std::string name = "InverseTimeDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }
  void get_config(Config& config) const override;

 private:
  double initial_learning_rate_, decay_steps_, decay_rate_;
  bool staircase_;
  std::string name_;
};

// (initial_learning_rate - end_learning_rate) * (1 - step / decay_steps) ^ power
// + end_learning_rate, the step capped at decay_steps; with cycle, decay_steps
// grows to the first multiple of it that is >= step instead.
class PolynomialDecay : public LearningRateSchedule {
 public:
  PolynomialDecay(double initial_learning_rate, double decay_steps,
                  double end_learning_rate = 0.0001, double power = 1.0, bool cycle = false,
                  std::string name = "PolynomialDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PolynomialDecay"; }
  void get_config(Config& config) const override;

 private:
  double initial_learning_rate_, decay_steps_, end_learning_rate_, power_;
  bool cycle_;
  std::string name_;
};

// Cosine decay with warm restarts (SGDR): periods of first_decay_steps,
// each t_mul times longer than the one before, each starting from m_mul times
// the previous peak and decaying to alpha times it.
class CosineDecayRestarts : public LearningRateSchedule {
 public:
  CosineDecayRestarts(double initial_learning_rate, double first_decay_steps, double t_mul = 2.0,
                      double m_mul = 1.0, double alpha = 0.0, std::string name = "SGDRDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecayRestarts"; }
  void get_config(Config& config) const override;

 private:
  double initial_learning_rate_, first_decay_steps_, t_mul_, m_mul_, alpha_;
  std::string name_;
};

// keras.optimizers.schedules.deserialize: the schedule of class
// config.class_name() made from the fields get_config writes. Throws
// keras::Error naming the class and the field, or listing the classes
// kerascpp reads for an unknown class.
std::shared_ptr<const LearningRateSchedule> from_config(const Config& config);
// The class names from_config reads, sorted.
std::vector<std::string> config_class_names();

}  // namespace keras::optimizers::schedules
