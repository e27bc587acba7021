#pragma once
// Adam: m += (g-m)(1-beta_1); v += (g^2-v)(1-beta_2); w -= lr*sqrt(1-beta_2^t)/(1-beta_1^t) * m/(sqrt(v)+epsilon); amsgrad uses max(v_hat, v).
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer Adam(AdamOptions options = {});

}  // namespace keras::optimizers
