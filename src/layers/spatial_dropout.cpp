// BaseSpatialDropout (keras/src/layers/regularization/spatial_dropout.py):
// Dropout with the noise shape (batch, 1, ..., channels).
#include "layers/spatial_dropout.hpp"

#include <sstream>

#include "backend/random.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

void check_dropout_rate(const char* layer, double rate) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    std::ostringstream value;
    value << rate;
    throw Error(std::string(layer) +
                ": invalid value received for argument `rate`. Expected a float value between "
                "0 and 1. Received: rate=" +
                value.str());
  }
}

SpatialDropoutImpl::SpatialDropoutImpl(std::string class_name, double rate, int ndim,
                                       int channel_axis, std::string data_format,
                                       std::optional<std::uint64_t> seed, const std::string& name,
                                       bool trainable)
    : LayerImpl(std::move(class_name), name, trainable),
      rate_(rate),
      ndim_(ndim),
      channel_axis_(channel_axis),
      data_format_(std::move(data_format)),
      seed_(seed) {
  if (seed) own_generator_.emplace(*seed);
  set_built(true);  // as Keras' Dropout: nothing to create
}

void SpatialDropoutImpl::check_rank(const Shape& shape) const {
  if (shape.rank() != ndim_) {
    throw Error(describe() + " is incompatible with its input: expected ndim=" +
                std::to_string(ndim_) + ", found ndim=" + std::to_string(shape.rank()) +
                ". Full shape received: " + shape.to_string());
  }
}

std::vector<Tensor> SpatialDropoutImpl::call(const std::vector<Tensor>& inputs,
                                             const CallContext& ctx) {
  check_single(*this, inputs.size());
  const Tensor x = to_compute_dtype(inputs[0]);
  check_rank(x.shape());
  if (!ctx.training || rate_ == 0.0) return {x};
  if (rate_ == 1.0) return {Tensor::zeros(x.shape(), x.dtype())};
  // One keep/drop draw per (sample, channel), broadcast over the positions.
  std::vector<std::int64_t> noise(static_cast<std::size_t>(x.rank()), 1);
  noise[0] = x.shape()[0];
  noise[static_cast<std::size_t>(channel_axis_)] = x.shape()[channel_axis_];
  std::mt19937_64& generator = own_generator_ ? *own_generator_ : utils::random_generator();
  const Tensor mask = backend::random::dropout_mask(Shape(noise), x.dtype(), rate_, generator);
  return {ops::multiply(x, mask)};
}

std::vector<Shape> SpatialDropoutImpl::compute_output_shape(
    const std::vector<Shape>& input_shapes) {
  check_single(*this, input_shapes.size());
  check_rank(input_shapes[0]);
  return input_shapes;
}

// Keras' BaseSpatialDropout.get_config: rate, seed, name and the dtype as a
// plain string, without "trainable" (and data_format for 2D); Dropout is built
// at construction and its call takes `training`.
// Whole channels are dropped: one draw per sample and channel.
void SpatialDropoutImpl::explain(detail::ExplainWriter& w) const {
  const Shape& in = w.input();
  const std::vector<std::string> x = detail::channel_axes(in, channel_axis_);
  w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x) + " * keep[b,c] / (1 - " +
            detail::number(rate_) + ")");
  w.note("while training, whole channels are dropped: keep[b,c] is 1 with probability " +
         detail::number(1.0 - rate_) + " and 0 otherwise, the same at every " +
         detail::joined(detail::without(x, {"b", "c"}), ", ") + "; at inference y = x; no weights");
}

void SpatialDropoutImpl::write_config(detail::ConfigWriter& w) const {
  w.set("rate", rate_)
      .set("seed", seed_ ? detail::json(*seed_) : detail::json(nullptr))
      .set("name", name())
      .set("dtype", "float32");
  if (!data_format_.empty()) w.set("data_format", data_format_);
  w.without_build_config().call_arguments({.training = true});
}

}  // namespace keras::layers
