#include "keras/optimizers/schedules.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "keras/error.hpp"

namespace keras::optimizers::schedules {

ExponentialDecay::ExponentialDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase) {
  if (decay_steps <= 0) throw Error("ExponentialDecay: decay_steps must be > 0.");
}

double ExponentialDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ * std::pow(decay_rate_, p);
}

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries,
                                               std::vector<double> values)
    : boundaries_(std::move(boundaries)), values_(std::move(values)) {
  if (values_.size() != boundaries_.size() + 1) {
    throw Error("PiecewiseConstantDecay: values must have one more element than boundaries (got " +
                std::to_string(values_.size()) + " values and " +
                std::to_string(boundaries_.size()) + " boundaries).");
  }
}

double PiecewiseConstantDecay::operator()(std::int64_t step) const {
  const double s = static_cast<double>(step);
  for (std::size_t i = 0; i < boundaries_.size(); ++i) {
    if (s <= boundaries_[i]) return values_[i];
  }
  return values_.back();
}

CosineDecay::CosineDecay(double initial_learning_rate, double decay_steps, double alpha,
                         double warmup_target, double warmup_steps)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      alpha_(alpha),
      warmup_target_(warmup_target),
      warmup_steps_(warmup_steps) {
  if (decay_steps <= 0) throw Error("CosineDecay: decay_steps must be > 0.");
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
    return (warmup_target_ - initial_learning_rate_) * (s / warmup_steps_) +
           initial_learning_rate_;
  }
  return decay(s - warmup_steps_, warmup_target_);
}

InverseTimeDecay::InverseTimeDecay(double initial_learning_rate, double decay_steps,
                                   double decay_rate, bool staircase)
    : initial_learning_rate_(initial_learning_rate),
      decay_steps_(decay_steps),
      decay_rate_(decay_rate),
      staircase_(staircase) {
  if (decay_steps <= 0) throw Error("InverseTimeDecay: decay_steps must be > 0.");
}

double InverseTimeDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / decay_steps_;
  if (staircase_) p = std::floor(p);
  return initial_learning_rate_ / (1.0 + decay_rate_ * p);
}

}  // namespace keras::optimizers::schedules
