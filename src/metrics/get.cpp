// Metrics by name: keras.metrics.get and what
// compile(metrics=[...]) does with a string (keras/src/trainers/compile_utils.py).
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "keras/metrics.hpp"
#include "keras/utils.hpp"

namespace keras::metrics {

namespace {

using Factory = std::function<Metric()>;

// Class names; get() also accepts their snake_case and the aliases.
const std::vector<std::pair<std::string, Factory>>& classes() {
  static const std::vector<std::pair<std::string, Factory>> table = {
      {"Accuracy", [] { return Accuracy(); }},
      {"BinaryAccuracy", [] { return BinaryAccuracy(); }},
      {"CategoricalAccuracy", [] { return CategoricalAccuracy(); }},
      {"SparseCategoricalAccuracy", [] { return SparseCategoricalAccuracy(); }},
      {"TopKCategoricalAccuracy", [] { return TopKCategoricalAccuracy(); }},
      {"SparseTopKCategoricalAccuracy", [] { return SparseTopKCategoricalAccuracy(); }},
      {"MeanSquaredError", [] { return MeanSquaredError(); }},
      {"MeanAbsoluteError", [] { return MeanAbsoluteError(); }},
      {"MeanAbsolutePercentageError", [] { return MeanAbsolutePercentageError(); }},
      {"MeanSquaredLogarithmicError", [] { return MeanSquaredLogarithmicError(); }},
      {"RootMeanSquaredError", [] { return RootMeanSquaredError(); }},
      {"CosineSimilarity", [] { return CosineSimilarity(); }},
      {"LogCoshError", [] { return LogCoshError(); }},
      {"BinaryCrossentropy", [] { return BinaryCrossentropy(); }},
      {"CategoricalCrossentropy", [] { return CategoricalCrossentropy(); }},
      {"SparseCategoricalCrossentropy", [] { return SparseCategoricalCrossentropy(); }},
      {"KLDivergence", [] { return KLDivergence(); }},
      {"Poisson", [] { return Poisson(); }},
      {"Hinge", [] { return Hinge(); }},
      {"SquaredHinge", [] { return SquaredHinge(); }},
      {"CategoricalHinge", [] { return CategoricalHinge(); }},
      {"Precision", [] { return Precision(); }},
      {"Recall", [] { return Recall(); }},
      {"AUC", [] { return AUC(); }},
      {"TruePositives", [] { return TruePositives(); }},
      {"TrueNegatives", [] { return TrueNegatives(); }},
      {"FalsePositives", [] { return FalsePositives(); }},
      {"FalseNegatives", [] { return FalseNegatives(); }},
  };
  return table;
}

// Every identifier get() accepts, with its class name.
const std::map<std::string, std::string>& identifiers() {
  static const std::map<std::string, std::string> table = [] {
    std::map<std::string, std::string> t;
    for (const auto& [name, factory] : classes()) {
      t[name] = name;
      t[backend::to_snake_case(name)] = name;
    }
    const std::pair<const char*, const char*> aliases[] = {
        {"bce", "BinaryCrossentropy"},
        {"BCE", "BinaryCrossentropy"},
        {"mse", "MeanSquaredError"},
        {"MSE", "MeanSquaredError"},
        {"mae", "MeanAbsoluteError"},
        {"MAE", "MeanAbsoluteError"},
        {"mape", "MeanAbsolutePercentageError"},
        {"MAPE", "MeanAbsolutePercentageError"},
        {"msle", "MeanSquaredLogarithmicError"},
        {"MSLE", "MeanSquaredLogarithmicError"},
    };
    for (const auto& [alias, cls] : aliases) t[alias] = cls;
    return t;
  }();
  return table;
}

bool is_accuracy_shortcut(const std::string& identifier) {
  std::string l = identifier;
  std::transform(l.begin(), l.end(), l.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return l == "accuracy" || l == "acc";
}

// compile(metrics=["accuracy"]): the accuracy for the shapes of the first update.
class AccuracyShortcutImpl : public MetricImpl {
 public:
  explicit AccuracyShortcutImpl(const std::string& identifier)
      : MetricImpl("Accuracy", identifier) {}

  std::string direction() const override { return "up"; }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor& mask) override {
    if (!resolved_.defined()) {
      if (!y_true.defined() || !y_pred.defined()) {
        throw Error("Metric \"" + name() + "\": y_true and y_pred must be defined.");
      }
      resolved_ = resolve(name(), y_true.shape(), y_pred.shape());
    }
    resolved_.update_state(y_true, y_pred, sample_weight, mask);
  }
  Tensor result() const override {
    return resolved_.defined() ? resolved_.result() : Tensor::scalar(0.0);
  }
  void reset_state() override {
    if (resolved_.defined()) resolved_.reset_state();
  }

 private:
  Metric resolved_;
};

}  // namespace

Metric get(const std::string& identifier) {
  const auto it = identifiers().find(identifier);
  if (it == identifiers().end()) {
    std::string list;
    for (const auto& n : names()) list += (list.empty() ? "" : ", ") + n;
    throw Error("Unknown metric \"" + identifier + "\"; expected one of " + list +
                " (or \"acc\" in compile).");
  }
  for (const auto& [name, factory] : classes()) {
    if (name == it->second) return factory();
  }
  throw Error("Unknown metric \"" + identifier + "\".");
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [name, cls] : identifiers()) out.push_back(name);
  return out;
}

Metric::Metric(const char* identifier) : Metric(std::string(identifier ? identifier : "")) {}

Metric::Metric(const std::string& identifier) {
  if (is_accuracy_shortcut(identifier)) {
    impl_ = std::make_shared<AccuracyShortcutImpl>(identifier);
  } else {
    impl_ = get(identifier).ptr();
    impl_->set_name(identifier);
  }
  impl_->set_identifier(identifier);
}

Metric resolve(const std::string& identifier, const Shape& y_true_shape,
               const Shape& y_pred_shape) {
  if (!is_accuracy_shortcut(identifier)) return Metric(identifier);
  // Keras' is_binary_or_sparse_categorical.
  const std::int64_t true_last = y_true_shape.rank() > 0 ? y_true_shape[-1] : 1;
  const std::int64_t pred_last = y_pred_shape.rank() > 0 ? y_pred_shape[-1] : 1;
  if (pred_last == 1) return BinaryAccuracy({.name = identifier});
  if (y_true_shape.rank() < y_pred_shape.rank() || (true_last == 1 && pred_last > 1)) {
    return SparseCategoricalAccuracy({.name = identifier});
  }
  return CategoricalAccuracy({.name = identifier});
}

Metric resolve(const std::string& identifier, const std::string& /*loss_name*/,
               const Shape& y_true_shape, const Shape& y_pred_shape) {
  return resolve(identifier, y_true_shape, y_pred_shape);
}

}  // namespace keras::metrics
