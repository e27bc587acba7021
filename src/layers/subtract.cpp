// Subtract (keras/src/layers/merging/subtract.py).
#include "keras/layers/subtract.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class SubtractImpl : public ElementwiseMergeImpl {
 public:
  explicit SubtractImpl(const SubtractOptions& options)
      : ElementwiseMergeImpl("Subtract", "subtract", options.name, options.trainable) {}

  void explain(detail::ExplainWriter& w) const override {
    explain_elementwise(w, "subtracts x2 from x1", [](const std::vector<std::string>& terms) {
      return terms[0] + " - " + terms[1];
    });
  }

  void write_config(detail::ConfigWriter& w) const override { w.base(); }

 protected:
  void check_count(const std::vector<Shape>& input_shapes) const override {
    if (input_shapes.size() != 2) {
      throw Error(describe() + " should be called on exactly 2 inputs. Received: input_shape=" +
                  format_shapes(input_shapes));
    }
  }

  Tensor merge(const std::vector<Tensor>& xs,
               const std::vector<std::optional<Tensor>>&) const override {
    return ops::subtract(xs[0], xs[1]);
  }
};

}  // namespace

Subtract::Subtract(SubtractOptions options) : Layer(std::make_shared<SubtractImpl>(options)) {}

std::shared_ptr<LayerImpl> subtract_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Subtract({.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
