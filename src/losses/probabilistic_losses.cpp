// Crossentropies, KL divergence and Poisson, as keras/src/losses/losses.py and
// keras/src/backend/jax/nn.py.
#include "keras/losses/probabilistic_losses.hpp"

#include <cmath>
#include <vector>

#include "keras/ops.hpp"
#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"
#include "ops/op_utils.hpp"
#include "ops/sparse_crossentropy.hpp"

namespace keras::losses {

namespace {

Tensor smooth_binary_labels(const Tensor& t, double label_smoothing) {
  if (label_smoothing == 0.0) return t;
  return ops::add(ops::multiply(t, 1.0 - label_smoothing), 0.5 * label_smoothing);
}

// log of the class probabilities along axis: log_softmax of logits, or of
// y_pred renormalised to sum to 1 and clipped away from 0 and 1.
Tensor log_probabilities(const Tensor& y_pred, bool from_logits, int axis) {
  if (from_logits) return ops::log_softmax(y_pred, axis);
  const Tensor normalised = ops::divide(y_pred, ops::detail::sum_axis(y_pred, axis, true));
  return ops::log(ops::clip(normalised, kEpsilon, 1.0 - kEpsilon));
}

std::string shape_of(const Tensor& x) { return x.shape().to_string(); }

// The integer labels of y_true (floats truncated, as Keras casts to int32),
// checked against [0, classes) unless equal to ignore_class.
// Written into an int64 tensor of `shape` (not a std::vector: this runs every step).
Tensor sparse_labels(const Tensor& labels, const Shape& shape, std::int64_t classes,
                     const std::optional<std::int64_t>& ignore_class, const Tensor& y_true,
                     const Tensor& y_pred, int axis) {
  Tensor result = Tensor::empty(shape, DType::int64);
  std::int64_t* out = result.data<std::int64_t>();
  detail::visit_values(labels, [&](const auto* data, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      const double value = static_cast<double>(data[i]);
      const bool finite = std::isfinite(value);
      const auto label = finite ? static_cast<std::int64_t>(value) : std::int64_t{-1};
      const bool ignored = ignore_class && finite && label == *ignore_class;
      if (!ignored && (!finite || label < 0 || label >= classes)) {
        throw Error("sparse_categorical_crossentropy: label " +
                    (finite ? std::to_string(label) : std::string("nan/inf")) +
                    " at flat position " + std::to_string(i) + " of y_true is outside [0, " +
                    std::to_string(classes) + "): y_pred has " + std::to_string(classes) +
                    " classes on axis " + std::to_string(axis) + " (y_true of shape " +
                    shape_of(y_true) + ", y_pred of shape " + shape_of(y_pred) + ").");
      }
      out[i] = label;
    }
  });
  return result;
}

}  // namespace

LossValues detail::sparse_categorical_crossentropy_values(const Tensor& y_true,
                                                          const Tensor& y_pred, bool from_logits,
                                                          std::optional<std::int64_t> ignore_class,
                                                          int axis) {
  constexpr const char* kName = "sparse_categorical_crossentropy";
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error(std::string(kName) + ": y_true and y_pred must be defined tensors.");
  }
  Tensor p = detail::float_prediction(y_pred);
  if (p.rank() < 1) {
    throw Error(std::string(kName) + ": y_pred must have rank >= 1 (a class axis), got shape " +
                shape_of(y_pred) + ".");
  }
  if (axis < -p.rank() || axis >= p.rank()) {
    throw Error(std::string(kName) + ": axis " + std::to_string(axis) +
                " is out of range for y_pred of shape " + shape_of(y_pred) + ".");
  }
  const int class_axis = p.shape().normalize_axis(axis);
  const std::int64_t classes = p.shape()[class_axis];
  Tensor t = y_true;
  if (t.rank() == p.rank() && t.shape()[class_axis] == 1) t = ops::squeeze(t, class_axis);
  Shape label_shape;
  for (int i = 0; i < p.rank(); ++i) {
    if (i != class_axis) label_shape.push_back(p.shape()[i]);
  }
  if (t.shape() != label_shape) {
    detail::throw_shape_mismatch(
        kName, y_true.shape(), y_pred.shape(),
        ("y_true must hold one integer label per prediction, of shape " + label_shape.to_string() +
         " (y_pred's shape without the class axis) or with a "
         "trailing 1")
            .c_str());
  }
  Tensor labels = sparse_labels(t, label_shape, classes, ignore_class, y_true, y_pred, axis);

  Tensor valid;
  if (ignore_class) {
    std::int64_t* label = labels.data<std::int64_t>();
    std::vector<bool> keep(static_cast<std::size_t>(labels.size()));
    for (std::size_t i = 0; i < keep.size(); ++i) {
      keep[i] = label[i] != *ignore_class;
      if (!keep[i]) label[i] = 0;
    }
    valid = Tensor(label_shape, keep);
    // Keras zeroes the ignored predictions; 1 gives the same (masked) result
    // without the 0/0 of the renormalisation.
    p = ops::where(ops::expand_dims(valid, class_axis), p, Tensor::scalar(1.0, p.dtype()));
  }
  if (!from_logits && !ignore_class && class_axis == p.rank() - 1) {
    const Tensor rows_of_p = ops::reshape(p, Shape{labels.size(), classes});
    const Tensor values = ops::detail::sparse_crossentropy_of_probabilities(
        rows_of_p, labels.reshape(Shape{labels.size()}), kEpsilon);
    return {ops::reshape(values, label_shape), valid};
  }
  Tensor log_prob = log_probabilities(p, from_logits, class_axis);
  if (class_axis != p.rank() - 1) {
    std::vector<int> perm;
    for (int i = 0; i < p.rank(); ++i) {
      if (i != class_axis) perm.push_back(i);
    }
    perm.push_back(class_axis);
    log_prob = ops::transpose(log_prob, perm);
  }
  const Tensor targets = ops::one_hot(labels, classes, p.dtype());
  Tensor values = ops::negative(ops::detail::sum_axis(ops::multiply(targets, log_prob), -1));
  if (ignore_class) {
    values = ops::where(valid, values, Tensor::scalar(0.0, values.dtype()));
  }
  return {values, valid};
}

Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                           double label_smoothing, int axis) {
  auto [t, p] = detail::same_shape_inputs("binary_crossentropy", y_true, y_pred);
  t = smooth_binary_labels(t, label_smoothing);
  const Tensor one_minus_t = 1.0 - t;
  Tensor bce;
  if (from_logits) {
    bce = ops::negative(ops::add(ops::multiply(t, ops::log_sigmoid(p)),
                                 ops::multiply(one_minus_t, ops::log_sigmoid(ops::negative(p)))));
  } else {
    const Tensor o = ops::clip(p, kEpsilon, 1.0 - kEpsilon);
    bce = ops::negative(
        ops::add(ops::multiply(t, ops::log(o)), ops::multiply(one_minus_t, ops::log(1.0 - o))));
  }
  return ops::mean(bce, {axis});
}

Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                double label_smoothing, int axis) {
  auto [t, p] = detail::same_shape_inputs("categorical_crossentropy", y_true, y_pred);
  if (p.rank() < 1) {
    throw Error("categorical_crossentropy: y_true and y_pred must have rank >= 1, got shape ().");
  }
  if (label_smoothing != 0.0) {
    // Keras divides by the last dimension whatever the axis.
    const double num_classes = static_cast<double>(t.shape()[-1]);
    t = ops::add(ops::multiply(t, 1.0 - label_smoothing), label_smoothing / num_classes);
  }
  const Tensor log_prob = log_probabilities(p, from_logits, axis);
  const Tensor products = ops::multiply(t, log_prob);
  // The usual last axis as a constant list: a training step makes no operator new.
  static const std::vector<int> kLastAxis{-1};
  return ops::negative(axis == -1 ? ops::sum(products, kLastAxis) : ops::sum(products, {axis}));
}

Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                       std::optional<std::int64_t> ignore_class, int axis) {
  return detail::sparse_categorical_crossentropy_values(y_true, y_pred, from_logits, ignore_class,
                                                        axis)
      .values;
}

Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("kl_divergence", y_true, y_pred);
  t = ops::clip(t, kEpsilon, 1.0);
  p = ops::clip(p, kEpsilon, 1.0);
  return ops::sum(ops::multiply(t, ops::log(ops::divide(t, p))), {-1});
}

Tensor poisson(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = detail::same_shape_inputs("poisson", y_true, y_pred);
  return ops::mean(ops::subtract(p, ops::multiply(t, ops::log(ops::add(p, kEpsilon)))), {-1});
}

namespace {

// The own fields of the crossentropies, as Keras' get_config writes them.
template <class Options>
detail::OwnConfig smoothed_crossentropy_config(const Options& o) {
  return [o](Config& c) {
    c.set("from_logits", o.from_logits)
        .set("label_smoothing", o.label_smoothing)
        .set("axis", o.axis);
  };
}

}  // namespace

Loss BinaryCrossentropy(BinaryCrossentropyOptions o) {
  return detail::function_loss(
      "BinaryCrossentropy", "binary_crossentropy", detail::common_options(o),
      detail::unmasked([o](const Tensor& t, const Tensor& p) {
        return binary_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
      }),
      smoothed_crossentropy_config(o));
}

Loss CategoricalCrossentropy(CategoricalCrossentropyOptions o) {
  return detail::function_loss(
      "CategoricalCrossentropy", "categorical_crossentropy", detail::common_options(o),
      detail::unmasked([o](const Tensor& t, const Tensor& p) {
        return categorical_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
      }),
      smoothed_crossentropy_config(o));
}

Loss SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o) {
  return detail::function_loss(
      "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", detail::common_options(o),
      [o](const Tensor& t, const Tensor& p) {
        return detail::sparse_categorical_crossentropy_values(t, p, o.from_logits, o.ignore_class,
                                                              o.axis);
      },
      [o](Config& c) {
        c.set("from_logits", o.from_logits);
        if (o.ignore_class) {
          c.set("ignore_class", *o.ignore_class);
        } else {
          c.set_null("ignore_class");
        }
        // Keras writes no axis (and loses it on load);
        // Keras' from_config reads one.
        if (o.axis != -1) c.set("axis", o.axis);
      });
}

Loss KLDivergence(LossOptions options) {
  return detail::function_loss("KLDivergence", "kl_divergence", options,
                               detail::unmasked(kl_divergence));
}

Loss Poisson(LossOptions options) {
  return detail::function_loss("Poisson", "poisson", options, detail::unmasked(poisson));
}

}  // namespace keras::losses
