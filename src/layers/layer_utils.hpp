#pragma once
// Small helpers the layer implementations share.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// The tensor a computing layer works on: floating inputs keep their dtype
// (float64 stays float64 for gradient checks), others become float32, as
// Keras' float32 layers compute in float32.
Tensor to_compute_dtype(const Tensor& x);
// w in x's floating dtype (weights are float32; a float64 input casts them).
Tensor like_input(const Tensor& w, const Tensor& x);
// "(2, -1)": a Python tuple of plain integers (-1 printed as -1, not None).
std::string format_dims(const std::vector<std::int64_t>& dims);
std::string format_dims(const std::vector<int>& dims);
// "[(None, 3), (None, 4)]": a Python list of shapes.
std::string format_shapes(const std::vector<Shape>& shapes);
// Throws unless the layer got exactly one input (for layers written for one).
void check_single(const LayerImpl& layer, std::size_t count);

}  // namespace keras::layers
