#pragma once
// The metric machinery, as keras/src/metrics/metric.py: a metric is state
// that update_state(y_true, y_pred, sample_weight) accumulates batch after
// batch, result() reads and reset_state() clears (Keras resets at the start of
// every epoch). Metrics are not differentiable: they run plain loops on the
// values, after the training step.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/shape.hpp"
#include "keras/tensor.hpp"

namespace keras {
class Config;  // keras/saving/object_registration.hpp
}

namespace keras::metrics {

// The argument of the metrics that take only a name.
struct MetricOptions {
  std::string name;  // empty: the class' default name
};

class MetricImpl {
 public:
  MetricImpl(std::string class_name, std::string name);
  virtual ~MetricImpl();
  MetricImpl(const MetricImpl&) = delete;
  MetricImpl& operator=(const MetricImpl&) = delete;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  // compile names a metric by the string the user wrote ("acc", "mse").
  void set_name(std::string name) { name_ = std::move(name); }
  // Keras' metric._direction: "up" when larger is better (accuracy, AUC),
  // "down" for errors and crossentropies, "" when unknown.
  virtual std::string direction() const { return ""; }
  // Keras' get_config: name and dtype ("float32"), then the class' own
  // fields, in Keras' order (model.save writes it to compile_config). A
  // metric of a C++ function (MeanMetricWrapper) has none: keras::Error.
  virtual void get_config(Config& config) const;
  // The string compile(metrics=[...]) was given ("acc"), empty for a metric
  // object: compile_config keeps that string, as Keras does.
  const std::string& identifier() const { return identifier_; }
  void set_identifier(std::string identifier) { identifier_ = std::move(identifier); }

  // mask (optional, e.g. (batch, time) from Embedding(mask_zero=True)) is
  // folded into sample_weight as Keras folds y_pred's _keras_mask: masked
  // entries do not count. Metrics Keras gives no mask support (the confusion
  // metrics: Precision, Recall, AUC, ...) ignore it, as Keras does.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                            const Tensor& mask) = 0;
  // A float32 scalar, or one value per threshold for Precision / Recall /
  // the confusion counts with several thresholds.
  virtual Tensor result() const = 0;
  virtual void reset_state() = 0;

 private:
  std::string class_name_;
  std::string name_;
  std::string identifier_;
};

// A cheap handle to a metric, copyable (copies share the state).
// Metric("accuracy") resolves a string as Keras' compile does: "accuracy" /
// "acc" (any case) become BinaryAccuracy, SparseCategoricalAccuracy or
// CategoricalAccuracy on the shapes of the first update (see resolve());
// any other name is get(name), renamed to the string as written.
class Metric {
 public:
  Metric() = default;
  Metric(const char* identifier);         // NOLINT: implicit, as compile(metrics=["acc"])
  Metric(const std::string& identifier);  // NOLINT
  explicit Metric(std::shared_ptr<MetricImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  MetricImpl& impl() const;
  const std::shared_ptr<MetricImpl>& ptr() const { return impl_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {},
                    const Tensor& mask = {}) const {
    impl().update_state(y_true, y_pred, sample_weight, mask);
  }
  Tensor result() const { return impl().result(); }
  void reset_state() const { impl().reset_state(); }
  // Keras' metric(y_true, y_pred): update, then the result.
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {},
                    const Tensor& mask = {}) const {
    update_state(y_true, y_pred, sample_weight, mask);
    return result();
  }
  const std::string& name() const { return impl().name(); }
  const std::string& class_name() const { return impl().class_name(); }
  std::string direction() const { return impl().direction(); }

 private:
  std::shared_ptr<MetricImpl> impl_;
};

// keras.metrics.get: a class name ("CategoricalAccuracy"), its snake_case
// ("categorical_accuracy"), or an alias ("mse", "mae", "mape", "msle", "bce",
// also upper-case), with the class' defaults and default name. Throws
// keras::Error listing the known names.
Metric get(const std::string& identifier);
// The names get() accepts.
std::vector<std::string> names();

// keras.metrics.deserialize: the metric of class config.class_name() made
// from the fields get_config writes (missing ones take Keras' defaults).
// Throws keras::Error naming the class and the field, or listing the
// classes kerascpp reads for an unknown class.
Metric from_config(const Config& config);
// The class names from_config reads, sorted.
std::vector<std::string> config_class_names();

// What compile(metrics=[identifier]) makes of a string for these target and
// prediction shapes (None dimensions allowed): "accuracy" / "acc" become
// BinaryAccuracy if y_pred's last dimension is 1, else
// SparseCategoricalAccuracy if y_true has a lower rank than y_pred or a last
// dimension of 1, else CategoricalAccuracy; any other string is get(identifier).
// The metric is named as written ("accuracy"), which is the key in the logs.
Metric resolve(const std::string& identifier, const Shape& y_true_shape, const Shape& y_pred_shape);
// The same; loss_name is not consulted, since Keras 3 decides on the shapes
// alone (tf.keras 2 looked at the loss).
Metric resolve(const std::string& identifier, const std::string& loss_name,
               const Shape& y_true_shape, const Shape& y_pred_shape);

}  // namespace keras::metrics
