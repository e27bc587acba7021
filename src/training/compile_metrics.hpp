#pragma once
// compile(metrics=...) as Keras 3's CompileMetrics
// (keras/src/trainers/compile_utils.py): which metrics follow which output,
// the names they have in the logs, and the order evaluate() returns them in.
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace keras::training {

class CompileMetrics {
 public:
  CompileMetrics() = default;
  // Matches `given` to the outputs (named output_names) of the model that
  // `model` describes. A structure that fits no output is kept as an error
  // that check() throws: Keras raises it when fit or evaluate starts, not in
  // compile.
  CompileMetrics(const MetricList& given, const std::vector<std::string>& output_names,
                 const std::string& model);

  // Throws keras::Error when compile's metrics do not fit the outputs.
  void check() const;
  // The metrics of each output, strings made into metrics (empty when
  // check() would throw).
  const std::vector<std::vector<metrics::Metric>>& per_output() const { return per_output_; }

  // compile(metrics=...) are never weighted in Keras 3 (weighted_metrics
  // are); a mask per output (or an undefined tensor) is folded in.
  void update_state(const std::vector<Tensor>& y_true, const std::vector<Tensor>& y_pred,
                    const std::vector<std::optional<Tensor>>& masks) const;
  void reset_state() const;

  // Sets logs[prefix + name] for every metric: a number, or for a metric of
  // several values (Precision with several thresholds) logs.arrays[...],
  // as Keras logs a list there. Keeps the logs' buffers, so a warm call
  // allocates nothing.
  void write_results(callbacks::Logs& logs, const std::string& prefix = "") const;

  // The metrics' own names (without the output prefix), output after output:
  // the names Keras' _flatten_metrics_in_order looks for in the logs.
  const std::vector<std::string>& metric_names() const { return metric_names_; }

 private:
  std::vector<std::vector<metrics::Metric>> per_output_;
  std::vector<std::vector<std::string>> log_names_;
  std::vector<std::string> metric_names_;
  std::string error_;
};

// The logs as the list evaluate(), train_on_batch and test_on_batch return
// (Keras' _flatten_metrics_in_order): each of `names` found in the logs, in
// that order (a name given twice is returned twice, as Keras does), then the
// other keys sorted. A value of several numbers contributes all of them in
// place, where Keras returns an array.
std::vector<double> flatten_in_order(const callbacks::Logs& logs,
                                     const std::vector<std::string>& names);

}  // namespace keras::training
