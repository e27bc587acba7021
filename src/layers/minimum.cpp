// Minimum (keras/src/layers/merging/minimum.py, base_merge.py's
// _apply_merge_op_and_or_mask).
#include "keras/layers/minimum.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class MinimumImpl : public ElementwiseMergeImpl {
 public:
  explicit MinimumImpl(const MinimumOptions& options)
      : ElementwiseMergeImpl("Minimum", "take the minimum of", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "takes the smallest of", [](const std::vector<std::string>& terms) {
      return "min(" + detail::joined(terms, ", ") + ")";
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>& masks) const override {
    return apply_merge_op_and_or_mask(xs, masks, ops::minimum);
  }
};

}  // namespace

Minimum::Minimum(MinimumOptions options) : Layer(std::make_shared<MinimumImpl>(options)) {}

std::shared_ptr<LayerImpl> minimum_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Minimum({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
