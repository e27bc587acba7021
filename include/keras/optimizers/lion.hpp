#pragma once
// Lion: w -= lr*sign(beta_1*m + (1-beta_1)g); m = beta_2*m + (1-beta_2)g.
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct LionOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.99;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer Lion(LionOptions options = {});

}  // namespace keras::optimizers
