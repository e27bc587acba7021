// Average (keras/src/layers/merging/average.py): the sum, then / count.
#include "keras/layers/average.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class AverageImpl : public ElementwiseMergeImpl {
 public:
  explicit AverageImpl(const AverageOptions& options)
      : ElementwiseMergeImpl("Average", "average", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "averages", [](const std::vector<std::string>& terms) {
      return "(" + detail::joined(terms, " + ") + ") / " + std::to_string(terms.size());
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>&) const override {
    Tensor sum = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) sum = ops::add(sum, xs[i]);
    return ops::divide(sum, static_cast<double>(xs.size()));
  }
};

}  // namespace

Average::Average(AverageOptions options) : Layer(std::make_shared<AverageImpl>(options)) {}

std::shared_ptr<LayerImpl> average_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Average({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
