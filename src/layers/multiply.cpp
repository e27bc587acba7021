// Multiply (keras/src/layers/merging/multiply.py).
#include "keras/layers/multiply.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class MultiplyImpl : public ElementwiseMergeImpl {
 public:
  explicit MultiplyImpl(const MultiplyOptions& options)
      : ElementwiseMergeImpl("Multiply", "multiply", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "multiplies", [](const std::vector<std::string>& terms) {
      return detail::joined(terms, " * ");
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  // Keras: a masked position counts as 1; when every input has a mask, the
  // positions masked in all of them give 0.
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>& masks) const override {
    bool all_masked = !masks.empty();
    Tensor product, any_kept;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      Tensor x = xs[i];
      const std::optional<Tensor> keep = masks.empty() ? std::nullopt : mask_like(masks[i], x);
      if (keep) {
        x = ops::where(*keep, x, Tensor::scalar(1.0, x.dtype()));
        any_kept = any_kept.defined() ? ops::logical_or(any_kept, *keep) : *keep;
      } else {
        all_masked = false;
      }
      product = product.defined() ? ops::multiply(product, x) : x;
    }
    if (all_masked) product = ops::where(any_kept, product, Tensor::scalar(0.0, product.dtype()));
    return product;
  }
};

}  // namespace

Multiply::Multiply(MultiplyOptions options) : Layer(std::make_shared<MultiplyImpl>(options)) {}

std::shared_ptr<LayerImpl> multiply_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Multiply({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
