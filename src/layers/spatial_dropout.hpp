#pragma once
// What SpatialDropout1D and SpatialDropout2D share (Keras' BaseSpatialDropout,
// keras/src/layers/regularization/spatial_dropout.py).
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

class SpatialDropoutImpl : public LayerImpl {
 public:
  // ndim: the rank the input must have; channel_axis: 1 or rank - 1;
  // data_format: empty for SpatialDropout1D (whose config has none).
  SpatialDropoutImpl(std::string class_name, double rate, int ndim, int channel_axis,
                     std::string data_format, std::optional<std::uint64_t> seed,
                     const std::string& name, bool trainable);

  bool supports_masking() const override { return true; }
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;
  void write_config(detail::ConfigWriter& w) const override;
  void explain(detail::ExplainWriter& w) const override;

 private:
  void check_rank(const Shape& shape) const;

  double rate_;
  int ndim_;
  int channel_axis_;
  std::string data_format_;
  std::optional<std::uint64_t> seed_;
  std::optional<std::mt19937_64> own_generator_;
};

// Keras' Dropout check: 0 <= rate <= 1.
void check_dropout_rate(const char* layer, double rate);

}  // namespace keras::layers
