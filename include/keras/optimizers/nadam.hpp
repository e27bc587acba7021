#pragma once
// Nadam: Adam with Nesterov momentum and Keras' momentum schedule u_t = beta_1(1 - 0.5*0.96^t).
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct NadamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer Nadam(NadamOptions options = {});

}  // namespace keras::optimizers
