#pragma once
// keras.utils.to_categorical: integer class labels -> one-hot float32 rows.
#include <cstdint>

#include "keras/tensor.hpp"

namespace keras::utils {

// Labels of any integer dtype and shape (a trailing 1 is dropped, as Keras
// does); num_classes 0 means max(label) + 1. A label outside [0, num_classes)
// throws keras::Error naming it and its position.
Tensor to_categorical(const Tensor& labels, std::int64_t num_classes = 0);

}  // namespace keras::utils
