// Initializers that draw nothing: Zeros, Ones, Constant, Identity
// (keras/src/initializers/constant_initializers.py).
#include <algorithm>
#include <vector>

#include "keras/initializers.hpp"

namespace keras::initializers {

Initializer Zeros() {
  return Initializer("Zeros", {},
                     [](const Shape& shape, DType dtype) { return Tensor::zeros(shape, dtype); });
}

Initializer Ones() {
  return Initializer("Ones", {},
                     [](const Shape& shape, DType dtype) { return Tensor::ones(shape, dtype); });
}

Initializer Constant(double value) {
  return Initializer("Constant", {{"value", value}}, [value](const Shape& shape, DType dtype) {
    return Tensor::full(shape, value, dtype);
  });
}

Initializer Identity(double gain) {
  return Initializer("Identity", {{"gain", gain}}, [gain](const Shape& shape, DType dtype) {
    if (shape.rank() != 2) {
      throw Error("Identity initializer can only be used for 2D matrices. Received: shape=" +
                  shape.to_string() + " of rank " + std::to_string(shape.rank()) + ".");
    }
    // gain * eye(rows, cols): ones on the main diagonal of a possibly
    // rectangular matrix.
    const std::int64_t rows = shape[0];
    const std::int64_t cols = shape[1];
    std::vector<double> values(static_cast<std::size_t>(rows * cols), 0.0);
    for (std::int64_t i = 0; i < std::min(rows, cols); ++i) {
      values[static_cast<std::size_t>(i * cols + i)] = gain;
    }
    Tensor t(shape, std::move(values));
    return dtype == DType::float64 ? t : t.astype(dtype);
  });
}

}  // namespace keras::initializers
