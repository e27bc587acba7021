// Reshape (keras/src/layers/reshaping/reshape.py and
// ops/operation_utils.py compute_reshape_output_shape).
#include "keras/layers/reshape.hpp"

#include <algorithm>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

void validate_target_shape(const std::vector<std::int64_t>& target_shape) {
  const auto unknown = std::count(target_shape.begin(), target_shape.end(), -1);
  const bool negative =
      std::any_of(target_shape.begin(), target_shape.end(), [](std::int64_t d) { return d < -1; });
  if (negative || unknown > 1) {
    throw Error(
        "Reshape: each dimension of target_shape must be a non-negative integer, with at "
        "most one -1 for a dimension to infer. Received: target_shape=" +
        format_dims(target_shape) + ".");
  }
  if (target_shape.size() + 1 > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error("Reshape: target_shape " + format_dims(target_shape) + " gives rank " +
                std::to_string(target_shape.size() + 1) + "; kerascpp supports up to rank " +
                std::to_string(Shape::kMaxRank) + ".");
  }
}

class ReshapeImpl : public LayerImpl {
 public:
  ReshapeImpl(std::vector<std::int64_t> target_shape, const ReshapeOptions& options)
      : LayerImpl("Reshape", options.name, options.trainable),
        target_shape_(std::move(target_shape)) {
    set_built(true);  // as Keras' Reshape: nothing to create
  }

  // The values keep their row-major order; only the axes they are read on change.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& in = w.input();
    const Shape& out = w.output();
    std::vector<std::string> xa = detail::letters(in.rank() - 1, "i");
    std::vector<std::string> ya = detail::letters(out.rank() - 1, "p");
    const std::vector<std::int64_t> xd(in.begin() + 1, in.end());
    const std::vector<std::int64_t> yd(out.begin() + 1, out.end());
    std::vector<std::string> x{"b"}, y{"b"};
    x.insert(x.end(), xa.begin(), xa.end());
    y.insert(y.end(), ya.begin(), ya.end());
    const std::string from = xa.empty() ? "0" : detail::row_major(xa, xd);
    const std::string to = ya.empty() ? "0" : detail::row_major(ya, yd);
    if (ya.size() == 1) {
      w.formula("y[b, " + from + "] = " + detail::indexed("x", x));
    } else if (xa.size() == 1) {
      w.formula(detail::indexed("y", y) + " = x[b, " + to + "]");
    } else {
      w.formula(detail::indexed("y", y) + " = " + detail::indexed("x", x) + " where " + to + " = " +
                from);
    }
    w.note("keeps the " + detail::grid(in, 1, in.rank()) +
           " values of each sample in their row-major order and reads them as " +
           out.without_batch().to_string() + "; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override {
    w.base().set("target_shape", target_shape_);  // -1 (keras::None) stays -1
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_single(*this, inputs.size());
    const Tensor& x = inputs[0];
    return {ops::reshape(x, compute_output_shape({x.shape()})[0])};
  }

  // (batch,) + target_shape with the -1 resolved when the per-sample size is
  // known (else None), as Keras' compute_reshape_output_shape.
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    const Shape& shape = input_shapes[0];
    if (shape.rank() < 1) {
      throw Error(describe() + " expects inputs with a batch axis, got shape " + shape.to_string() +
                  ".");
    }
    const Shape per_sample = shape.without_batch();
    std::vector<std::int64_t> out = target_shape_;  // -1 is keras::None
    if (per_sample.is_fully_defined()) resolve(shape, out);
    out.insert(out.begin(), shape[0]);
    return {Shape(out)};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, input_dtypes.at(0));
  }

 private:
  void resolve(const Shape& shape, std::vector<std::int64_t>& out) const {
    const std::int64_t size = shape.without_batch().num_elements();
    std::int64_t known = 1;
    for (std::int64_t d : target_shape_) known *= d == -1 ? 1 : d;
    const auto unknown = std::find(out.begin(), out.end(), -1);
    if (unknown == out.end()) {
      if (known != size) {
        throw Error(describe() + " cannot reshape inputs of shape " + shape.to_string() + " (" +
                    std::to_string(size) + " values per sample) to target_shape " +
                    format_dims(target_shape_) + " (" + std::to_string(known) +
                    " values): the total size must be unchanged." + minus_one_hint(size));
      }
      return;
    }
    if (known == 0 || size % known != 0) {
      throw Error(describe() + " cannot reshape inputs of shape " + shape.to_string() + " (" +
                  std::to_string(size) + " values per sample) to target_shape " +
                  format_dims(target_shape_) + ": " + std::to_string(size) +
                  " is not divisible by " + std::to_string(known) +
                  ", the product of the known dimensions.");
    }
    *unknown = size / known;
  }

  // The nearest target that fits: the first dimension left to Reshape (-1)
  // when the others divide the size; (size,) for a one-axis target.
  std::string minus_one_hint(std::int64_t size) const {
    if (target_shape_.empty()) return "";
    if (target_shape_.size() == 1) {
      return " To put every value on one axis, use target_shape (" + std::to_string(size) +
             ",) or Flatten().";
    }
    std::int64_t rest = 1;
    for (std::size_t i = 1; i < target_shape_.size(); ++i) rest *= target_shape_[i];
    if (rest <= 0 || size % rest != 0) return "";
    std::vector<std::int64_t> fixed = target_shape_;
    fixed[0] = -1;
    std::vector<std::int64_t> result = target_shape_;
    result[0] = size / rest;
    return " Use -1 for the dimension Reshape should compute: target_shape " + format_dims(fixed) +
           " gives " + format_dims(result) + ".";
  }

  std::vector<std::int64_t> target_shape_;
};

}  // namespace

Reshape::Reshape(std::vector<std::int64_t> target_shape, ReshapeOptions options) {
  validate_target_shape(target_shape);
  impl_ = std::make_shared<ReshapeImpl>(std::move(target_shape), options);
}

std::shared_ptr<LayerImpl> reshape_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return Reshape(c.integers("target_shape"), {.name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
