#pragma once
// Adamax: m += (g-m)(1-beta_1); u = max(beta_2*u, |g|); w -= lr*m/((1-beta_1^t)(u+epsilon)).
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct AdamaxOptions {
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

Optimizer Adamax(AdamaxOptions options = {});

}  // namespace keras::optimizers
