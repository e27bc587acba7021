// keras.metrics.deserialize: each metric class rebuilt from the config its
// get_config writes (a table class_name -> builder, as layer_factory.cpp).
#include <functional>
#include <limits>
#include <map>

#include "keras/error.hpp"
#include "keras/metrics.hpp"
#include "saving/object_config.hpp"

namespace keras::metrics {

namespace {

using saving::check_fields;
constexpr int kMaxInt = std::numeric_limits<int>::max();

// name and dtype, which every metric takes; checks that config has no other
// field than these and the class' own. kerascpp's metrics report float32.
template <class Options>
Options common(const Config& c, std::initializer_list<const char*> fields) {
  check_fields(c, fields);
  const std::string dtype = c.string("dtype", "float32");
  if (dtype != "float32") {
    throw Error(saving::field_name(c, "dtype") + " is \"" + dtype +
                "\"; kerascpp's metrics compute in float32 only.");
  }
  Options o;
  o.name = c.string("name", "");
  return o;
}

#define KERAS_METRIC_FIELDS "name", "dtype"

Metric plain(const Config& c, Metric (*make)(MetricOptions)) {
  return make(common<MetricOptions>(c, {KERAS_METRIC_FIELDS}));
}

int axis_of(const Config& c) { return saving::bounded_integer(c, "axis", -1, -64, 63); }
int k_of(const Config& c, int fallback) {
  return saving::bounded_integer(c, "k", fallback, 1, kMaxInt);
}

Metric binary_accuracy_from_config(const Config& c) {
  auto o = common<BinaryAccuracyOptions>(c, {KERAS_METRIC_FIELDS, "threshold"});
  o.threshold = saving::finite_number(c, "threshold", o.threshold);
  return BinaryAccuracy(o);
}

Metric top_k_from_config(const Config& c) {
  auto o = common<TopKCategoricalAccuracyOptions>(c, {KERAS_METRIC_FIELDS, "k"});
  o.k = k_of(c, o.k);
  return TopKCategoricalAccuracy(o);
}

Metric sparse_top_k_from_config(const Config& c) {
  auto o = common<SparseTopKCategoricalAccuracyOptions>(
      c, {KERAS_METRIC_FIELDS, "k", "from_sorted_ids"});
  o.k = k_of(c, o.k);
  if (c.boolean("from_sorted_ids", false)) {
    throw Error(saving::field_name(c, "from_sorted_ids") +
                " is true; kerascpp reads only from_sorted_ids=False.");
  }
  return SparseTopKCategoricalAccuracy(o);
}

Metric cosine_similarity_from_config(const Config& c) {
  auto o = common<CosineSimilarityOptions>(c, {KERAS_METRIC_FIELDS, "axis"});
  o.axis = axis_of(c);
  return CosineSimilarity(o);
}

Metric binary_crossentropy_from_config(const Config& c) {
  auto o =
      common<BinaryCrossentropyOptions>(c, {KERAS_METRIC_FIELDS, "from_logits", "label_smoothing"});
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.label_smoothing = saving::finite_number(c, "label_smoothing", o.label_smoothing);
  return BinaryCrossentropy(o);
}

Metric categorical_crossentropy_from_config(const Config& c) {
  auto o = common<CategoricalCrossentropyOptions>(
      c, {KERAS_METRIC_FIELDS, "from_logits", "label_smoothing", "axis"});
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.label_smoothing = saving::finite_number(c, "label_smoothing", o.label_smoothing);
  o.axis = axis_of(c);
  return CategoricalCrossentropy(o);
}

Metric sparse_categorical_crossentropy_from_config(const Config& c) {
  auto o = common<SparseCategoricalCrossentropyOptions>(
      c, {KERAS_METRIC_FIELDS, "from_logits", "ignore_class", "axis"});
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.ignore_class =
      saving::optional_integer(c, "ignore_class", -(std::int64_t{1} << 31), std::int64_t{1} << 31);
  o.axis = axis_of(c);
  return SparseCategoricalCrossentropy(o);
}

Metric confusion_count_from_config(const Config& c, Metric (*make)(ConfusionCountOptions)) {
  auto o = common<ConfusionCountOptions>(c, {KERAS_METRIC_FIELDS, "thresholds"});
  o.thresholds = saving::number_or_numbers(c, "thresholds");
  return make(o);
}

std::optional<int> optional_int(const Config& c, const std::string& key, int min) {
  const auto v = saving::optional_integer(c, key, min, kMaxInt);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

template <class Options>
Options precision_recall(const Config& c) {
  auto o = common<Options>(c, {KERAS_METRIC_FIELDS, "thresholds", "top_k", "class_id"});
  o.thresholds = saving::number_or_numbers(c, "thresholds");
  o.top_k = optional_int(c, "top_k", 1);
  o.class_id = optional_int(c, "class_id", 0);
  return o;
}

Metric auc_from_config(const Config& c) {
  auto o = common<AUCOptions>(
      c, {KERAS_METRIC_FIELDS, "num_thresholds", "curve", "summation_method", "multi_label",
          "num_labels", "label_weights", "from_logits", "thresholds"});
  o.num_thresholds = saving::bounded_integer(c, "num_thresholds", o.num_thresholds, 2, 1 << 20);
  o.curve = c.string("curve", o.curve);
  o.summation_method = c.string("summation_method", o.summation_method);
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.thresholds = saving::number_or_numbers(c, "thresholds");
  if (c.boolean("multi_label", false)) {
    throw Error(saving::field_name(c, "multi_label") +
                " is true; kerascpp's AUC supports multi_label=False only.");
  }
  for (const char* unsupported : {"num_labels", "label_weights"}) {
    if (c.has(unsupported)) {
      throw Error(saving::field_name(c, unsupported) +
                  " is set; kerascpp's AUC supports only null (multi_label=False).");
    }
  }
  return AUC(o);
}

#undef KERAS_METRIC_FIELDS

using Builder = std::function<Metric(const Config&)>;

const std::map<std::string, Builder>& builders() {
  static const std::map<std::string, Builder> table = {
      {"Accuracy", [](const Config& c) { return plain(c, Accuracy); }},
      {"BinaryAccuracy", binary_accuracy_from_config},
      {"CategoricalAccuracy", [](const Config& c) { return plain(c, CategoricalAccuracy); }},
      {"SparseCategoricalAccuracy",
       [](const Config& c) { return plain(c, SparseCategoricalAccuracy); }},
      {"TopKCategoricalAccuracy", top_k_from_config},
      {"SparseTopKCategoricalAccuracy", sparse_top_k_from_config},
      {"MeanSquaredError", [](const Config& c) { return plain(c, MeanSquaredError); }},
      {"MeanAbsoluteError", [](const Config& c) { return plain(c, MeanAbsoluteError); }},
      {"MeanAbsolutePercentageError",
       [](const Config& c) { return plain(c, MeanAbsolutePercentageError); }},
      {"MeanSquaredLogarithmicError",
       [](const Config& c) { return plain(c, MeanSquaredLogarithmicError); }},
      {"RootMeanSquaredError", [](const Config& c) { return plain(c, RootMeanSquaredError); }},
      {"CosineSimilarity", cosine_similarity_from_config},
      {"LogCoshError", [](const Config& c) { return plain(c, LogCoshError); }},
      {"BinaryCrossentropy", binary_crossentropy_from_config},
      {"CategoricalCrossentropy", categorical_crossentropy_from_config},
      {"SparseCategoricalCrossentropy", sparse_categorical_crossentropy_from_config},
      {"KLDivergence", [](const Config& c) { return plain(c, KLDivergence); }},
      {"Poisson", [](const Config& c) { return plain(c, Poisson); }},
      {"Hinge", [](const Config& c) { return plain(c, Hinge); }},
      {"SquaredHinge", [](const Config& c) { return plain(c, SquaredHinge); }},
      {"CategoricalHinge", [](const Config& c) { return plain(c, CategoricalHinge); }},
      {"TruePositives",
       [](const Config& c) { return confusion_count_from_config(c, TruePositives); }},
      {"TrueNegatives",
       [](const Config& c) { return confusion_count_from_config(c, TrueNegatives); }},
      {"FalsePositives",
       [](const Config& c) { return confusion_count_from_config(c, FalsePositives); }},
      {"FalseNegatives",
       [](const Config& c) { return confusion_count_from_config(c, FalseNegatives); }},
      {"Precision",
       [](const Config& c) { return Precision(precision_recall<PrecisionOptions>(c)); }},
      {"Recall", [](const Config& c) { return Recall(precision_recall<RecallOptions>(c)); }},
      {"AUC", auc_from_config},
  };
  return table;
}

}  // namespace

Metric from_config(const Config& config) {
  const auto it = builders().find(config.class_name());
  if (it == builders().end()) {
    std::string list;
    for (const auto& name : config_class_names()) list += (list.empty() ? "" : ", ") + name;
    throw Error("Unknown metric class \"" + config.class_name() + "\"; kerascpp reads " + list +
                ".");
  }
  return it->second(config);
}

std::vector<std::string> config_class_names() {
  std::vector<std::string> out;
  for (const auto& [name, builder] : builders()) out.push_back(name);
  return out;
}

}  // namespace keras::metrics
