// GaussianNoise (keras/src/layers/regularization/gaussian_noise.py).
#include "keras/layers/gaussian_noise.hpp"

#include <random>
#include <sstream>

#include "backend/random.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

namespace {

class GaussianNoiseImpl : public LayerImpl {
 public:
  GaussianNoiseImpl(double stddev, const GaussianNoiseOptions& options)
      : LayerImpl("GaussianNoise", options.name, options.trainable),
        stddev_(stddev),
        seed_(options.seed) {
    if (options.seed) own_generator_.emplace(*options.seed);
    set_built(true);  // as Keras' _build_at_init: nothing to create
  }

  bool supports_masking() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    check_single(*this, inputs.size());
    const Tensor x = to_compute_dtype(inputs[0]);
    if (!ctx.training || stddev_ == 0.0) return {x};
    std::mt19937_64& generator = own_generator_ ? *own_generator_ : utils::random_generator();
    return {ops::add(x, backend::random::normal(x.shape(), x.dtype(), 0.0, stddev_, generator))};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_single(*this, input_shapes.size());
    return input_shapes;
  }

  void explain(detail::ExplainWriter& w) const override {
    const std::vector<std::string> x = detail::feature_axes(w.input());
    w.formula(detail::indexed("y", x) + " = " + detail::indexed("x", x) + " + " +
              detail::indexed("noise", x));
    w.note("while training, noise is drawn from a normal distribution with mean 0 and stddev " +
           detail::number(stddev_) + ", afresh at each step; at inference y = x; no weights");
  }

  // Keras' get_config; built at construction; call() takes `training`.
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("stddev", stddev_)
        .set("seed", seed_ ? detail::json(*seed_) : detail::json(nullptr))
        .without_build_config()
        .call_arguments({.training = true});
  }

 private:
  double stddev_;
  std::optional<std::uint64_t> seed_;
  std::optional<std::mt19937_64> own_generator_;
};

}  // namespace

GaussianNoise::GaussianNoise(double stddev, GaussianNoiseOptions options) {
  if (!(stddev >= 0.0 && stddev <= 1.0)) {
    std::ostringstream value;
    value << stddev;
    throw Error(
        "GaussianNoise: invalid value received for argument `stddev`. Expected a float value "
        "between 0 and 1. Received: stddev=" +
        value.str());
  }
  impl_ = std::make_shared<GaussianNoiseImpl>(stddev, options);
}

std::shared_ptr<LayerImpl> gaussian_noise_from_config(const LayerConfig& c) {
  const auto common = c.common();
  return GaussianNoise(c.number("stddev"),
                       {.seed = c.seed("seed"), .name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
