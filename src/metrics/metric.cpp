// The metric base class (keras/src/metrics/metric.py).
#include "keras/metrics/metric.hpp"

#include "keras/error.hpp"
#include "keras/saving/object_registration.hpp"

namespace keras::metrics {

MetricImpl::MetricImpl(std::string class_name, std::string name)
    : class_name_(std::move(class_name)), name_(std::move(name)) {}

MetricImpl::~MetricImpl() = default;

void MetricImpl::get_config(Config& config) const {
  config.set("name", name_);
  // kerascpp's metrics accumulate in double and report float32, as Keras' do.
  config.set("dtype", "float32");
}

MetricImpl& Metric::impl() const {
  if (!impl_) throw Error("Metric: this metric handle is empty (default-constructed).");
  return *impl_;
}

}  // namespace keras::metrics
