// Confusion-matrix metrics, as keras/src/metrics/confusion_metrics.py and
// update_confusion_matrix_variables of metrics_utils.py. Predictions and
// thresholds are compared in float32, as Keras' float32 variables do; the
// counts are accumulated in double.
#include "keras/metrics/confusion_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "keras/saving/object_registration.hpp"
#include "keras/utils.hpp"
#include "losses/loss_utils.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

namespace {

// Keras' NEG_INF: the value top_k gives to the predictions it drops, and the
// threshold Precision / Recall use with top_k.
constexpr float kNegInf = -1e10f;
constexpr double kEpsilon = 1e-7;

// Keras' is_evenly_distributed_thresholds: i / (n - 1) for i in 0..n-1,
// within numpy.allclose(atol=epsilon).
bool evenly_distributed(const std::vector<double>& thresholds) {
  const std::size_t n = thresholds.size();
  if (n < 3) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const double even = static_cast<double>(static_cast<float>(i) / static_cast<float>(n - 1));
    if (std::fabs(thresholds[i] - even) > kEpsilon + 1e-5 * std::fabs(even)) return false;
  }
  return true;
}

std::vector<double> checked_thresholds(const std::string& metric, std::vector<double> thresholds,
                                       double default_threshold) {
  if (thresholds.empty()) return {default_threshold};
  for (double t : thresholds) {
    if (!(t >= 0.0 && t <= 1.0)) {
      throw Error(metric + ": threshold values must be in [0, 1], got " + std::to_string(t) + ".");
    }
  }
  return thresholds;
}

double divide_no_nan(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

// Keras writes the thresholds it was given (None: null); kerascpp keeps a
// single threshold as a list of one, which Keras reads the same.
void set_thresholds(Config& c, const std::vector<double>& thresholds) {
  if (thresholds.empty()) {
    c.set_null("thresholds");
  } else {
    c.set("thresholds", thresholds);
  }
}

void set_optional(Config& c, const std::string& key, const std::optional<int>& value) {
  if (value) {
    c.set(key, *value);
  } else {
    c.set_null(key);
  }
}

// The four counts at each threshold, updated as Keras'
// update_confusion_matrix_variables does.
class Confusion {
 public:
  Confusion(std::string metric, const std::vector<double>& thresholds, bool evenly,
            std::optional<int> top_k = std::nullopt, std::optional<int> class_id = std::nullopt)
      : metric_(std::move(metric)), evenly_(evenly), top_k_(top_k), class_id_(class_id) {
    for (double t : thresholds) thresholds_.push_back(static_cast<float>(t));
    with_epsilon_ = evenly && (thresholds.front() < 0.0 || thresholds.back() > 1.0);
    reset();
  }

  std::size_t size() const { return thresholds_.size(); }
  void reset() {
    for (auto* v : {&tp, &fp, &tn, &fn}) v->assign(thresholds_.size(), 0.0);
  }

  void update(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
              bool sigmoid = false);

  std::vector<double> tp, fp, tn, fn;

 private:
  void filter_top_k(std::vector<float>& pred, std::int64_t classes) const;
  void update_buckets(const std::vector<float>& pred, const std::vector<float>& truth,
                      const std::vector<double>& weight);
  void update_direct(const std::vector<float>& pred, const std::vector<float>& truth,
                     const std::vector<double>& weight);

  std::string metric_;
  std::vector<float> thresholds_;
  bool evenly_;
  bool with_epsilon_ = false;
  std::optional<int> top_k_;
  std::optional<int> class_id_;
};

std::vector<float> as_floats(const Tensor& x) {
  std::vector<float> out(static_cast<std::size_t>(x.size()));
  losses::detail::visit_values(x, [&](const auto* data, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      out[static_cast<std::size_t>(i)] = static_cast<float>(data[i]);
    }
  });
  return out;
}

void Confusion::update(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                       bool sigmoid) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error(metric_ + ": y_true and y_pred must be defined tensors.");
  }
  std::vector<float> pred = as_floats(y_pred);
  std::vector<float> truth = as_floats(y_true);
  if (sigmoid) {
    for (float& p : pred) p = 1.0f / (1.0f + std::exp(-p));
  }
  auto [pred_shape, true_shape] = detail::squeeze_or_expand_shapes(y_pred.shape(), y_true.shape());
  if (pred_shape != true_shape) {
    losses::detail::throw_shape_mismatch(metric_.c_str(), y_true.shape(), y_pred.shape(),
                                         "y_true and y_pred must have the same shape");
  }
  std::optional<detail::Array> weight = detail::optional_array(sample_weight);
  if (weight) {
    // Keras adds a trailing axis to the weight, then drops it again if
    // that makes the ranks equal: (batch,) weights rows of (batch, classes).
    Shape shape = weight->shape.append(1);
    weight->shape = detail::squeeze_or_expand_shapes(true_shape, shape, false).second;
  }
  if (top_k_) {
    if (pred_shape.rank() < 1)
      throw Error(metric_ + ": top_k needs predictions with a class axis.");
    filter_top_k(pred, pred_shape[-1]);
  }
  if (class_id_) {
    if (pred_shape.rank() < 2) {
      throw Error(metric_ + ": class_id needs y_pred of shape (num_samples, num_classes), got " +
                  y_pred.shape().to_string() + ".");
    }
    const std::int64_t classes = pred_shape[-1];
    if (*class_id_ < 0 || *class_id_ >= classes) {
      throw Error(metric_ + ": class_id " + std::to_string(*class_id_) + " is outside [0, " +
                  std::to_string(classes) + ") for y_pred of shape " + y_pred.shape().to_string() +
                  ".");
    }
    const std::int64_t rows = static_cast<std::int64_t>(pred.size()) / classes;
    for (std::int64_t r = 0; r < rows; ++r) {
      pred[static_cast<std::size_t>(r)] = pred[static_cast<std::size_t>(r * classes + *class_id_)];
      truth[static_cast<std::size_t>(r)] =
          truth[static_cast<std::size_t>(r * classes + *class_id_)];
    }
    pred.resize(static_cast<std::size_t>(rows));
    truth.resize(static_cast<std::size_t>(rows));
    pred_shape = pred_shape.with_dim(-1, 1);
  }
  std::vector<double> w;
  if (weight) {
    weight->shape = detail::align_weight_shape(weight->shape, pred_shape);
    w = detail::broadcast_to(*weight, pred_shape, metric_ + " sample_weight");
  } else {
    w.assign(pred.size(), 1.0);
  }
  if (evenly_) {
    update_buckets(pred, truth, w);
  } else {
    update_direct(pred, truth, w);
  }
}

// Keras' _filter_top_k: predictions outside the k largest of their row
// become NEG_INF (equal values: the lower index is kept first).
void Confusion::filter_top_k(std::vector<float>& pred, std::int64_t classes) const {
  if (classes == 0) return;
  const auto k = static_cast<std::int64_t>(std::min<std::int64_t>(*top_k_, classes));
  std::vector<std::int64_t> order(static_cast<std::size_t>(classes));
  std::vector<bool> keep(static_cast<std::size_t>(classes));
  for (std::size_t start = 0; start < pred.size(); start += static_cast<std::size_t>(classes)) {
    float* row = pred.data() + start;
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [row](std::int64_t a, std::int64_t b) { return row[a] > row[b]; });
    std::fill(keep.begin(), keep.end(), false);
    for (std::int64_t i = 0; i < k; ++i)
      keep[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = true;
    for (std::int64_t j = 0; j < classes; ++j) {
      const float m = keep[static_cast<std::size_t>(j)] ? 1.0f : 0.0f;
      row[j] = row[j] * m + kNegInf * (1.0f - m);
    }
  }
}

// Evenly spaced thresholds: each prediction falls in one bucket
// (ceil(p (n - 1)) - 1), and the counts at threshold i are suffix sums.
void Confusion::update_buckets(const std::vector<float>& pred, const std::vector<float>& truth,
                               const std::vector<double>& weight) {
  const std::size_t n = thresholds_.size();
  std::vector<double> tp_bucket(n, 0.0), fp_bucket(n, 0.0);
  double total_true = 0.0;
  double total_false = 0.0;
  const float scale = static_cast<float>(n) - 1.0f;
  for (std::size_t i = 0; i < pred.size(); ++i) {
    const float p = std::clamp(pred[i], 0.0f, 1.0f);
    const double label = truth[i] != 0.0f ? 1.0 : 0.0;
    const double w = static_cast<double>(static_cast<float>(weight[i]));
    float bucket = std::ceil(p * scale) - 1.0f;
    if (with_epsilon_) bucket = std::max(bucket, 0.0f);
    total_true += label * w;
    total_false += (1.0 - label) * w;
    if (bucket < 0.0f || bucket >= static_cast<float>(n)) continue;  // segment_sum drops it
    const auto b = static_cast<std::size_t>(bucket);
    tp_bucket[b] += label * w;
    fp_bucket[b] += (1.0 - label) * w;
  }
  double tp_sum = 0.0;
  double fp_sum = 0.0;
  for (std::size_t i = n; i-- > 0;) {
    tp_sum += tp_bucket[i];
    fp_sum += fp_bucket[i];
    tp[i] += tp_sum;
    fp[i] += fp_sum;
    tn[i] += total_false - fp_sum;
    fn[i] += total_true - tp_sum;
  }
}

void Confusion::update_direct(const std::vector<float>& pred, const std::vector<float>& truth,
                              const std::vector<double>& weight) {
  for (std::size_t t = 0; t < thresholds_.size(); ++t) {
    const float threshold = thresholds_[t];
    for (std::size_t i = 0; i < pred.size(); ++i) {
      const bool positive = pred[i] > threshold;
      const bool label = truth[i] != 0.0f;
      const double w = static_cast<double>(static_cast<float>(weight[i]));
      if (label && positive) tp[t] += w;
      if (!label && positive) fp[t] += w;
      if (!label && !positive) tn[t] += w;
      if (label && !positive) fn[t] += w;
    }
  }
}

// One value per threshold: a scalar for one threshold, as Keras returns.
Tensor per_threshold(const std::vector<double>& values) {
  if (values.size() == 1) return detail::scalar_result(values[0]);
  const Shape shape{static_cast<std::int64_t>(values.size())};
  return Tensor(shape, std::vector<float>(values.begin(), values.end()));
}

std::string default_name(const std::string& name, const std::string& class_name) {
  return name.empty() ? backend::unique_object_name(class_name) : name;
}

enum class Count { true_positives, true_negatives, false_positives, false_negatives };

class ConfusionCountImpl : public MetricImpl {
 public:
  ConfusionCountImpl(const std::string& class_name, Count count, const ConfusionCountOptions& o)
      : MetricImpl(class_name, default_name(o.name, class_name)),
        count_(count),
        thresholds_(o.thresholds),
        confusion_(class_name, checked_thresholds(class_name, o.thresholds, 0.5),
                   evenly_distributed(checked_thresholds(class_name, o.thresholds, 0.5))) {}

  void get_config(Config& config) const override {
    MetricImpl::get_config(config);
    set_thresholds(config, thresholds_);
  }

  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor&) override {
    confusion_.update(y_true, y_pred, sample_weight);
  }
  Tensor result() const override {
    switch (count_) {
      case Count::true_positives: return per_threshold(confusion_.tp);
      case Count::true_negatives: return per_threshold(confusion_.tn);
      case Count::false_positives: return per_threshold(confusion_.fp);
      case Count::false_negatives: return per_threshold(confusion_.fn);
    }
    return {};
  }
  void reset_state() override { confusion_.reset(); }

 private:
  Count count_;
  std::vector<double> thresholds_;
  Confusion confusion_;
};

class PrecisionRecallImpl : public MetricImpl {
 public:
  PrecisionRecallImpl(const std::string& class_name, bool precision,
                      const std::vector<double>& thresholds, std::optional<int> top_k,
                      std::optional<int> class_id, const std::string& name)
      : MetricImpl(class_name, default_name(name, class_name)),
        precision_(precision),
        thresholds_(thresholds),
        top_k_(top_k),
        class_id_(class_id),
        confusion_(class_name, parse(class_name, thresholds, top_k),
                   evenly_distributed(parse(class_name, thresholds, top_k)), top_k, class_id) {
    if (top_k && *top_k < 1) throw Error(class_name + ": top_k must be >= 1.");
  }

  std::string direction() const override { return "up"; }
  void get_config(Config& config) const override {
    MetricImpl::get_config(config);
    set_thresholds(config, thresholds_);
    set_optional(config, "top_k", top_k_);
    set_optional(config, "class_id", class_id_);
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor&) override {
    confusion_.update(y_true, y_pred, sample_weight);
  }
  Tensor result() const override {
    std::vector<double> out(confusion_.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double other = precision_ ? confusion_.fp[i] : confusion_.fn[i];
      out[i] = divide_no_nan(confusion_.tp[i], confusion_.tp[i] + other);
    }
    return per_threshold(out);
  }
  void reset_state() override { confusion_.reset(); }

 private:
  static std::vector<double> parse(const std::string& class_name,
                                   const std::vector<double>& thresholds,
                                   std::optional<int> top_k) {
    return checked_thresholds(class_name, thresholds, top_k ? double{kNegInf} : 0.5);
  }

  bool precision_;
  std::vector<double> thresholds_;
  std::optional<int> top_k_;
  std::optional<int> class_id_;
  Confusion confusion_;
};

// The thresholds of AUC: -epsilon, the interior ones, 1 + epsilon.
std::vector<double> auc_thresholds(const AUCOptions& o, int& num_thresholds, bool& evenly) {
  std::vector<double> interior;
  if (!o.thresholds.empty()) {
    interior = checked_thresholds("AUC", o.thresholds, 0.5);
    std::sort(interior.begin(), interior.end());
    num_thresholds = static_cast<int>(interior.size()) + 2;
    std::vector<double> with_ends = {0.0};
    with_ends.insert(with_ends.end(), interior.begin(), interior.end());
    with_ends.push_back(1.0);
    evenly = evenly_distributed(with_ends);
  } else {
    if (o.num_thresholds <= 1) {
      throw Error("AUC: num_thresholds must be an integer > 1, got " +
                  std::to_string(o.num_thresholds) + ".");
    }
    num_thresholds = o.num_thresholds;
    for (int i = 0; i < num_thresholds - 2; ++i) {
      interior.push_back((i + 1) * 1.0 / (num_thresholds - 1));
    }
    evenly = true;
  }
  std::vector<double> all = {0.0 - kEpsilon};
  all.insert(all.end(), interior.begin(), interior.end());
  all.push_back(1.0 + kEpsilon);
  return all;
}

class AUCImpl : public MetricImpl {
 public:
  enum class Curve { roc, pr, prgain };
  enum class Summation { interpolation, majoring, minoring };

  explicit AUCImpl(const AUCOptions& o)
      : MetricImpl("AUC", default_name(o.name, "AUC")),
        curve_(parse_curve(o.curve)),
        summation_(parse_summation(o.summation_method)),
        from_logits_(o.from_logits),
        confusion_(make_confusion(o)) {
    int num_thresholds = 0;
    bool evenly = false;
    const std::vector<double> all = auc_thresholds(o, num_thresholds, evenly);
    num_thresholds_ = num_thresholds;
    // Keras writes the thresholds it was given (sorted), without the two ends.
    if (!o.thresholds.empty()) interior_thresholds_.assign(all.begin() + 1, all.end() - 1);
  }

  std::string direction() const override { return "up"; }
  void get_config(Config& config) const override {
    static const char* const kCurves[] = {"ROC", "PR", "PRGAIN"};
    static const char* const kSummations[] = {"interpolation", "majoring", "minoring"};
    MetricImpl::get_config(config);
    config.set("num_thresholds", num_thresholds_);
    config.set("curve", kCurves[static_cast<int>(curve_)]);
    config.set("summation_method", kSummations[static_cast<int>(summation_)]);
    config.set("multi_label", false);
    config.set_null("num_labels");
    config.set_null("label_weights");
    config.set("from_logits", from_logits_);
    if (!interior_thresholds_.empty()) config.set("thresholds", interior_thresholds_);
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor&) override {
    confusion_.update(y_true, y_pred, sample_weight, from_logits_);
  }
  void reset_state() override { confusion_.reset(); }

  Tensor result() const override {
    if (curve_ == Curve::pr && summation_ == Summation::interpolation) {
      return detail::scalar_result(interpolate_pr_auc());
    }
    const std::size_t n = confusion_.size();
    const auto& tp = confusion_.tp;
    const auto& fp = confusion_.fp;
    const auto& tn = confusion_.tn;
    const auto& fn = confusion_.fn;
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double recall = divide_no_nan(tp[i], tp[i] + fn[i]);
      if (curve_ == Curve::roc) {
        x[i] = divide_no_nan(fp[i], fp[i] + tn[i]);
        y[i] = recall;
      } else if (curve_ == Curve::pr) {
        x[i] = recall;
        y[i] = divide_no_nan(tp[i], tp[i] + fp[i]);
      } else {
        // PR gain; no true positives: recall gain 0, precision gain 1; a
        // negative recall gain is clipped to 0, as Keras does.
        const double scaling = divide_no_nan(tp[i] + fn[i], tn[i] + fp[i]);
        double recall_gain = 1.0 - scaling * divide_no_nan(fn[i], tp[i]);
        double precision_gain = 1.0 - scaling * divide_no_nan(fp[i], tp[i]);
        if (tp[i] == 0.0) {
          recall_gain = 0.0;
          precision_gain = 1.0;
        }
        x[i] = std::max(recall_gain, 0.0);
        y[i] = precision_gain;
      }
    }
    double auc = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      double height;
      if (summation_ == Summation::interpolation) {
        height = (y[i] + y[i + 1]) / 2.0;
      } else if (summation_ == Summation::minoring) {
        height = std::min(y[i], y[i + 1]);
      } else {
        height = std::max(y[i], y[i + 1]);
      }
      auc += (x[i] - x[i + 1]) * height;
    }
    return detail::scalar_result(auc);
  }

 private:
  // Davis & Goadrich's interpolation of the precision-recall curve, as
  // Keras' AUC.interpolate_pr_auc.
  double interpolate_pr_auc() const {
    const auto& tp = confusion_.tp;
    const auto& fp = confusion_.fp;
    const auto& fn = confusion_.fn;
    double auc = 0.0;
    for (std::size_t i = 0; i + 1 < confusion_.size(); ++i) {
      const double dtp = tp[i] - tp[i + 1];
      const double p0 = tp[i] + fp[i];
      const double p1 = tp[i + 1] + fp[i + 1];
      const double dp = p0 - p1;
      const double slope = divide_no_nan(dtp, std::max(dp, 0.0));
      const double intercept = tp[i + 1] - slope * p1;
      const double ratio = p0 > 0 && p1 > 0 ? divide_no_nan(p0, std::max(p1, 0.0)) : 1.0;
      auc += divide_no_nan(slope * (dtp + intercept * std::log(ratio)),
                           std::max(tp[i + 1] + fn[i + 1], 0.0));
    }
    return auc;
  }

  static Confusion make_confusion(const AUCOptions& o) {
    int num_thresholds = 0;
    bool evenly = false;
    std::vector<double> thresholds = auc_thresholds(o, num_thresholds, evenly);
    return Confusion("AUC", thresholds, evenly);
  }

  static Curve parse_curve(const std::string& s) {
    if (s == "ROC" || s == "roc") return Curve::roc;
    if (s == "PR" || s == "pr") return Curve::pr;
    if (s == "PRGAIN" || s == "prgain") return Curve::prgain;
    throw Error("AUC: invalid curve \"" + s + "\"; expected \"ROC\", \"PR\" or \"PRGAIN\".");
  }

  static Summation parse_summation(const std::string& s) {
    if (s == "interpolation" || s == "Interpolation") return Summation::interpolation;
    if (s == "majoring" || s == "Majoring") return Summation::majoring;
    if (s == "minoring" || s == "Minoring") return Summation::minoring;
    throw Error("AUC: invalid summation_method \"" + s +
                "\"; expected \"interpolation\", \"majoring\" or \"minoring\".");
  }

  Curve curve_;
  Summation summation_;
  bool from_logits_;
  Confusion confusion_;
  int num_thresholds_ = 0;
  std::vector<double> interior_thresholds_;
};

}  // namespace

Metric TruePositives(ConfusionCountOptions o) {
  return Metric(std::make_shared<ConfusionCountImpl>("TruePositives", Count::true_positives, o));
}
Metric TrueNegatives(ConfusionCountOptions o) {
  return Metric(std::make_shared<ConfusionCountImpl>("TrueNegatives", Count::true_negatives, o));
}
Metric FalsePositives(ConfusionCountOptions o) {
  return Metric(std::make_shared<ConfusionCountImpl>("FalsePositives", Count::false_positives, o));
}
Metric FalseNegatives(ConfusionCountOptions o) {
  return Metric(std::make_shared<ConfusionCountImpl>("FalseNegatives", Count::false_negatives, o));
}

Metric Precision(PrecisionOptions o) {
  return Metric(std::make_shared<PrecisionRecallImpl>("Precision", true, o.thresholds, o.top_k,
                                                      o.class_id, o.name));
}

Metric Recall(RecallOptions o) {
  return Metric(std::make_shared<PrecisionRecallImpl>("Recall", false, o.thresholds, o.top_k,
                                                      o.class_id, o.name));
}

Metric AUC(AUCOptions o) { return Metric(std::make_shared<AUCImpl>(o)); }

}  // namespace keras::metrics
