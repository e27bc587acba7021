#include "keras/optimizers/schedules.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "keras/error.hpp"
#include "keras/saving/object_registration.hpp"
#include "saving/object_config.hpp"

namespace keras::optimizers::schedules {

void LearningRateSchedule::get_config(Config& /*config*/) const {
  throw Error("The learning-rate schedule " + class_name() +
              " has no Keras config (get_config is not overridden), so a model using it "
              "cannot be saved with its training setup.");
}

ExponentialDecay::ExponentialDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase),
      name_(std::move(name)) {
  if (decay_steps <= 0) throw Error("ExponentialDecay: decay_steps must be > 0.");
}

void ExponentialDecay::get_config(Config& config) const {
  config.set("initial_learning_rate", initial_learning_rate_);
  saving::set_count(config, "decay_steps", decay_steps_);
  config.set("decay_rate", decay_rate_).set("staircase", staircase_).set("name", name_);
}

double ExponentialDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ * std::pow(decay_rate_, p);
}

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries,
                                               std::vector<double> values, std::string name)
    : boundaries_(std::move(boundaries)), values_(std::move(values)), name_(std::move(name)) {
  if (values_.size() != boundaries_.size() + 1) {
    throw Error("PiecewiseConstantDecay: values must have one more element than boundaries (got " +
                std::to_string(values_.size()) + " values and " +
                std::to_string(boundaries_.size()) + " boundaries).");
  }
}

void PiecewiseConstantDecay::get_config(Config& config) const {
  saving::set_counts(config, "boundaries", boundaries_);
  config.set("values", values_).set("name", name_);
}

double PiecewiseConstantDecay::operator()(std::int64_t step) const {
  const double s = static_cast<double>(step);
  for (std::size_t i = 0; i < boundaries_.size(); ++i) {
    if (s <= boundaries_[i]) return values_[i];
  }
  return values_.back();
}

CosineDecay::CosineDecay(double initial_learning_rate, double decay_steps, double alpha,
                         double warmup_target, double warmup_steps, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      alpha_(alpha),
      warmup_target_(warmup_target),
      warmup_steps_(warmup_steps),
      name_(std::move(name)) {
  if (decay_steps <= 0) throw Error("CosineDecay: decay_steps must be > 0.");
}

void CosineDecay::get_config(Config& config) const {
  config.set("initial_learning_rate", initial_learning_rate_);
  saving::set_count(config, "decay_steps", decay_steps_);
  config.set("alpha", alpha_).set("name", name_);
  if (warmup_target_ < 0) {
    config.set_null("warmup_target");
  } else {
    config.set("warmup_target", warmup_target_);
  }
  saving::set_count(config, "warmup_steps", warmup_steps_);
}

double CosineDecay::operator()(std::int64_t step) const {
  auto decay = [&](double s, double from) {
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * s / decay_steps_));
    return from * ((1 - alpha_) * cosine + alpha_);
  };
  double s = static_cast<double>(step);
  if (warmup_target_ < 0) return decay(std::min(s, decay_steps_), initial_learning_rate_);
  s = std::min(s, decay_steps_ + warmup_steps_);
  if (s < warmup_steps_) {
    return (warmup_target_ - initial_learning_rate_) * (s / warmup_steps_) + initial_learning_rate_;
  }
  return decay(s - warmup_steps_, warmup_target_);
}

InverseTimeDecay::InverseTimeDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase),
      name_(std::move(name)) {
  if (decay_steps <= 0) throw Error("InverseTimeDecay: decay_steps must be > 0.");
}

void InverseTimeDecay::get_config(Config& config) const {
  config.set("initial_learning_rate", initial_learning_rate_);
  saving::set_count(config, "decay_steps", decay_steps_);
  config.set("decay_rate", decay_rate_).set("staircase", staircase_).set("name", name_);
}

double InverseTimeDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ / (1.0 + decay_rate_ * p);
}

PolynomialDecay::PolynomialDecay(double initial_learning_rate, double decay_steps,
                                 double end_learning_rate, double power, bool cycle,
                                 std::string name)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      end_learning_rate_(end_learning_rate),
      power_(power),
      cycle_(cycle),
      name_(std::move(name)) {
  if (decay_steps <= 0) throw Error("PolynomialDecay: decay_steps must be > 0.");
}

double PolynomialDecay::operator()(std::int64_t step) const {
  double s = static_cast<double>(step);
  double steps = decay_steps_;
  if (cycle_) {
    // The first multiple of decay_steps that is >= step (step 0: decay_steps).
    steps *= step == 0 ? 1.0 : std::ceil(s / decay_steps_);
  } else {
    s = std::min(s, steps);
  }
  return (initial_learning_rate_ - end_learning_rate_) * std::pow(1.0 - s / steps, power_) +
         end_learning_rate_;
}

void PolynomialDecay::get_config(Config& config) const {
  config.set("initial_learning_rate", initial_learning_rate_);
  saving::set_count(config, "decay_steps", decay_steps_);
  config.set("end_learning_rate", end_learning_rate_)
      .set("power", power_)
      .set("cycle", cycle_)
      .set("name", name_);
}

CosineDecayRestarts::CosineDecayRestarts(double initial_learning_rate, double first_decay_steps,
                                         double t_mul, double m_mul, double alpha, std::string name)
    : initial_learning_rate_(initial_learning_rate),
      first_decay_steps_(first_decay_steps),
      t_mul_(t_mul),
      m_mul_(m_mul),
      alpha_(alpha),
      name_(std::move(name)) {
  if (first_decay_steps <= 0) throw Error("CosineDecayRestarts: first_decay_steps must be > 0.");
  if (t_mul <= 0) throw Error("CosineDecayRestarts: t_mul must be > 0.");
}

double CosineDecayRestarts::operator()(std::int64_t step) const {
  double fraction = static_cast<double>(step) / first_decay_steps_;
  double restart;
  if (t_mul_ == 1.0) {
    restart = std::floor(fraction);
    fraction -= restart;
  } else {
    // Periods 1, t, t^2, ...: the restart whose period holds the step, and
    // the fraction of that period done.
    restart = std::floor(std::log(1.0 - fraction * (1.0 - t_mul_)) / std::log(t_mul_));
    const double before = (1.0 - std::pow(t_mul_, restart)) / (1.0 - t_mul_);
    fraction = (fraction - before) / std::pow(t_mul_, restart);
  }
  const double cosine =
      0.5 * std::pow(m_mul_, restart) * (1.0 + std::cos(std::numbers::pi * fraction));
  return initial_learning_rate_ * ((1.0 - alpha_) * cosine + alpha_);
}

void CosineDecayRestarts::get_config(Config& config) const {
  config.set("initial_learning_rate", initial_learning_rate_);
  saving::set_count(config, "first_decay_steps", first_decay_steps_);
  config.set("t_mul", t_mul_).set("m_mul", m_mul_).set("alpha", alpha_).set("name", name_);
}

}  // namespace keras::optimizers::schedules
