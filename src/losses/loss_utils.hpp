#pragma once
// Helpers shared by the loss and metric files: dtype handling, shape checks,
// typed element loops. Internal to the library.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "keras/losses/loss.hpp"
#include "keras/tensor.hpp"

namespace keras::losses::detail {

// y_pred as a float tensor: float dtypes as they are, anything else float32
// (Keras' floatx).
Tensor float_prediction(const Tensor& y_pred);
// x converted to dtype (no copy when it already has it).
Tensor cast_to(const Tensor& x, DType dtype);

// The loss functions' common preamble: y_pred as float, y_true in its dtype,
// Keras' rank fix, then one shape for both (else keras::Error naming loss).
std::pair<Tensor, Tensor> same_shape_inputs(const char* loss, const Tensor& y_true,
                                            const Tensor& y_pred);
[[noreturn]] void throw_shape_mismatch(const char* loss, const Shape& y_true, const Shape& y_pred,
                                       const char* expected);

// Calls f(const T* data, n) with the tensor's elements typed by its dtype.
template <class F>
decltype(auto) visit_values(const Tensor& x, F&& f) {
  const std::int64_t n = x.size();
  switch (x.dtype()) {
    case DType::float32: return f(x.data<float>(), n);
    case DType::float64: return f(x.data<double>(), n);
    case DType::int32: return f(x.data<std::int32_t>(), n);
    case DType::int64: return f(x.data<std::int64_t>(), n);
    case DType::uint8: return f(x.data<std::uint8_t>(), n);
    case DType::bool_: return f(x.data<bool>(), n);
  }
  return f(x.data<float>(), n);
}

// Sum of all elements, in double.
double sum_values(const Tensor& x);

// A loss made of a function of (y_true, y_pred) run after the rank fix of
// Keras' LossFunctionWrapper.
using ValuesFunction = std::function<LossValues(const Tensor& y_true, const Tensor& y_pred)>;
// Writes a loss class' own get_config fields (after name and reduction).
using OwnConfig = std::function<void(Config& config)>;
Loss function_loss(std::string class_name, std::string default_name, const LossOptions& options,
                   ValuesFunction fn, OwnConfig own_config = nullptr);
inline ValuesFunction unmasked(std::function<Tensor(const Tensor&, const Tensor&)> fn) {
  return [fn = std::move(fn)](const Tensor& t, const Tensor& p) {
    return LossValues{fn(t, p), {}};
  };
}

// sparse_categorical_crossentropy with the mask of the positions not equal
// to ignore_class (undefined without ignore_class).
LossValues sparse_categorical_crossentropy_values(const Tensor& y_true, const Tensor& y_pred,
                                                  bool from_logits,
                                                  std::optional<std::int64_t> ignore_class,
                                                  int axis);

// The per-class options structs, as the common ones.
template <class Options>
LossOptions common_options(const Options& o) {
  return LossOptions{o.reduction, o.name, o.dtype};
}

}  // namespace keras::losses::detail
