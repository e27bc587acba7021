// Mean and MeanMetricWrapper, as keras/src/metrics/reduction_metrics.py.
#include "keras/metrics/reduction_metrics.hpp"

#include "metrics/metric_utils.hpp"

namespace keras::metrics {

struct Mean::State {
  std::string name;
  detail::MeanAccumulator mean;
};

Mean::Mean(MeanOptions options) : state_(std::make_shared<State>()) {
  state_->name = options.name.empty() ? "mean" : options.name;
}

void Mean::update_state(const Tensor& values, const Tensor& sample_weight) const {
  if (!values.defined()) throw Error("Mean \"" + state_->name + "\": values must be defined.");
  state_->mean.update(detail::to_array(values), detail::optional_array(sample_weight));
}

void Mean::update_state(double value, double sample_weight) const {
  state_->mean.update({Shape{}, {value}}, detail::Array{Shape{}, {sample_weight}});
}

Tensor Mean::result() const { return detail::scalar_result(state_->mean.result()); }
double Mean::result_value() const { return state_->mean.result(); }
void Mean::reset_state() const { state_->mean.reset(); }
const std::string& Mean::name() const { return state_->name; }
double Mean::total() const { return state_->mean.total(); }
double Mean::count() const { return state_->mean.count(); }

Metric MeanMetricWrapper(MetricFunction fn, const std::string& name, const std::string& direction) {
  if (!fn) throw Error("MeanMetricWrapper: the metric function is empty.");
  if (direction != "" && direction != "up" && direction != "down") {
    throw Error("MeanMetricWrapper: direction must be \"up\", \"down\" or \"\", got \"" +
                direction + "\".");
  }
  return detail::mean_metric("MeanMetricWrapper", "mean_metric_wrapper", name, direction,
                             detail::unmasked(std::move(fn)));
}

}  // namespace keras::metrics
