#include "layers/merge.hpp"

#include <set>

#include "keras/ops.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

std::int64_t merged_batch_size(const LayerImpl& layer, const std::vector<Shape>& shapes) {
  std::set<std::int64_t> known;
  for (const Shape& s : shapes) {
    if (s.rank() < 1) {
      throw Error(layer.describe() + " expects inputs with a batch axis, got shapes " +
                  format_shapes(shapes) + ".");
    }
    if (s[0] != None) known.insert(s[0]);
  }
  if (known.size() > 1) {
    throw Error(layer.describe() +
                " cannot merge tensors with different batch sizes. Received "
                "tensors with shapes " +
                format_shapes(shapes) + ".");
  }
  return known.empty() ? None : *known.begin();
}

std::vector<Tensor> in_one_dtype(const std::vector<Tensor>& inputs) {
  std::vector<Tensor> out;
  if (inputs.empty()) return out;
  const DType dtype = to_compute_dtype(inputs[0]).dtype();
  for (const Tensor& x : inputs) out.push_back(x.dtype() == dtype ? x : ops::cast(x, dtype));
  return out;
}

std::vector<std::optional<Tensor>> or_of_masks(const std::vector<std::optional<Tensor>>& masks) {
  if (masks.empty()) return {};
  for (const auto& m : masks) {
    if (!m) return {std::nullopt};
  }
  Tensor out = *masks[0];
  for (std::size_t i = 1; i < masks.size(); ++i) out = ops::logical_or(out, *masks[i]);
  return {out};
}

}  // namespace keras::layers
