#include "keras/callbacks/monitor.hpp"

#include <array>

#include "keras/error.hpp"

namespace keras::callbacks {

namespace {

// Metrics whose higher values are better (Keras' metric._direction == "up").
bool higher_is_better(const std::string& metric) {
  static const std::array<const char*, 13> up = {
      "accuracy", "acc", "binary_accuracy", "categorical_accuracy",
      "sparse_categorical_accuracy", "top_k_categorical_accuracy",
      "sparse_top_k_categorical_accuracy", "precision", "recall", "auc", "f1_score",
      "fbeta_score", "r2_score"};
  for (const char* name : up) {
    if (metric == name) return true;
  }
  return false;
}

bool lower_is_better(const std::string& metric) {
  return metric == "loss" || metric.ends_with("_loss") || metric == "mean_squared_error" ||
         metric == "mse" || metric == "mean_absolute_error" || metric == "mae" ||
         metric.ends_with("crossentropy") || metric.ends_with("_error");
}

}  // namespace

Monitor::Monitor(std::string monitor, std::string mode, double min_delta,
                 const std::string& owner)
    : monitor_(std::move(monitor)), min_delta_(std::abs(min_delta)) {
  if (mode == "min") {
    minimise_ = true;
  } else if (mode == "max") {
    minimise_ = false;
  } else if (mode == "auto") {
    const std::string metric =
        monitor_.starts_with("val_") ? monitor_.substr(4) : monitor_;
    if (lower_is_better(metric)) {
      minimise_ = true;
    } else if (higher_is_better(metric)) {
      minimise_ = false;
    } else {
      throw Error(owner + " received monitor=\"" + monitor_ +
                  "\", but cannot tell whether it should be minimised or maximised. Pass "
                  "mode=\"max\" or mode=\"min\".");
    }
  } else {
    throw Error(owner + ": mode must be \"auto\", \"min\" or \"max\", got \"" + mode + "\".");
  }
}

std::optional<double> Monitor::value(const Logs& logs) const {
  auto it = logs.find(monitor_);
  if (it == logs.end()) return std::nullopt;
  return it->second;
}

bool Monitor::is_improvement(double current, std::optional<double> reference) const {
  if (!reference) return true;
  return minimise_ ? current - min_delta_ < *reference : current + min_delta_ > *reference;
}

}  // namespace keras::callbacks
