#pragma once
// keras::Model (the functional API) and keras::Sequential, as keras.Model and
// keras.Sequential: a graph of layer calls from inputs to outputs, itself a
// layer, with Keras' summary() and predict().
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "keras/callbacks/callback.hpp"
#include "keras/callbacks/history.hpp"
#include "keras/layer.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/optimizers/optimizer.hpp"

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
  // Names (regular expressions matched at the start of the name, as Keras'
  // re.match) of the first and last layer to show; empty: all.
  std::optional<std::pair<std::string, std::string>> layer_range;
  // Width at which lines are cut, as rich's console does. 0: Keras' rule
  // (COLUMNS, else the width of a terminal on stdin/stdout/stderr, else 80).
  int console_width = 0;
};

struct PredictOptions {
  std::int64_t batch_size = 32;
};

// One loss for all outputs or one per output: .loss = "mse", .loss = {"mse", "mae"}.
struct LossList {
  std::vector<losses::Loss> losses;
  LossList() = default;
  LossList(const char* identifier) : losses{losses::Loss(identifier)} {}          // NOLINT
  LossList(const std::string& identifier) : losses{losses::Loss(identifier)} {}   // NOLINT
  LossList(losses::Loss loss) : losses{std::move(loss)} {}                        // NOLINT
  LossList(std::initializer_list<losses::Loss> list) : losses(list) {}            // NOLINT
  LossList(std::vector<losses::Loss> list) : losses(std::move(list)) {}           // NOLINT
};

// compile(metrics=...) in Keras 3's three forms (keras/src/trainers/compile_utils.py):
// - a list (.metrics = {"accuracy", "mae"}): with one output, every metric
//   of the list follows it; with N outputs, the list must have N entries,
//   entry i being the metric of output i (an empty handle: none);
// - a list per output (MetricList::per_output({{"accuracy"}, {"mae", "mse"}}));
// - a dict by output name (MetricList::by_output({{"out_b", {"mae"}}})):
//   outputs it does not name get no metric.
// Any other structure makes fit/evaluate throw keras::Error, as Keras raises.
// A string makes a new metric for every place it is given; a metric object
// given for several outputs is one metric that all of them update, as in Keras.
struct MetricList {
  std::vector<std::vector<metrics::Metric>> lists;  // one list: the list form
  MetricList() = default;
  MetricList(std::initializer_list<metrics::Metric> all) : lists{all} {}  // NOLINT
  MetricList(std::vector<metrics::Metric> all) : lists{std::move(all)} {}  // NOLINT
  static MetricList per_output(std::vector<std::vector<metrics::Metric>> lists) {
    MetricList m;
    m.lists = std::move(lists);
    m.is_per_output = true;
    return m;
  }
  bool is_per_output = false;
  static MetricList by_output(std::map<std::string, std::vector<metrics::Metric>> by_name) {
    MetricList m;
    m.by_name = std::move(by_name);
    m.is_by_output_name = true;
    return m;
  }
  std::map<std::string, std::vector<metrics::Metric>> by_name;  // the dict form
  bool is_by_output_name = false;
};

// compile()'s arguments with Keras' defaults (an undefined optimizer is "rmsprop").
struct CompileOptions {
  optimizers::Optimizer optimizer;
  LossList loss;
  std::vector<double> loss_weights;
  MetricList metrics;
};

struct FitOptions {
  std::int64_t batch_size = 32;
  int epochs = 1;
  int verbose = 1;  // Keras' "auto"
  std::vector<callbacks::CallbackHandle> callbacks;
  double validation_split = 0.0;
  // (x_val, y_val); overrides validation_split.
  std::optional<std::pair<Tensor, Tensor>> validation_data;
  bool shuffle = true;
  std::map<std::int64_t, double> class_weight;
  Tensor sample_weight;
  int initial_epoch = 0;
  std::int64_t validation_batch_size = 0;  // 0: batch_size
  int validation_freq = 1;
};

struct EvaluateOptions {
  std::int64_t batch_size = 32;
  int verbose = 1;
  Tensor sample_weight;
  std::vector<callbacks::CallbackHandle> callbacks;
};

namespace detail {
class FunctionalImpl;
}
namespace training {
struct TrainingState;
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

  // A handle to an existing model (a Functional or Sequential LayerImpl, as
  // model_from_json makes); throws keras::Error for any other layer.
  explicit Model(std::shared_ptr<LayerImpl> impl);

  // Keras' summary table, byte for byte as Keras prints it without a terminal.
  void summary(std::ostream& os = std::cout, const SummaryOptions& options = {}) const;
  void summary(const SummaryOptions& options) const { summary(std::cout, options); }
  std::string summary_string(const SummaryOptions& options = {}) const;

  // What each layer does to the shapes and where every parameter comes from
  // (kerascpp's own; Keras has no such method): per layer, its input and
  // output shapes, the operation in index notation with the axes named, what
  // is shared, and the parameter arithmetic (src/models/explain.cpp).
  void explain(std::ostream& os = std::cout) const;
  std::string explain_string() const;

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

  // ---- training (src/training/trainer.cpp), as Keras' compile/fit/evaluate ----
  void compile(const CompileOptions& options = {});
  History fit(const Tensor& x, const Tensor& y, const FitOptions& options = {}) const;
  History fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
              const FitOptions& options = {}) const;
  // Keras' evaluate() list: the loss, the metrics whose log name is their own
  // name (one output) in compile order, the outputs' losses, then every other
  // log entry ("out_a_accuracy", ...) sorted by name. A metric of several
  // values (Precision with several thresholds) gives all of them in its
  // place, where Keras returns an array.
  std::vector<double> evaluate(const Tensor& x, const Tensor& y,
                               const EvaluateOptions& options = {}) const;
  std::vector<double> evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                               const EvaluateOptions& options = {}) const;
  // One step on one batch; returns what evaluate() would for that batch.
  std::vector<double> train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                     const Tensor& sample_weight = {}) const;
  std::vector<double> test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                    const Tensor& sample_weight = {}) const;
  // ---- weights files (src/saving/weights_h5.cpp), Keras 3's .weights.h5 ----
  // Writes every layer's variables (and, once compiled, the optimizer's) as
  // model.save_weights does. The path must end in ".weights.h5". The file is
  // written beside the target and renamed over it, so a failed save leaves an
  // existing file intact.
  void save_weights(const std::string& path) const;
  // Reads a .weights.h5 file written by Keras 3 or save_weights into this
  // model's variables (the optimizer's too when it is built and the file has
  // them). Throws keras::Error naming the file and the HDF5 path of a missing
  // group or dataset, or of one whose shape, type or count does not fit.
  void load_weights(const std::string& path) const;
  // ---- whole models (src/saving/keras_file.cpp, legacy_h5.cpp) ----
  // Writes the model as Keras' model.save does. A path ending in ".keras":
  // Keras 3's zip archive of metadata.json, config.json (the architecture
  // and, once compiled, the compile() arguments, in Keras' schema) and
  // model.weights.h5 (every variable, the optimizer's too). A path ending in
  // ".h5": the legacy HDF5 format (model_config and training_config
  // attributes, model_weights and optimizer_weights groups). The file is
  // written beside the target, flushed and renamed over it. Throws
  // keras::Error naming a layer that cannot be saved (a custom class needs
  // keras::register_layer).
  void save(const std::string& path) const;

  // The compiled optimizer; throws keras::Error before compile().
  optimizers::Optimizer optimizer() const;
  bool stop_training() const;
  // Callbacks set this to end fit after the current batch or epoch.
  void set_stop_training(bool stop) const;

 protected:
  Model() = default;
  detail::FunctionalImpl& functional() const;

 private:
  training::TrainingState& training_state() const;
  void train_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                  const Tensor& sample_weight) const;
  void test_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                 const Tensor& sample_weight) const;
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

  // A handle to an existing Sequential; throws keras::Error for other layers.
  explicit Sequential(std::shared_ptr<LayerImpl> impl);

  void add(const Layer& layer);
  void add(const KerasTensor& input);  // keras::Input(...) as the first entry
  // Removes and returns the last layer (as Keras, the InputLayer too once it
  // is the only one left).
  Layer pop();
  // Builds a Sequential that has no Input yet, for inputs of this shape
  // (batch included), as model.build((None, 5)).
  void build(const Shape& input_shape);
};

}  // namespace keras
