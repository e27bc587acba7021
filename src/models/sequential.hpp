#pragma once
// The state behind keras::Sequential (keras/src/models/sequential.py): a
// list of layers that becomes a functional graph once its input shape is
// known (a leading InputLayer, build(shape), or the first call).
#include <memory>
#include <string>
#include <vector>

#include "models/functional.hpp"

namespace keras::detail {

class SequentialImpl : public FunctionalImpl {
 public:
  SequentialImpl(const std::string& name, bool trainable);

  // Appends a layer (an InputLayer only first); rebuilds the graph unless
  // rebuild is false. On a failed rebuild the layer is not added.
  void add(std::shared_ptr<LayerImpl> layer, bool rebuild = true);
  std::shared_ptr<LayerImpl> pop(bool rebuild = true);
  // Keras' build(input_shape): an InputLayer of that batch shape goes first
  // (if there is none yet) and every layer is called on it.
  void build_for(const Shape& input_shape);
  // Keras' _maybe_rebuild: builds when the input shape is known.
  void maybe_rebuild();

  // All layers, the InputLayer (if any) first.
  const std::vector<std::shared_ptr<LayerImpl>>& all_layers() const { return layers_; }

  std::vector<std::shared_ptr<LayerImpl>> layers() const override;
  bool is_sequential() const override { return true; }

  // ---- LayerImpl ----
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override;
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override { return layers_; }
  // Keras' Sequential.get_config (src/models/model_config.cpp).
  void write_config(ConfigWriter& writer) const override;

 private:
  std::vector<std::shared_ptr<LayerImpl>> layers_;
};

}  // namespace keras::detail
