#include "layers/layer_utils.hpp"

#include "keras/ops.hpp"

namespace keras::layers {

Tensor to_compute_dtype(const Tensor& x) {
  return is_floating(x.dtype()) ? x : ops::cast(x, DType::float32);
}

Tensor like_input(const Tensor& w, const Tensor& x) {
  return w.dtype() == x.dtype() ? w : ops::cast(w, x.dtype());
}

namespace {
template <class Int>
std::string format_tuple(const std::vector<Int>& dims) {
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(dims[i]);
  }
  return out + (dims.size() == 1 ? ",)" : ")");
}
}  // namespace

std::string format_dims(const std::vector<std::int64_t>& dims) { return format_tuple(dims); }
std::string format_dims(const std::vector<int>& dims) { return format_tuple(dims); }

std::string format_shapes(const std::vector<Shape>& shapes) {
  std::string out = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (i > 0) out += ", ";
    out += shapes[i].to_string();
  }
  return out + "]";
}

void check_single(const LayerImpl& layer, std::size_t count) {
  if (count != 1) {
    throw Error(layer.describe() + " takes 1 input, got " + std::to_string(count) + ".");
  }
}

}  // namespace keras::layers
