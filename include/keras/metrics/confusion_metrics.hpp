#pragma once
// Metrics of the confusion matrix, as keras/src/metrics/confusion_metrics.py:
// counts of true/false positives/negatives at one or more thresholds
// (a prediction above a threshold is positive; a label is positive when it is
// not 0), weighted by sample_weight, and Precision, Recall and AUC made of them.
// Predictions and labels of any shape are flattened, as Keras does. These
// metrics take no mask (Keras gives them none).
#include <optional>
#include <string>
#include <vector>

#include "keras/metrics/metric.hpp"

namespace keras::metrics {

// Thresholds in [0, 1]; empty means Keras' default (0.5).
struct ConfusionCountOptions {
  std::vector<double> thresholds;
  std::string name;  // empty: "true_positives", "true_positives_1", ...
};

Metric TruePositives(ConfusionCountOptions options = {});
Metric TrueNegatives(ConfusionCountOptions options = {});
Metric FalsePositives(ConfusionCountOptions options = {});
Metric FalseNegatives(ConfusionCountOptions options = {});

// top_k: only the k largest predictions of each row (last axis) can be
// positive; class_id: only that column of the last axis counts. Without
// thresholds the threshold is 0.5, or any prediction with top_k.
struct PrecisionOptions {
  std::vector<double> thresholds;
  std::optional<int> top_k;
  std::optional<int> class_id;
  std::string name;  // empty: "precision", "precision_1", ...
};

struct RecallOptions {
  std::vector<double> thresholds;
  std::optional<int> top_k;
  std::optional<int> class_id;
  std::string name;  // empty: "recall", "recall_1", ...
};

// tp / (tp + fp) at each threshold (a scalar for one threshold), 0 when undefined.
Metric Precision(PrecisionOptions options = {});
// tp / (tp + fn) at each threshold, 0 when undefined.
Metric Recall(RecallOptions options = {});

// Area under the ROC ("ROC") or precision-recall ("PR") curve, or the PR-gain
// curve ("PRGAIN"), from the counts at num_thresholds thresholds evenly
// spaced in [0, 1] (or at thresholds plus 0 and 1), summed with
// summation_method "interpolation" (trapezoids; Davis & Goadrich's
// interpolation for PR), "majoring" or "minoring", exactly as Keras. Keras'
// multi_label, num_labels and label_weights are not supported.
struct AUCOptions {
  int num_thresholds = 200;
  std::string curve = "ROC";
  std::string summation_method = "interpolation";
  std::string name;  // empty: "auc", "auc_1", ...
  std::vector<double> thresholds;
  bool from_logits = false;
};

Metric AUC(AUCOptions options = {});

}  // namespace keras::metrics
