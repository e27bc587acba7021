// The loss base class and Keras' weighting and reduction (keras/src/losses/loss.py).
#include "keras/losses/loss.hpp"

#include <algorithm>
#include <vector>

#include "keras/ops.hpp"
#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"

namespace keras::losses {

namespace {

bool is_mean_reduction(const std::string& reduction) {
  return reduction == "mean" || reduction == "sum_over_batch_size";
}

// numpy broadcasting of two shapes is possible.
bool broadcastable(const Shape& a, const Shape& b) {
  const int rank = std::max(a.rank(), b.rank());
  for (int i = 1; i <= rank; ++i) {
    const std::int64_t da = i <= a.rank() ? a[-i] : 1;
    const std::int64_t db = i <= b.rank() ? b[-i] : 1;
    if (da != db && da != 1 && db != 1) return false;
  }
  return true;
}

// A weight whose shape starts `target`'s shape but is shorter gets trailing
// 1s, so a (batch,) weight weights whole samples of (batch, time) values.
Tensor align_weight(const Tensor& weight, const Shape& target, const char* what) {
  Tensor w = weight;
  if (w.rank() < target.rank() && w.shape() == target.slice(0, w.rank())) {
    Shape padded = w.shape();
    while (padded.rank() < target.rank()) padded = padded.append(1);
    w = ops::reshape(w, padded);
  }
  if (!broadcastable(w.shape(), target)) {
    throw Error(std::string("Loss: cannot weight ") + what + " of shape " + target.to_string() +
                " with sample_weight of shape " + weight.shape().to_string() +
                "; sample_weight must have the shape of the per-sample loss values or a "
                "leading part of it, such as (batch_size,).");
  }
  return w;
}

// mask_weight where the mask is set, else 0, in dtype. Written straight into
// the result for float32 and float64 (a warm training step makes no operator
// new); the same values as computing in double and casting.
Tensor mask_weights(const Tensor& float_mask, double mask_weight, DType dtype) {
  const auto fill = [&](auto zero) {
    using T = decltype(zero);
    Tensor out = Tensor::empty(float_mask.shape(), dtype);
    const T* m = float_mask.data<T>();
    T* o = out.data<T>();
    for (std::int64_t i = 0; i < out.size(); ++i) {
      o[i] = static_cast<T>(static_cast<double>(m[i]) != 0.0 ? mask_weight : 0.0);
    }
    return out;
  };
  if (float_mask.dtype() == dtype && dtype == DType::float32) return fill(0.0f);
  if (float_mask.dtype() == dtype && dtype == DType::float64) return fill(0.0);
  std::vector<double> weights = float_mask.to_vector<double>();
  for (double& w : weights) w = w != 0.0 ? mask_weight : 0.0;
  return Tensor(float_mask.shape(), std::move(weights)).astype(dtype);
}

// Keras' apply_mask: the mask as weights (total / valid for the mean
// reductions, so the mean runs over the valid entries only), times sample_weight.
Tensor apply_mask(const Tensor& sample_weight, const Tensor& mask, DType dtype,
                  const std::string& reduction) {
  if (!mask.defined()) return sample_weight;
  Tensor float_mask = detail::cast_to(mask, dtype);
  if (is_mean_reduction(reduction)) {
    const double total = static_cast<double>(mask.size());
    const double valid = detail::sum_values(float_mask);
    const double mask_weight = valid == 0.0 ? 0.0 : total / valid;
    float_mask = mask_weights(float_mask, mask_weight, dtype);
  }
  if (!sample_weight.defined()) return float_mask;
  auto [m, w] = squeeze_or_expand_to_same_rank(float_mask, detail::cast_to(sample_weight, dtype));
  return ops::multiply(align_weight(w, m.shape(), "a mask"), m);
}

// Keras' reduce_values.
Tensor reduce_values(const Tensor& values, const Tensor& sample_weight,
                     const std::string& reduction) {
  if (reduction == "none" || values.rank() == 0 || (values.rank() == 1 && values.shape()[0] == 0)) {
    return values;
  }
  Tensor loss = ops::sum(values);
  if (reduction == "sum") return loss;
  const double divisor = reduction == "mean_with_sample_weight" && sample_weight.defined()
                             ? detail::sum_values(sample_weight)
                             : static_cast<double>(values.size());
  // divide_no_nan: nothing to average gives 0.
  if (divisor == 0.0) return ops::multiply(loss, 0.0);
  return ops::divide(loss, divisor);
}

class FunctionLossImpl : public LossImpl {
 public:
  FunctionLossImpl(std::string class_name, std::string default_name, const LossOptions& options,
                   detail::ValuesFunction fn, detail::OwnConfig own_config)
      : LossImpl(std::move(class_name), std::move(default_name), options),
        fn_(std::move(fn)),
        own_config_(std::move(own_config)) {}

  void get_config(Config& config) const override {
    // Keras serializes the function of a LossFunctionWrapper by its Python
    // name; a C++ function has none.
    if (class_name() == "LossFunctionWrapper") {
      throw Error("Loss \"" + name() +
                  "\" wraps a C++ function (LossFunctionWrapper), which has no Keras config; "
                  "use a built-in loss class or name to save the model with its training setup.");
    }
    LossImpl::get_config(config);
    if (own_config_) own_config_(config);
  }

  LossValues call(const Tensor& y_true, const Tensor& y_pred) const override {
    auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
    return fn_(t, p);
  }

 private:
  detail::ValuesFunction fn_;
  detail::OwnConfig own_config_;
};

}  // namespace

void check_reduction(const std::string& reduction) {
  static const char* const kAllowed[] = {"sum_over_batch_size", "sum", "mean",
                                         "mean_with_sample_weight", "none"};
  for (const char* allowed : kAllowed) {
    if (reduction == allowed) return;
  }
  throw Error("Invalid loss reduction \"" + reduction +
              "\"; expected one of \"sum_over_batch_size\", \"sum\", \"mean\", "
              "\"mean_with_sample_weight\", \"none\".");
}

LossImpl::LossImpl(std::string class_name, std::string default_name, const LossOptions& options)
    : class_name_(std::move(class_name)),
      name_(options.name.empty() ? std::move(default_name) : options.name),
      reduction_(options.reduction),
      dtype_(options.dtype) {
  check_reduction(reduction_);
  if (!dtype_.empty() && !is_floating(dtype_from_name(dtype_))) {
    throw Error(class_name_ + ": dtype must be a float dtype, got \"" + dtype_ + "\".");
  }
}

LossImpl::~LossImpl() = default;

void LossImpl::get_config(Config& config) const {
  config.set("name", name_);
  config.set("reduction", reduction_);
  // Keras writes no dtype (a Keras bug: it is lost on load); kerascpp writes
  // one that was set, which Keras' from_config reads too.
  if (!dtype_.empty()) config.set("dtype", dtype_);
}

Tensor LossImpl::operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                            const Tensor& mask) const {
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error("Loss \"" + name_ + "\": y_true and y_pred must be defined tensors.");
  }
  const DType dtype =
      dtype_.empty() ? detail::float_prediction(y_pred).dtype() : dtype_from_name(dtype_);
  LossValues out = call(y_true, detail::cast_to(y_pred, dtype));
  Tensor combined = mask;
  if (mask.defined() && out.mask.defined()) {
    combined = ops::logical_and(detail::cast_to(mask, DType::bool_), out.mask);
  } else if (out.mask.defined()) {
    combined = out.mask;
  }
  return reduce_weighted_values(detail::cast_to(out.values, dtype), sample_weight, combined,
                                reduction_);
}

LossImpl& Loss::impl() const {
  if (!impl_) throw Error("Loss: this loss handle is empty (default-constructed).");
  return *impl_;
}

Loss LossFunctionWrapper(LossFunction fn, LossOptions options) {
  if (!fn) throw Error("LossFunctionWrapper: the loss function is empty.");
  return detail::function_loss("LossFunctionWrapper", "loss_function_wrapper", options,
                               detail::unmasked(std::move(fn)));
}

std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1) {
  Tensor a = x1;
  Tensor b = x2;
  const int ra = a.rank();
  const int rb = b.rank();
  if (ra == rb + 1 && a.shape()[-1] == 1) {
    if (rb == 1 && expand_rank_1) {
      b = ops::expand_dims(b, -1);
    } else {
      a = ops::squeeze(a, -1);
    }
  }
  if (rb == ra + 1 && x2.shape()[-1] == 1) {
    if (ra == 1 && expand_rank_1) {
      a = ops::expand_dims(a, -1);
    } else {
      b = ops::squeeze(b, -1);
    }
  }
  return {a, b};
}

Tensor reduce_weighted_values(const Tensor& values, const Tensor& sample_weight, const Tensor& mask,
                              const std::string& reduction) {
  check_reduction(reduction);
  Tensor v = values;
  Tensor weight = apply_mask(sample_weight, mask, v.dtype(), reduction);
  if (weight.defined()) {
    auto [fixed_values, fixed_weight] =
        squeeze_or_expand_to_same_rank(v, detail::cast_to(weight, v.dtype()));
    v = fixed_values;
    weight = align_weight(fixed_weight, v.shape(), "loss values");
    v = ops::multiply(v, weight);
  }
  return reduce_values(v, weight, reduction);
}

namespace detail {

Tensor float_prediction(const Tensor& y_pred) {
  return is_floating(y_pred.dtype()) ? y_pred : ops::cast(y_pred, DType::float32);
}

Tensor cast_to(const Tensor& x, DType dtype) {
  return x.dtype() == dtype ? x : ops::cast(x, dtype);
}

void throw_shape_mismatch(const char* loss, const Shape& y_true, const Shape& y_pred,
                          const char* expected) {
  throw Error(std::string(loss) + ": " + expected + "; got y_true of shape " + y_true.to_string() +
              " and y_pred of shape " + y_pred.to_string() + ".");
}

std::pair<Tensor, Tensor> same_shape_inputs(const char* loss, const Tensor& y_true,
                                            const Tensor& y_pred) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw Error(std::string(loss) + ": y_true and y_pred must be defined tensors.");
  }
  const Tensor p = float_prediction(y_pred);
  auto [t, q] = squeeze_or_expand_to_same_rank(cast_to(y_true, p.dtype()), p);
  if (t.shape() != q.shape()) {
    throw_shape_mismatch(loss, y_true.shape(), y_pred.shape(),
                         "y_true and y_pred must have the same shape");
  }
  return {t, q};
}

double sum_values(const Tensor& x) {
  return visit_values(x, [](const auto* data, std::int64_t n) {
    double total = 0.0;
    for (std::int64_t i = 0; i < n; ++i) total += static_cast<double>(data[i]);
    return total;
  });
}

Loss function_loss(std::string class_name, std::string default_name, const LossOptions& options,
                   ValuesFunction fn, OwnConfig own_config) {
  return Loss(std::make_shared<FunctionLossImpl>(std::move(class_name), std::move(default_name),
                                                 options, std::move(fn), std::move(own_config)));
}

}  // namespace detail

}  // namespace keras::losses
