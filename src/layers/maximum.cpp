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
  // Keras: where an input is masked it takes the running result's value, and
  // where the running result is masked it takes the input's, before the op.
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>& masks) const override {
    Tensor output = xs[0];
    std::optional<Tensor> output_mask = masks.empty() ? std::nullopt : mask_like(masks[0], xs[0]);
    for (std::size_t i = 1; i < xs.size(); ++i) {
      Tensor x = xs[i];
      const std::optional<Tensor> mask = masks.empty() ? std::nullopt : mask_like(masks[i], x);
      if (mask) x = ops::where(*mask, x, output);
      if (output_mask) output = ops::where(*output_mask, output, x);
      output_mask = mask && output_mask
                        ? std::optional<Tensor>(ops::logical_or(*output_mask, *mask))
                        : std::nullopt;
      output = ops::maximum(output, x);
    }
    return output;
  }
};

}  // namespace

Maximum::Maximum(MaximumOptions options) : Layer(std::make_shared<MaximumImpl>(options)) {}

std::shared_ptr<LayerImpl> maximum_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Maximum({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
