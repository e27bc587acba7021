// Embedding (keras/src/layers/core/embedding.py): a lookup of rows of the
// (input_dim, output_dim) "embeddings" table. The lookup is ops::take, whose
// gradient scatter-adds each output row's gradient into the row it came
// from, so a training step costs O(indices x output_dim), not a one-hot
// matmul over the whole vocabulary.
#include "keras/layers/embedding.hpp"

#include <cmath>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "operations/operation.hpp"

namespace keras::layers {

namespace {

// "(1, 3)": where the flat element `flat` sits in a tensor of this shape.
std::string position_of(std::int64_t flat, const Shape& shape) {
  std::vector<std::int64_t> index(static_cast<std::size_t>(shape.rank()));
  for (int axis = shape.rank() - 1; axis >= 0; --axis) {
    index[static_cast<std::size_t>(axis)] = flat % shape[axis];
    flat /= shape[axis];
  }
  return format_dims(index);
}

class EmbeddingImpl : public LayerImpl {
 public:
  EmbeddingImpl(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options)
      : LayerImpl("Embedding", options.name, options.trainable),
        input_dim_(input_dim),
        output_dim_(output_dim),
        options_(std::move(options)) {
    set_activity_regularizer(options_.activity_regularizer);
  }

  // Keras sets supports_masking = mask_zero: without it an incoming mask stops here.
  bool supports_masking() const override { return options_.mask_zero; }

  void build(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    embeddings_ =
        add_weight("embeddings", Shape{input_dim_, output_dim_}, options_.embeddings_initializer,
                   options_.embeddings_regularizer, options_.embeddings_constraint);
  }

  // A table lookup: one trainable row per possible index.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const std::vector<std::string> x = detail::axis_names(in, {});
    std::vector<std::string> y = x;
    y.push_back("e");
    w.formula(detail::indexed("y", y) + " = embeddings[" + detail::indexed("x", x) + ", e]");
    w.note("looks up row x of the (" + std::to_string(input_dim_) + ", " +
           std::to_string(output_dim_) + ") table" +
           (in.rank() > 1 ? " at each of the " + detail::positions(in, 1, in.rank()) : "") +
           ": each of the " + detail::with_commas(input_dim_) + " indices 0 .. " +
           std::to_string(input_dim_ - 1) + " has its own " + std::to_string(output_dim_) +
           " trainable values");
    if (options_.mask_zero) {
      w.note(
          "mask_zero=True: index 0 is padding; the positions where x is 0 are masked for the "
          "layers after it");
    }
  }

  // Keras' get_config order; an activity_regularizer, when set, stays where
  // the base config put it (Python's {**base, **config} keeps the key's place).
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("input_dim", input_dim_)
        .set("output_dim", output_dim_)
        .initializer("embeddings_initializer", options_.embeddings_initializer)
        .regularizer("embeddings_regularizer", options_.embeddings_regularizer)
        .regularizer("activity_regularizer", activity_regularizer())
        .constraint("embeddings_constraint", options_.embeddings_constraint)
        .set("mask_zero", options_.mask_zero)
        .set("quantization_config", nullptr);
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    check_rank(inputs[0].shape());
    return {ops::take(embeddings_.value(), checked_indices(inputs[0]), 0)};
  }

  void call_into(const std::vector<Tensor>& inputs, const CallContext&,
                 std::vector<Tensor>& outputs) override {
    check_single(*this, inputs.size());
    check_rank(inputs[0].shape());
    Tensor y = ops::take(embeddings_.value(), checked_indices(inputs[0]), 0);
    outputs.resize(1);
    outputs[0] = std::move(y);
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    check_rank(input_shapes[0]);
    return {input_shapes[0].append(output_dim_)};
  }

  // The table is float32 whatever the indices are (Keras' compute_dtype).
  std::vector<DType> compute_output_dtype(const std::vector<DType>&,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, DType::float32);
  }

  // Keras: not_equal(inputs, 0) on the inputs as given, when mask_zero.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs, const std::vector<std::optional<Tensor>>&) const override {
    if (!options_.mask_zero || inputs.size() != 1) return {};
    const Tensor& x = inputs[0];
    return {ops::not_equal(x, Tensor::scalar(0.0, x.dtype()))};
  }
  void compute_mask_into(const std::vector<Tensor>& inputs,
                         const std::vector<std::optional<Tensor>>&,
                         std::vector<std::optional<Tensor>>& out) const override {
    out.clear();
    if (!options_.mask_zero || inputs.size() != 1) return;
    const Tensor& x = inputs[0];
    out.emplace_back(ops::not_equal(x, Tensor::scalar(0.0, x.dtype())));
  }

  // On symbolic inputs the same not_equal(inputs, 0) is a NotEqual node of
  // the graph, which the layers that take the mask are connected to.
  std::vector<KerasTensor> compute_symbolic_mask(const std::vector<KerasTensor>& inputs,
                                                 const std::vector<KerasTensor>&) const override {
    if (!options_.mask_zero || inputs.size() != 1) return {};
    return {operations::not_equal(inputs[0], 0)};
  }

 private:
  void check_rank(const Shape& shape) const {
    if (shape.rank() >= Shape::kMaxRank) {
      throw Error(describe() + " adds an axis to its inputs; inputs of shape " + shape.to_string() +
                  " would give more than " + std::to_string(Shape::kMaxRank) + " axes.");
    }
  }

  // The indices ops::take gets: integer inputs as they are, others (floats
  // holding integers, bools) cast to integers as Keras casts them to int32.
  // Every index must lie in [0, input_dim): ops::take would accept negative
  // ones counted from the end, which Keras' Embedding never means.
  Tensor checked_indices(const Tensor& x) const {
    if (x.dtype() == DType::int32) {
      check_range(x.data<std::int32_t>(), x.size(), x.shape());
      return x;
    }
    if (x.dtype() == DType::int64) {
      check_range(x.data<std::int64_t>(), x.size(), x.shape());
      return x;
    }
    if (is_floating(x.dtype())) check_floats(x);
    Tensor indices = x.astype(DType::int64);
    check_range(indices.data<std::int64_t>(), indices.size(), x.shape());
    return indices;
  }

  template <class T>
  void check_range(const T* index, std::int64_t count, const Shape& shape) const {
    for (std::int64_t k = 0; k < count; ++k) {
      if (index[k] < 0 || index[k] >= input_dim_) out_of_range(std::to_string(index[k]), k, shape);
    }
  }

  // Before the cast: a float outside the table (or NaN) has no integer to become.
  void check_floats(const Tensor& x) const {
    const std::vector<double> values = x.to_vector<double>();
    for (std::size_t k = 0; k < values.size(); ++k) {
      const double v = values[k];
      if (!(v > -1.0 && v < static_cast<double>(input_dim_))) {
        std::string shown = std::isnan(v) ? "nan" : std::to_string(v);
        out_of_range(shown, static_cast<std::int64_t>(k), x.shape());
      }
    }
  }

  [[noreturn]] void out_of_range(const std::string& index, std::int64_t flat,
                                 const Shape& shape) const {
    throw Error(describe() + " got index " + index + " at position " + position_of(flat, shape) +
                " of its input of shape " + shape.to_string() + "; valid indices are 0 to " +
                std::to_string(input_dim_ - 1) + " (input_dim=" + std::to_string(input_dim_) +
                "). Make input_dim the vocabulary size + 1, or map unknown tokens to a valid "
                "index.");
  }

  std::int64_t input_dim_;
  std::int64_t output_dim_;
  EmbeddingOptions options_;
  Variable embeddings_;
};

}  // namespace

Embedding::Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options) {
  if (input_dim <= 0) {
    throw Error("Embedding: `input_dim` must be a positive integer. Received: input_dim=" +
                std::to_string(input_dim) + ".");
  }
  if (output_dim <= 0) {
    throw Error("Embedding: `output_dim` must be a positive integer. Received: output_dim=" +
                std::to_string(output_dim) + ".");
  }
  impl_ = std::make_shared<EmbeddingImpl>(input_dim, output_dim, std::move(options));
}

std::shared_ptr<LayerImpl> embedding_from_config(const LayerConfig& c) {
  const auto common = c.common();
  for (const char* unsupported : {"lora_rank", "quantization_config"}) c.require_null(unsupported);
  // input_length (Keras 2 configs) is read and ignored, as Keras 3 ignores it.
  return Embedding(c.integer("input_dim"), c.integer("output_dim"),
                   {.embeddings_initializer = c.initializer("embeddings_initializer", "uniform"),
                    .embeddings_regularizer = c.regularizer("embeddings_regularizer"),
                    .embeddings_constraint = c.constraint("embeddings_constraint"),
                    .mask_zero = c.boolean("mask_zero", false),
                    .activity_regularizer = c.regularizer("activity_regularizer"),
                    .name = common.name,
                    .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
