// RepeatVector (keras/src/layers/reshaping/repeat_vector.py).
#include "keras/layers/repeat_vector.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class RepeatVectorImpl : public LayerImpl {
 public:
  RepeatVectorImpl(std::int64_t n, const RepeatVectorOptions& options)
      : LayerImpl("RepeatVector", options.name, options.trainable), n_(n) {}

  void explain(detail::ExplainWriter& w) const override {
    w.formula("y[b,r,c] = x[b,c]");
    w.note("copies each sample's " + detail::dim(w.input()[-1]) + " values " + std::to_string(n_) +
           " times along a new axis r (r < " + std::to_string(n_) + "); no weights");
  }

  void write_config(detail::ConfigWriter& w) const override { w.base().set("n", n_); }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor& x = inputs[0];
    check_rank(x.shape());
    return {ops::repeat(ops::expand_dims(x, 1), n_, 1)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    check_rank(shape);
    return {Shape{shape[0], n_, shape[1]}};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

 private:
  // Keras' InputSpec(ndim=2).
  void check_rank(const Shape& shape) const {
    if (shape.rank() != 2) {
      std::string message = describe() + " expects inputs of rank 2 (batch, features), got shape " +
                            shape.to_string() + " of rank " + std::to_string(shape.rank()) + ".";
      if (shape.rank() > 2) {
        message +=
            " It repeats one vector per sample; add Flatten() first to repeat all of "
            "each sample's values.";
      } else {
        message += " Each sample needs a feature axis: add Reshape({1}) first.";
      }
      throw Error(message);
    }
  }

  std::int64_t n_;
};

}  // namespace

RepeatVector::RepeatVector(std::int64_t n, RepeatVectorOptions options) {
  if (n <= 0) {
    throw Error("RepeatVector: argument `n` should be a positive integer. Received: n=" +
                std::to_string(n) + ".");
  }
  impl_ = std::make_shared<RepeatVectorImpl>(n, options);
}

std::shared_ptr<LayerImpl> repeat_vector_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return RepeatVector(c.integer("n"), {.name = common.name, .trainable = common.trainable}).ptr();
}

}  // namespace keras::layers
