#pragma once
// Adadelta: acc_g = rho*acc_g + (1-rho)g^2; d = -sqrt(acc_d+eps)/sqrt(acc_g+eps)*g; acc_d = rho*acc_d + (1-rho)d^2; w += lr*d.
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
  double epsilon = 1e-7;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer Adadelta(AdadeltaOptions options = {});

}  // namespace keras::optimizers
