#pragma once
// keras::Model (the functional API) and keras::Sequential, as keras.Model and
// keras.Sequential: a graph of layer calls from inputs to outputs, itself a
// layer, with Keras' summary() and predict().
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "keras/layer.hpp"

namespace keras {

struct ModelOptions {
  std::string name;  // empty: functional, functional_1, ...
  bool trainable = true;
};

struct SummaryOptions {
  // 0: Keras' rule (88, or 108 with a "Connected to" column, capped at the
  // terminal width - 4; 76 when stdout is not a terminal and COLUMNS is unset).
  int line_length = 0;
  std::vector<double> positions;  // empty: Keras' defaults
  bool expand_nested = false;
  bool show_trainable = false;
  // Names of the first and last layer to show; empty: all.
  std::optional<std::pair<std::string, std::string>> layer_range;
};

struct PredictOptions {
  std::int64_t batch_size = 32;
};

namespace detail {
class FunctionalImpl;
}

class Model : public Layer {
 public:
  Model(const KerasTensor& inputs, const KerasTensor& outputs, ModelOptions options = {});
  Model(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
        ModelOptions options = {});
  Model(const KerasTensor& inputs, const std::vector<KerasTensor>& outputs,
        ModelOptions options = {});
  Model(const std::vector<KerasTensor>& inputs, const KerasTensor& outputs,
        ModelOptions options = {});

  // Keras' summary table, byte for byte as Keras prints it without a terminal.
  void summary(std::ostream& os = std::cout, const SummaryOptions& options = {}) const;
  void summary(const SummaryOptions& options) const { summary(std::cout, options); }
  std::string summary_string(const SummaryOptions& options = {}) const;

  // The layers, as model.layers (a Sequential's InputLayer is not among them).
  std::vector<Layer> layers() const;
  // Throws keras::Error listing the layer names when there is none so named.
  Layer get_layer(const std::string& name) const;
  const std::vector<KerasTensor>& inputs() const;
  const std::vector<KerasTensor>& outputs() const;

  // Runs the model in batches of batch_size and concatenates the results.
  // Inputs are checked against the model's Input shapes.
  Tensor predict(const Tensor& x, const PredictOptions& options = {}) const;
  std::vector<Tensor> predict(const std::vector<Tensor>& xs,
                              const PredictOptions& options = {}) const;

 protected:
  Model() = default;
  explicit Model(std::shared_ptr<LayerImpl> impl) : Layer(std::move(impl)) {}
  detail::FunctionalImpl& functional() const;
};

struct SequentialOptions {
  std::string name;  // empty: sequential, sequential_1, ...
  bool trainable = true;
};

class Sequential : public Model {
 public:
  // An entry is a layer or, first only, a keras::Input(...).
  using Entry = std::variant<Layer, KerasTensor>;

  explicit Sequential(SequentialOptions options = {});
  Sequential(const std::vector<Entry>& layers, SequentialOptions options = {});

  void add(const Layer& layer);
  void add(const KerasTensor& input);  // keras::Input(...) as the first entry
  void pop();
  // Builds a Sequential that has no Input yet, for inputs of this shape
  // (batch included), as model.build((None, 5)).
  void build(const Shape& input_shape);
};

}  // namespace keras
