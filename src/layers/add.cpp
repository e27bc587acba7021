// Add (keras/src/layers/merging/add.py, base_merge.py).
#include "keras/layers/add.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class AddImpl : public ElementwiseMergeImpl {
 public:
  explicit AddImpl(const AddOptions& options)
      : ElementwiseMergeImpl("Add", "add", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "adds", [](const std::vector<std::string>& terms) {
      return detail::joined(terms, " + ");
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>&) const override {
    Tensor sum = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) sum = ops::add(sum, xs[i]);
    return sum;
  }
};

}  // namespace

Add::Add(AddOptions options) : Layer(std::make_shared<AddImpl>(options)) {}

std::shared_ptr<LayerImpl> add_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Add({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
