#pragma once
// The loss machinery shared by every Keras loss, as keras/src/losses/loss.py:
// a loss computes per-sample values (Loss.call), then folds the mask into the
// sample weights, weights the values and reduces them ("sum_over_batch_size"
// by default). Everything is computed with keras::ops, so a GradientTape
// differentiates a loss with respect to y_pred.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/shape.hpp"
#include "keras/tensor.hpp"

namespace keras {
class Config;  // keras/saving/object_registration.hpp
}

namespace keras::losses {

// Keras' backend.epsilon(): the clip and guard value of the losses.
inline constexpr double kEpsilon = 1e-7;

// Per-sample loss values and the mask the loss itself attaches to them
// (sparse_categorical_crossentropy's ignore_class, as Keras' _keras_mask);
// mask is undefined when there is none.
struct LossValues {
  Tensor values;
  Tensor mask;
};

// The arguments every Keras loss takes. reduction is one of
// "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none".
// An empty name is the class' default name; an empty dtype computes in
// y_pred's float dtype (float32 for other dtypes).
struct LossOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name;
  std::string dtype;
};

class LossImpl {
 public:
  LossImpl(std::string class_name, std::string default_name, const LossOptions& options);
  virtual ~LossImpl();
  LossImpl(const LossImpl&) = delete;
  LossImpl& operator=(const LossImpl&) = delete;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  const std::string& reduction() const { return reduction_; }
  const std::string& dtype() const { return dtype_; }

  // Keras' get_config: name and reduction, then the class' own fields, in
  // Keras' order (model.save writes it to compile_config). A loss of a C++
  // function (LossFunctionWrapper) has none: keras::Error.
  virtual void get_config(Config& config) const;
  // The string compile(loss=...) was given ("mse"), empty for a loss object:
  // compile_config keeps that string, as Keras keeps what compile was given.
  const std::string& identifier() const { return identifier_; }
  void set_identifier(std::string identifier) { identifier_ = std::move(identifier); }

  // Keras' Loss.call: the unreduced values, after LossFunctionWrapper's rank fix.
  virtual LossValues call(const Tensor& y_true, const Tensor& y_pred) const = 0;
  // Keras' Loss.__call__: call, mask (given & the loss' own) folded into the
  // sample weights, weighting, reduction. sample_weight and mask may be undefined.
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor& mask) const;

 private:
  std::string class_name_;
  std::string name_;
  std::string reduction_;
  std::string dtype_;
  std::string identifier_;
};

// A cheap handle to a loss, copyable. Loss("mse") resolves a string as
// Keras' compile does: a function name or alias ("mse", "categorical_crossentropy")
// becomes that function with the default reduction and the string as its name;
// a class name ("CategoricalCrossentropy") becomes the class with its defaults;
// "crossentropy" / "ce" picks binary, sparse or categorical crossentropy from the
// shapes of the first call (see resolve()).
class Loss {
 public:
  Loss() = default;
  Loss(const char* identifier);         // NOLINT: implicit, as compile(loss="mse")
  Loss(const std::string& identifier);  // NOLINT
  explicit Loss(std::shared_ptr<LossImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  LossImpl& impl() const;
  const std::shared_ptr<LossImpl>& ptr() const { return impl_; }

  // The reduced loss (a scalar unless reduction is "none").
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {},
                    const Tensor& mask = {}) const {
    return impl()(y_true, y_pred, sample_weight, mask);
  }
  // The per-sample values, unreduced and unweighted.
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const {
    return impl().call(y_true, y_pred).values;
  }
  const std::string& name() const { return impl().name(); }
  const std::string& class_name() const { return impl().class_name(); }
  const std::string& reduction() const { return impl().reduction(); }

 private:
  std::shared_ptr<LossImpl> impl_;
};

// A loss from a function of (y_true, y_pred) returning per-sample values, as
// keras.losses.LossFunctionWrapper (y_true and y_pred get the rank fix first).
using LossFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;
Loss LossFunctionWrapper(LossFunction fn, LossOptions options = {});

// keras.losses.get: a class name ("MeanSquaredError", with its defaults) or a
// function name or alias ("mean_squared_error", "mse", "MSE", "bce", "kld", ...).
// Throws keras::Error listing the known names.
Loss get(const std::string& identifier);
// The names get() accepts.
std::vector<std::string> names();

// keras.losses.deserialize: the loss of class config.class_name() made from
// the fields get_config writes (missing ones take Keras' defaults). Throws
// keras::Error naming the class and the field, or listing the classes
// kerascpp reads for an unknown class.
Loss from_config(const Config& config);
// The class names from_config reads, sorted.
std::vector<std::string> config_class_names();

// What compile(loss=identifier) makes of a string for these target and
// prediction shapes: "crossentropy" / "ce" (any case) become
// binary_crossentropy if y_pred's last dimension is 1, else
// sparse_categorical_crossentropy if y_true has a lower rank than y_pred or a
// last dimension of 1, else categorical_crossentropy, named as written.
// Any other string is Loss(identifier).
Loss resolve(const std::string& identifier, const Shape& y_true_shape, const Shape& y_pred_shape);

// Keras' squeeze_or_expand_to_same_rank: when the ranks differ by one and the
// longer has a trailing 1, that 1 is squeezed (or, for a rank-1 partner and
// expand_rank_1, the partner gets a trailing 1).
std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1 = true);

// Keras' reduce_weighted_values: the mask folded into the weights (scaled by
// total / valid for "mean" and "sum_over_batch_size"), values weighted, then
// reduced. A scalar or empty values tensor is returned as it is. A weight of
// rank lower than values whose shape starts values' shape (a (batch,) weight
// for (batch, time) values) weights whole samples, as tf.keras did; Keras 3
// fails to broadcast it.
Tensor reduce_weighted_values(const Tensor& values, const Tensor& sample_weight = {},
                              const Tensor& mask = {},
                              const std::string& reduction = "sum_over_batch_size");

// Throws keras::Error unless reduction is one Keras accepts ("none" for None).
void check_reduction(const std::string& reduction);

}  // namespace keras::losses
