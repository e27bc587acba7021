#pragma once
// What the merge layers (Add, Concatenate, ...) share, as Keras' Merge base
// class (keras/src/layers/merging/base_merge.py).
#include <cstdint>
#include <optional>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// The batch size the inputs agree on (None when none is known); throws
// keras::Error naming the layer when two known batch sizes differ.
std::int64_t merged_batch_size(const LayerImpl& layer, const std::vector<Shape>& shapes);
// The inputs in one floating dtype: the first input's compute dtype.
std::vector<Tensor> in_one_dtype(const std::vector<Tensor>& inputs);
// Keras' Merge.compute_mask: the element-wise OR of the masks, or no mask
// when any input has none.
std::vector<std::optional<Tensor>> or_of_masks(const std::vector<std::optional<Tensor>>& masks);

}  // namespace keras::layers
