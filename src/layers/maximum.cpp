// Maximum (keras/src/layers/merging/maximum.py, base_merge.py's
// _apply_merge_op_and_or_mask).
#include "keras/layers/maximum.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class MaximumImpl : public ElementwiseMergeImpl {
 public:
  explicit MaximumImpl(const MaximumOptions& options)
      : ElementwiseMergeImpl("Maximum", "take the maximum of", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "takes the largest of", [](const std::vector<std::string>& terms) {
      return "max(" + detail::joined(terms, ", ") + ")";
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>& masks) const override {
    return apply_merge_op_and_or_mask(xs, masks, ops::maximum);
  }
};

}  // namespace

Maximum::Maximum(MaximumOptions options) : Layer(std::make_shared<MaximumImpl>(options)) {}

std::shared_ptr<LayerImpl> maximum_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Maximum({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
