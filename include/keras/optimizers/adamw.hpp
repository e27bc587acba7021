#pragma once
// AdamW: Adam with decoupled weight decay (w -= w*weight_decay*lr before each update; 0.004 by default).
// Defaults are Keras 3's.
#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers {

struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> weight_decay = 0.004;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name;
};

Optimizer AdamW(AdamWOptions options = {});

}  // namespace keras::optimizers
