#pragma once
// RMSprop: v = rho*v + (1-rho)*g^2; w -= lr*g/sqrt(v + epsilon) (centered: v - a^2, a the mean gradient); with momentum the increments accumulate.
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer RMSprop(RMSpropOptions options = {});

}  // namespace keras::optimizers
