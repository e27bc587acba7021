// Dropout (keras/src/layers/regularization/dropout.py; the draw follows
// keras/src/backend/jax/random.py dropout).
#include "keras/layers/dropout.hpp"

#include <random>

#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class DropoutImpl : public LayerImpl {
 public:
  DropoutImpl(double rate, DropoutOptions options)
      : LayerImpl("Dropout", options.name, options.trainable),
        rate_(rate),
        noise_shape_(std::move(options.noise_shape)),
        seed_(options.seed) {
    if (options.seed) own_generator_.emplace(*options.seed);
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    std::vector<std::string> keep = x;
    if (noise_shape_) {
      for (std::size_t i = 0; i < keep.size() && i < noise_shape_->size(); ++i) {
        if ((*noise_shape_)[i] == 1) keep[i] = "0";
      }
    }
    w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x) + " * " +
              detail::indexed("keep", keep) + " / (1 - " + detail::number(rate_) + ")");
    w.note("while training, keep is 1 with probability " + detail::number(1.0 - rate_) +
           " and 0 otherwise, drawn afresh at each step; at inference y = x; no weights");
    if (noise_shape_) {
      w.note("noise_shape " + Shape(*noise_shape_).to_string() +
             ": one draw serves every index of an axis of size 1");
    }
  }

  // Keras' Dropout.call(inputs, training=False): a symbolic call records
  // training=False.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("rate", rate_)
        .set("seed", seed_ ? detail::json(*seed_) : detail::json(nullptr))
        .set("noise_shape", noise_shape_ ? detail::shape_json(Shape(*noise_shape_))
                                         : detail::json(nullptr))
        .call_arguments({.training = true});
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    if (!ctx.training || rate_ == 0.0) return {x};
    if (rate_ == 1.0) return {Tensor::zeros(x.shape(), x.dtype())};  // as jax: all dropped
    return {ops::multiply(x, draw_mask(x))};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

 private:
  // A tensor of the noise shape holding 1 / keep where a value is kept and 0
  // where it is dropped; multiplying broadcasts it over the input.
  Tensor draw_mask(const Tensor& x) {
    const Shape shape = mask_shape(x.shape());
    const double keep = 1.0 - rate_;
    std::mt19937_64& generator = own_generator_ ? *own_generator_ : utils::random_generator();
    std::bernoulli_distribution kept(keep);
    Tensor mask = Tensor::empty(shape, x.dtype());
    const std::int64_t n = shape.num_elements();
    if (x.dtype() == DType::float64) {
      double* m = mask.data<double>();
      for (std::int64_t i = 0; i < n; ++i) m[i] = kept(generator) ? 1.0 / keep : 0.0;
    } else {
      float* m = mask.data<float>();
      const float scale = static_cast<float>(1.0 / keep);
      for (std::int64_t i = 0; i < n; ++i) m[i] = kept(generator) ? scale : 0.0f;
    }
    return mask;
  }

  Shape mask_shape(const Shape& input) const {
    if (!noise_shape_) return input;
    const auto& dims = *noise_shape_;
    if (static_cast<int>(dims.size()) != input.rank()) {
      throw Error(describe() + " has noise_shape " + Shape(dims).to_string() + " of rank " +
                  std::to_string(dims.size()) + ", but its input has shape " + input.to_string() +
                  " of rank " + std::to_string(input.rank()) + ".");
    }
    std::vector<std::int64_t> out;
    for (int i = 0; i < input.rank(); ++i) {
      const std::int64_t d = dims[static_cast<std::size_t>(i)];
      if (d != None && d != 1 && d != input[i]) {
        throw Error(describe() + " has noise_shape " + Shape(dims).to_string() +
                    ", which does not broadcast to its input shape " + input.to_string() +
                    ": each dimension must be None, 1 or the input's.");
      }
      out.push_back(d == None ? input[i] : d);
    }
    return Shape(out);
  }

  double rate_;
  std::optional<std::vector<std::int64_t>> noise_shape_;
  std::optional<std::uint64_t> seed_;  // for the config
  std::optional<std::mt19937_64> own_generator_;
};

void validate(double rate, const DropoutOptions& options) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    throw Error(
        "Dropout: invalid value for argument `rate`. Expected a float value between 0 "
        "and 1. Received: rate=" +
        std::to_string(rate) + ".");
  }
  if (!options.noise_shape) return;
  for (std::size_t i = 0; i < options.noise_shape->size(); ++i) {
    const std::int64_t d = (*options.noise_shape)[i];
    if (d != None && d <= 0) {
      throw Error(
          "Dropout: invalid value for argument `noise_shape`. Expected all dimensions "
          "to be positive integers or None. Received " +
          std::to_string(d) + " at index " + std::to_string(i) + ".");
    }
  }
  if (options.noise_shape->size() > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error("Dropout: noise_shape has rank " + std::to_string(options.noise_shape->size()) +
                "; kerascpp supports up to rank " + std::to_string(Shape::kMaxRank) + ".");
  }
}

}  // namespace

Dropout::Dropout(double rate, DropoutOptions options) {
  validate(rate, options);
  impl_ = std::make_shared<DropoutImpl>(rate, std::move(options));
}

std::shared_ptr<LayerImpl> dropout_from_config(const LayerConfig& c) {
  const auto common = c.common();
  std::optional<std::vector<std::int64_t>> noise_shape;
  if (const auto shape = c.optional_shape("noise_shape")) noise_shape = shape->dims();
  return Dropout(c.number("rate"), {.noise_shape = std::move(noise_shape),
                                    .seed = c.seed("seed"),
                                    .name = common.name,
                                    .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
