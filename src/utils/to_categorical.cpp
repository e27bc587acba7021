#include "keras/utils/to_categorical.hpp"

#include <algorithm>

namespace keras::utils {

Tensor to_categorical(const Tensor& labels, std::int64_t num_classes) {
  if (is_floating(labels.dtype()) || labels.dtype() == DType::bool_) {
    throw Error("to_categorical expects integer labels, got " +
                std::string(dtype_name(labels.dtype())) + ".");
  }
  Shape shape = labels.shape();
  if (shape.rank() > 1 && shape[-1] == 1) shape = shape.slice(0, -1);
  const std::vector<std::int64_t> values = labels.to_vector<std::int64_t>();
  if (num_classes <= 0) {
    num_classes = values.empty() ? 0 : *std::max_element(values.begin(), values.end()) + 1;
  }
  Tensor out = Tensor::zeros(shape.append(num_classes), DType::float32);
  float* p = out.data<float>();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] >= num_classes) {
      throw Error("to_categorical: label " + std::to_string(values[i]) + " at position " +
                  std::to_string(i) + " is outside [0, " + std::to_string(num_classes) + ").");
    }
    p[i * num_classes + values[i]] = 1.0f;
  }
  return out;
}

}  // namespace keras::utils
