// The metric base class (keras/src/metrics/metric.py).
#include "keras/metrics/metric.hpp"

#include "keras/error.hpp"

namespace keras::metrics {

MetricImpl::MetricImpl(std::string class_name, std::string name)
    : class_name_(std::move(class_name)), name_(std::move(name)) {}

MetricImpl::~MetricImpl() = default;

MetricImpl& Metric::impl() const {
  if (!impl_) throw Error("Metric: this metric handle is empty (default-constructed).");
  return *impl_;
}

}  // namespace keras::metrics
