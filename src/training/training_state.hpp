#pragma once
// What compile() sets up and fit/evaluate use: the optimizer, one loss per
// output with its weight, the metrics per output, and the running means that
// the logs report.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "models/functional.hpp"
#include "training/compile_metrics.hpp"

namespace keras::training {

// A weighted running mean, as keras.metrics.Mean (the "loss" of the logs).
struct RunningMean {
  double total = 0.0;
  double count = 0.0;
  void add(double value, double weight) {
    total += value * weight;
    count += weight;
  }
  double result() const { return count == 0 ? 0.0 : total / count; }
  void reset() { total = count = 0.0; }
};

struct TrainingState {
  CompileOptions options;
  optimizers::Optimizer optimizer;
  // Per output, resolved on the first batch (a "crossentropy" or "accuracy"
  // string depends on the shapes).
  std::vector<std::string> loss_identifiers;
  std::vector<losses::Loss> losses;
  std::vector<double> loss_weights;
  CompileMetrics metrics;  // compile(metrics=...), matched to the outputs
  bool resolved = false;
  RunningMean loss_tracker;
  std::vector<RunningMean> output_loss_trackers;  // multi-output models only
  std::vector<std::string> output_names;
  bool stop_training = false;

  // A training step's working memory, kept between steps so that a warm step
  // allocates nothing. The trainable variables, their constraints and whether
  // any weight is regularized are gathered once per fit (or train_on_batch)
  // call, as Keras' JAX trainer gathers its state when fit starts.
  struct StepScratch {
    bool gathered = false;
    std::vector<Variable> variables;
    std::vector<std::pair<Variable, constraints::Constraint>> constraints;
    bool regularized = false;
    std::vector<Tensor> inputs, grads, output_losses;
    detail::FunctionalImpl::Result result;
  } step;
};

}  // namespace keras::training
