#pragma once
// Adagrad: acc += g^2; w -= lr*g/sqrt(acc + epsilon), acc starting at initial_accumulator_value.
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer Adagrad(AdagradOptions options = {});

}  // namespace keras::optimizers
