#pragma once
// SGD: w -= lr * g, or with momentum m = momentum*m - lr*g; w += m (nesterov: w += momentum*m - lr*g).
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer SGD(SGDOptions options = {});

}  // namespace keras::optimizers
