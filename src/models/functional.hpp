#pragma once
// The state behind keras::Model: a graph of layer calls (nodes) from Input
// tensors to output tensors, itself a layer (Keras' Functional).
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "keras/layer.hpp"
#include "keras/model.hpp"

namespace keras::training {
struct TrainingState;
}

namespace keras::detail {

// What Keras' map_graph (keras/src/ops/function.py) finds between a model's
// inputs and outputs, plus the plan to run it.
struct Graph {
  std::vector<KerasTensor> inputs;
  std::vector<KerasTensor> outputs;
  // Keras' _nodes_by_depth, deepest first (depth 0 holds the output nodes);
  // within a depth, nodes in Keras' order.
  std::vector<std::vector<std::shared_ptr<Node>>> nodes_by_depth;
  // Keras' _operations: every layer called in the graph (InputLayers
  // included), by decreasing depth, then by first visit from the outputs.
  std::vector<std::shared_ptr<LayerImpl>> operations;
  std::unordered_set<const Node*> nodes;

  // One layer call to run: its inputs and outputs are numbered slots.
  struct Step {
    std::shared_ptr<Node> node;
    std::vector<int> input_slots;
    std::vector<int> output_slots;
    std::vector<int> release_slots;  // slots no later step reads
    // The call's mask= (Node::masks): empty, or one slot per input, -1 where
    // that input has no mask.
    std::vector<int> mask_slots;
  };
  std::vector<Step> steps;
  std::vector<int> input_slots;
  std::vector<int> output_slots;
  int num_slots = 0;

  bool contains(const Node* node) const { return nodes.count(node) > 0; }
};

// Keras' node.input_tensors: the call's inputs, then the tensors of its mask=
// argument. The graph's connections, depths and running order follow them.
std::vector<KerasTensor> input_tensors(const Node& node);

// Maps the graph as Keras does. owner names the model in error messages.
// Throws keras::Error when an input is not a keras::Input tensor, when an
// output cannot be computed from the inputs, or when two layers share a name.
std::shared_ptr<const Graph> map_graph(const std::vector<KerasTensor>& inputs,
                                       const std::vector<KerasTensor>& outputs,
                                       const std::string& owner);

class FunctionalImpl : public LayerImpl {
 public:
  FunctionalImpl(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
                 bool inputs_as_list, bool outputs_as_list, const ModelOptions& options);
  ~FunctionalImpl() override;

  bool has_graph() const { return graph_ != nullptr; }
  // Throws keras::Error for a Sequential that has no input shape yet.
  const Graph& graph() const;
  // model.layers: a Functional's operations that are layers (not the graph
  // operations masks are made of); a Sequential's layers without its
  // InputLayer.
  virtual std::vector<std::shared_ptr<LayerImpl>> layers() const;
  virtual bool is_sequential() const { return false; }
  // Whether Model() was given lists (Keras' nested input/output structure).
  bool inputs_as_list() const { return inputs_as_list_; }
  bool outputs_as_list() const { return outputs_as_list_; }

  // Converts each input to its Input's dtype and checks its shape (rank and
  // every known dimension but the batch), as Keras' Functional does.
  std::vector<Tensor> standardize_inputs(const std::vector<Tensor>& inputs) const;
  // The same into out, reusing its memory (the training step's inputs).
  void standardize_inputs(const std::vector<Tensor>& inputs, std::vector<Tensor>& out) const {
    standardize_into(inputs, out);
  }

  struct Result {
    std::vector<Tensor> outputs;
    std::vector<std::optional<Tensor>> masks;  // one per output
  };
  // Runs the graph on standardized inputs; masks has one entry per input or is empty.
  Result run(const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>& masks,
             bool training);
  // The same into result, reusing its memory (the training step's outputs).
  void run(const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>& masks,
           bool training, Result& result);
  // Runs inputs through the model in batches along axis 0 into outputs (one
  // per model output, replaced). A warm call with the same shapes allocates
  // nothing but the output tensors.
  void predict_into(std::span<const Tensor> inputs, std::int64_t batch_size,
                    std::vector<Tensor>& outputs);
  std::vector<Tensor> predict(const std::vector<Tensor>& inputs, std::int64_t batch_size);
  // predict of a one-input, one-output model.
  Tensor predict_single(const Tensor& x, std::int64_t batch_size);

  // ---- LayerImpl ----
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
  void call_into(const std::vector<Tensor>& inputs, const CallContext& ctx,
                 std::vector<Tensor>& outputs) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override;
  int num_inputs() const override;
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override;
  // Keras' Functional.call(inputs, training=None, mask=None).
  bool call_has_mask_arg() const override { return true; }
  // Keras' Functional.get_config and serialize_keras_object's extras
  // (src/models/model_config.cpp).
  void write_config(ConfigWriter& writer) const override;

  // Set by the trainer once the optimizer is built: its variables, counted
  // in the summary's "Optimizer params" footer line. Empty: no such line.
  std::function<std::vector<Variable>()> optimizer_variables;
  // What compile() set up (src/training/); null before compile.
  std::shared_ptr<training::TrainingState> training;

 protected:
  // A model without a graph yet (Sequential).
  FunctionalImpl(std::string class_name, const std::string& name, bool trainable);
  void set_graph(std::shared_ptr<const Graph> graph, bool inputs_as_list, bool outputs_as_list);
  const std::shared_ptr<const Graph>& graph_ptr() const { return graph_; }
  // Check inputs against the Inputs (count; rank and every known dimension but
  // the batch, as Keras' Functional input_spec), naming this model in the error.
  void check_input_count(std::size_t given) const;
  void check_input_shape(std::size_t i, const Shape& shape, const Shape& reported) const;

 private:
  struct RunBuffers;
  class BuffersLease;
  void standardize_into(std::span<const Tensor> inputs, std::vector<Tensor>& out) const;
  void run_into(RunBuffers& b, const std::vector<Tensor>& inputs,
                const std::vector<std::optional<Tensor>>& masks, bool training, Result& result);
  // One step of run_into: a layer call, or a nested model's own run.
  void run_step(RunBuffers& b, LayerImpl& layer);
  void predict_batches(RunBuffers& b, std::span<const Tensor> inputs, std::int64_t batch_size,
                       std::vector<Tensor>& outputs);
  void check_predict_inputs(std::span<const Tensor> inputs, std::int64_t batch_size) const;

  std::shared_ptr<const Graph> graph_;
  bool inputs_as_list_ = false;
  bool outputs_as_list_ = false;
  // Reused by every run; a second, concurrent run of the same model (another
  // thread) gets fresh buffers instead.
  std::unique_ptr<RunBuffers> buffers_;
  std::atomic<bool> buffers_busy_{false};
};

// The model behind a handle, or nullptr when the layer is not a model.
FunctionalImpl* as_model(LayerImpl* layer);

}  // namespace keras::detail
