// Accuracy metrics, as keras/src/metrics/accuracy_metrics.py, in plain loops:
// they run on every training step.
#include "keras/metrics/accuracy_metrics.hpp"

#include <cmath>
#include <limits>
#include <type_traits>

#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"
#include "metrics/metric_utils.hpp"

namespace keras::metrics {

namespace {

using losses::detail::visit_values;

void check_inputs(const char* fn, const Tensor& y_true, const Tensor& y_pred, int min_rank) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error(std::string(fn) + ": y_true and y_pred must be defined tensors.");
  }
  if (y_pred.rank() < min_rank) {
    throw Error(std::string(fn) + ": y_pred must have a class axis, got shape " +
                y_pred.shape().to_string() + ".");
  }
}

// The index of the largest value of each row of the last axis; the first
// NaN, or the first of equal maxima, wins (numpy's argmax).
// The first NaN's index, else the first maximum's (numpy's argmax).
template <class T>
std::int64_t argmax_row(const T* row, std::int64_t classes) {
  std::int64_t best = 0;
  for (std::int64_t j = 0; j < classes; ++j) {
    if (std::isnan(static_cast<double>(row[j]))) return j;
    if (row[j] > row[best]) best = j;
  }
  return best;
}

std::vector<std::int64_t> argmax_rows(const Tensor& x) {
  const std::int64_t classes = x.shape()[-1];
  const std::int64_t rows = classes == 0 ? 0 : x.size() / classes;
  std::vector<std::int64_t> out(static_cast<std::size_t>(rows), 0);
  visit_values(x, [&](const auto* data, std::int64_t) {
    for (std::int64_t r = 0; r < rows; ++r) {
      out[static_cast<std::size_t>(r)] = argmax_row(data + r * classes, classes);
    }
  });
  return out;
}

// Keras' in_top_k: the prediction at the label (-inf when the label is out of
// range or NaN) has fewer than k strictly larger predictions in its row.
template <class T>
bool in_top_k(const T* row, std::int64_t classes, std::int64_t label, int k) {
  if (label < 0) label += classes;  // negative indices wrap, as jnp's take
  double at_label = -std::numeric_limits<double>::infinity();
  if (label >= 0 && label < classes) at_label = static_cast<double>(row[label]);
  if (std::isnan(at_label)) at_label = -std::numeric_limits<double>::infinity();
  std::int64_t rank = 1;
  for (std::int64_t j = 0; j < classes; ++j) rank += static_cast<double>(row[j]) > at_label;
  return rank <= k;
}

// Integer labels of a tensor, truncated as Keras casts to int32.
std::vector<std::int64_t> integer_labels(const Tensor& y_true) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(y_true.size()));
  visit_values(y_true, [&](const auto* data, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = static_cast<double>(data[i]);
      out[static_cast<std::size_t>(i)] = std::isfinite(v)
                                             ? static_cast<std::int64_t>(v)
                                             : std::numeric_limits<std::int64_t>::min();
    }
  });
  return out;
}

Tensor top_k_matches(const Tensor& y_pred, const std::vector<std::int64_t>& labels,
                     const Shape& out_shape, int k, const char* fn) {
  const std::int64_t classes = y_pred.shape()[-1];
  const std::int64_t rows = classes == 0 ? 0 : y_pred.size() / classes;
  if (static_cast<std::int64_t>(labels.size()) != rows) {
    throw Error(std::string(fn) + ": y_true has " + std::to_string(labels.size()) +
                " labels but y_pred has " + std::to_string(rows) + " rows of " +
                std::to_string(classes) + " classes (y_pred of shape " +
                y_pred.shape().to_string() + ").");
  }
  std::vector<float> out(labels.size());
  visit_values(y_pred, [&](const auto* data, std::int64_t) {
    for (std::int64_t r = 0; r < rows; ++r) {
      out[static_cast<std::size_t>(r)] =
          in_top_k(data + r * classes, classes, labels[static_cast<std::size_t>(r)], k) ? 1.0f
                                                                                        : 0.0f;
    }
  });
  return Tensor(out_shape, std::move(out));
}

Shape without_last(const Shape& s) { return s.slice(0, -1); }

}  // namespace

Tensor accuracy(const Tensor& y_true, const Tensor& y_pred) {
  check_inputs("accuracy", y_true, y_pred, 0);
  auto [true_shape, pred_shape] = detail::squeeze_or_expand_shapes(y_true.shape(), y_pred.shape());
  if (true_shape != pred_shape) {
    losses::detail::throw_shape_mismatch("accuracy", y_true.shape(), y_pred.shape(),
                                         "y_true and y_pred must have the same shape");
  }
  std::vector<float> out(static_cast<std::size_t>(y_pred.size()));
  visit_values(y_pred, [&](const auto* p, std::int64_t n) {
    using P = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
    visit_values(y_true, [&](const auto* t, std::int64_t) {
      // Keras compares y_true converted to y_pred's dtype.
      for (std::int64_t i = 0; i < n; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<P>(t[i]) == p[i];
    });
  });
  return Tensor(pred_shape, std::move(out));
}

Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold) {
  check_inputs("binary_accuracy", y_true, y_pred, 0);
  auto [true_shape, pred_shape] = detail::squeeze_or_expand_shapes(y_true.shape(), y_pred.shape());
  if (true_shape != pred_shape) {
    losses::detail::throw_shape_mismatch("binary_accuracy", y_true.shape(), y_pred.shape(),
                                         "y_true and y_pred must have the same shape");
  }
  std::vector<float> out(static_cast<std::size_t>(y_pred.size()));
  visit_values(y_pred, [&](const auto* p, std::int64_t n) {
    using P = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
    visit_values(y_true, [&](const auto* t, std::int64_t) {
      for (std::int64_t i = 0; i < n; ++i) {
        // The threshold in y_pred's float dtype, as Keras compares.
        bool positive;
        if constexpr (std::is_floating_point_v<P>) {
          positive = p[i] > static_cast<P>(threshold);
        } else {
          positive = static_cast<double>(p[i]) > threshold;
        }
        out[static_cast<std::size_t>(i)] = static_cast<double>(t[i]) == (positive ? 1.0 : 0.0);
      }
    });
  });
  return Tensor(pred_shape, std::move(out));
}

Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  check_inputs("categorical_accuracy", y_true, y_pred, 1);
  if (y_true.rank() < 1 || without_last(y_true.shape()) != without_last(y_pred.shape())) {
    losses::detail::throw_shape_mismatch(
        "categorical_accuracy", y_true.shape(), y_pred.shape(),
        "y_true (one-hot) and y_pred must have the same shape up to the last axis");
  }
  const std::int64_t true_classes = y_true.shape()[-1], pred_classes = y_pred.shape()[-1];
  if (true_classes == 0 || pred_classes == 0) {
    const std::vector<std::int64_t> t = argmax_rows(y_true);
    const std::vector<std::int64_t> p = argmax_rows(y_pred);
    std::vector<float> out(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) out[i] = t[i] == p[i];
    return Tensor(without_last(y_true.shape()), std::move(out));
  }
  // Written straight into the result: this runs every training step.
  Tensor out = Tensor::empty(without_last(y_true.shape()), DType::float32);
  float* o = out.data<float>();
  visit_values(y_true, [&](const auto* t, std::int64_t) {
    visit_values(y_pred, [&](const auto* p, std::int64_t) {
      for (std::int64_t i = 0; i < out.size(); ++i) {
        o[i] = argmax_row(t + i * true_classes, true_classes) ==
                       argmax_row(p + i * pred_classes, pred_classes)
                   ? 1.0f
                   : 0.0f;
      }
    });
  });
  return out;
}

Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  check_inputs("sparse_categorical_accuracy", y_true, y_pred, 1);
  Shape label_shape = y_true.shape();
  if (label_shape.rank() == y_pred.rank() && label_shape.rank() > 0 && label_shape[-1] == 1) {
    label_shape = without_last(label_shape);
  }
  if (label_shape != without_last(y_pred.shape())) {
    losses::detail::throw_shape_mismatch(
        "sparse_categorical_accuracy", y_true.shape(), y_pred.shape(),
        "y_true must hold one label per row of y_pred (y_pred's shape without the last axis, "
        "or with a trailing 1)");
  }
  // Written straight into the result: this runs every training step.
  Tensor out = Tensor::empty(label_shape, DType::float32);
  float* o = out.data<float>();
  const std::int64_t classes = y_pred.shape()[-1];
  visit_values(y_pred, [&](const auto* pred, std::int64_t) {
    using P = std::remove_cv_t<std::remove_pointer_t<decltype(pred)>>;
    visit_values(y_true, [&](const auto* t, std::int64_t) {
      // Keras compares the label converted to y_pred's dtype with the argmax.
      for (std::int64_t i = 0; i < out.size(); ++i) {
        const std::int64_t best = classes == 0 ? 0 : argmax_row(pred + i * classes, classes);
        o[i] = static_cast<P>(static_cast<double>(t[i])) == static_cast<P>(best) ? 1.0f : 0.0f;
      }
    });
  });
  return out;
}

Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int k) {
  check_inputs("top_k_categorical_accuracy", y_true, y_pred, 1);
  if (y_true.rank() < 1) {
    losses::detail::throw_shape_mismatch("top_k_categorical_accuracy", y_true.shape(),
                                         y_pred.shape(), "y_true must be one-hot");
  }
  return top_k_matches(y_pred, argmax_rows(y_true), without_last(y_true.shape()), k,
                       "top_k_categorical_accuracy");
}

Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, int k) {
  check_inputs("sparse_top_k_categorical_accuracy", y_true, y_pred, 1);
  return top_k_matches(y_pred, integer_labels(y_true), y_true.shape(), k,
                       "sparse_top_k_categorical_accuracy");
}

Metric Accuracy(MetricOptions o) {
  return detail::mean_metric("Accuracy", "accuracy", o.name, "up", detail::unmasked(accuracy));
}

Metric BinaryAccuracy(BinaryAccuracyOptions o) {
  const double threshold = o.threshold;
  return detail::mean_metric("BinaryAccuracy", "binary_accuracy", o.name, "up",
                             detail::unmasked([threshold](const Tensor& t, const Tensor& p) {
                               return binary_accuracy(t, p, threshold);
                             }),
                             nullptr, [threshold](Config& c) { c.set("threshold", threshold); });
}

Metric CategoricalAccuracy(MetricOptions o) {
  return detail::mean_metric("CategoricalAccuracy", "categorical_accuracy", o.name, "up",
                             detail::unmasked(categorical_accuracy));
}

Metric SparseCategoricalAccuracy(MetricOptions o) {
  return detail::mean_metric("SparseCategoricalAccuracy", "sparse_categorical_accuracy", o.name,
                             "up", detail::unmasked(sparse_categorical_accuracy));
}

Metric TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions o) {
  const int k = o.k;
  return detail::mean_metric("TopKCategoricalAccuracy", "top_k_categorical_accuracy", o.name, "up",
                             detail::unmasked([k](const Tensor& t, const Tensor& p) {
                               return top_k_categorical_accuracy(t, p, k);
                             }),
                             nullptr, [k](Config& c) { c.set("k", k); });
}

Metric SparseTopKCategoricalAccuracy(SparseTopKCategoricalAccuracyOptions o) {
  const int k = o.k;
  return detail::mean_metric("SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy",
                             o.name, "up", detail::unmasked([k](const Tensor& t, const Tensor& p) {
                               return sparse_top_k_categorical_accuracy(t, p, k);
                             }),
                             nullptr, [k](Config& c) { c.set("k", k); });
}

}  // namespace keras::metrics
