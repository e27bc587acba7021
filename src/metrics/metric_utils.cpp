// Shared metric machinery: broadcasting on small arrays, mask folding, the
// running mean of keras/src/metrics/reduction_metrics.py.
#include "metrics/metric_utils.hpp"

#include <algorithm>
#include <array>

#include "keras/saving/object_registration.hpp"
#include "losses/loss_utils.hpp"

namespace keras::metrics::detail {

namespace {

std::int64_t product(const Shape& s, int begin, int end) {
  std::int64_t n = 1;
  for (int i = begin; i < end; ++i) n *= s[i];
  return n;
}

bool can_broadcast(const Shape& from, const Shape& to) {
  if (from.rank() > to.rank()) return false;
  for (int i = 1; i <= from.rank(); ++i) {
    if (from[-i] != 1 && from[-i] != to[-i]) return false;
  }
  return true;
}

Shape broadcast_shape(const Shape& a, const Shape& b, const std::string& what) {
  const int rank = std::max(a.rank(), b.rank());
  Shape out;
  for (int i = 0; i < rank; ++i) out.push_back(1);
  for (int i = 1; i <= rank; ++i) {
    const std::int64_t da = i <= a.rank() ? a[-i] : 1;
    const std::int64_t db = i <= b.rank() ? b[-i] : 1;
    if (da != db && da != 1 && db != 1) {
      throw Error(what + ": shapes " + a.to_string() + " and " + b.to_string() +
                  " cannot be broadcast together.");
    }
    out[rank - i] = std::max(da, db);
  }
  return out;
}

}  // namespace

Array to_array(const Tensor& x) { return {x.shape(), x.to_vector<double>()}; }

std::optional<Array> optional_array(const Tensor& x) {
  if (!x.defined()) return std::nullopt;
  return to_array(x);
}

std::pair<Shape, Shape> squeeze_or_expand_shapes(const Shape& a, const Shape& b,
                                                 bool expand_rank_1) {
  Shape x = a;
  Shape y = b;
  if (a.rank() == b.rank() + 1 && a[-1] == 1) {
    if (b.rank() == 1 && expand_rank_1) {
      y = y.append(1);
    } else {
      x = x.slice(0, -1);
    }
  }
  if (b.rank() == a.rank() + 1 && b[-1] == 1) {
    if (a.rank() == 1 && expand_rank_1) {
      x = x.append(1);
    } else {
      y = y.slice(0, -1);
    }
  }
  return {x, y};
}

Shape align_weight_shape(const Shape& weight, const Shape& target) {
  if (weight.rank() >= target.rank() || weight != target.slice(0, weight.rank())) return weight;
  Shape padded = weight;
  while (padded.rank() < target.rank()) padded = padded.append(1);
  return padded;
}

std::vector<double> broadcast_to(const Array& a, const Shape& target, const std::string& what) {
  if (!can_broadcast(a.shape, target)) {
    throw Error(what + ": cannot broadcast shape " + a.shape.to_string() + " to " +
                target.to_string() + ".");
  }
  const int rank = target.rank();
  const std::int64_t n = target.num_elements();
  if (a.shape == target) return a.data;
  // Strides of `a` over target's axes (0 where `a` is broadcast).
  std::array<std::int64_t, Shape::kMaxRank> strides{};
  std::int64_t stride = 1;
  for (int i = 1; i <= a.shape.rank(); ++i) {
    strides[static_cast<std::size_t>(rank - i)] = a.shape[-i] == 1 ? 0 : stride;
    stride *= a.shape[-i];
  }
  std::vector<double> out(static_cast<std::size_t>(n));
  std::array<std::int64_t, Shape::kMaxRank> index{};
  std::int64_t offset = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    out[static_cast<std::size_t>(i)] = a.data[static_cast<std::size_t>(offset)];
    for (int axis = rank - 1; axis >= 0; --axis) {
      const auto ax = static_cast<std::size_t>(axis);
      offset += strides[ax];
      if (++index[ax] < target[axis]) break;
      offset -= strides[ax] * index[ax];
      index[ax] = 0;
    }
  }
  return out;
}

Array multiply(const Array& a, const Array& b, const std::string& what) {
  const Shape shape = broadcast_shape(a.shape, b.shape, what);
  std::vector<double> x = broadcast_to(a, shape, what);
  const std::vector<double> y = broadcast_to(b, shape, what);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] *= y[i];
  return {shape, std::move(x)};
}

std::optional<Array> apply_mask(std::optional<Array> sample_weight, const Tensor& mask) {
  if (!mask.defined()) return sample_weight;
  Array float_mask = to_array(mask);
  if (!sample_weight) return float_mask;
  auto [mask_shape, weight_shape] =
      squeeze_or_expand_shapes(float_mask.shape, sample_weight->shape);
  float_mask.shape = mask_shape;
  sample_weight->shape = align_weight_shape(weight_shape, mask_shape);
  return multiply(*sample_weight, float_mask, "Metric mask and sample_weight");
}

void MeanAccumulator::add_unweighted(const Shape& shape, double sum) {
  const int rank = shape.rank();
  const double rest = static_cast<double>(product(shape, std::min(rank, 1), rank));
  total_ += rest == 0.0 ? 0.0 : sum / rest;
  count_ += rank >= 1 ? static_cast<double>(shape[0]) : 1.0;
}

void MeanAccumulator::update(const Tensor& values) {
  double sum = 0.0;
  losses::detail::visit_values(values, [&](const auto* data, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(data[i]);
  });
  add_unweighted(values.shape(), sum);
}

void MeanAccumulator::update(const Tensor& values, const Tensor& weight) {
  double weighted = 0.0;
  double weights = 0.0;
  losses::detail::visit_values(values, [&](const auto* v, std::int64_t n) {
    losses::detail::visit_values(weight, [&](const auto* w, std::int64_t) {
      for (std::int64_t i = 0; i < n; ++i) {
        const double wi = static_cast<double>(w[i]);
        weighted += static_cast<double>(v[i]) * wi;
        weights += wi;
      }
    });
  });
  const Shape& shape = values.shape();
  const int rank = shape.rank();
  const double rest = static_cast<double>(product(shape, std::min(rank, 1), rank));
  if (rest != 0.0) {
    total_ += weighted / rest;
    count_ += weights / rest;
  }
}

void MeanAccumulator::update(Array values, const std::optional<Array>& sample_weight) {
  if (!sample_weight) {
    double sum = 0.0;
    for (double v : values.data) sum += v;
    add_unweighted(values.shape, sum);
    return;
  }
  Array weight = *sample_weight;
  auto [value_shape, weight_shape] = squeeze_or_expand_shapes(values.shape, weight.shape);
  values.shape = value_shape;
  weight.shape = align_weight_shape(weight_shape, value_shape);
  // Values of a higher rank than the weight are averaged over the extra axes.
  const int wr = weight.shape.rank();
  if (values.shape.rank() > wr) {
    const std::int64_t outer = product(values.shape, 0, wr);
    const std::int64_t inner = product(values.shape, wr, values.shape.rank());
    std::vector<double> reduced(static_cast<std::size_t>(outer), 0.0);
    for (std::int64_t o = 0; o < outer; ++o) {
      double s = 0.0;
      for (std::int64_t i = 0; i < inner; ++i)
        s += values.data[static_cast<std::size_t>(o * inner + i)];
      reduced[static_cast<std::size_t>(o)] = inner == 0 ? 0.0 : s / static_cast<double>(inner);
    }
    values = {values.shape.slice(0, wr), std::move(reduced)};
  }
  const std::vector<double> w = broadcast_to(weight, values.shape, "Mean sample_weight");
  // Both are now per sample, averaged over the axes after the first.
  const int rank = values.shape.rank();
  const double rest = static_cast<double>(product(values.shape, std::min(rank, 1), rank));
  double weighted = 0.0;
  double weights = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    weighted += values.data[i] * w[i];
    weights += w[i];
  }
  if (rest != 0.0) {
    total_ += weighted / rest;
    count_ += weights / rest;
  }
}

namespace {

class MeanMetricWrapperImpl : public MetricImpl {
 public:
  MeanMetricWrapperImpl(std::string class_name, std::string name, std::string direction,
                        ValuesFunction fn, std::function<double(double)> transform,
                        OwnConfig own_config)
      : MetricImpl(std::move(class_name), std::move(name)),
        direction_(std::move(direction)),
        fn_(std::move(fn)),
        transform_(std::move(transform)),
        own_config_(std::move(own_config)) {}

  std::string direction() const override { return direction_; }

  void get_config(Config& config) const override {
    // Keras serializes a MeanMetricWrapper's function by its Python name; a
    // C++ function has none.
    if (class_name() == "MeanMetricWrapper") {
      throw Error("Metric \"" + name() +
                  "\" wraps a C++ function (MeanMetricWrapper), which has no Keras config; "
                  "use a built-in metric class or name to save the model with its training "
                  "setup.");
    }
    MetricImpl::get_config(config);
    if (own_config_) own_config_(config);
  }

  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
                    const Tensor& mask) override {
    if (!y_true.defined() || !y_pred.defined()) {
      throw Error(class_name() + " \"" + name() + "\": y_true and y_pred must be defined.");
    }
    losses::LossValues out = fn_(y_true, y_pred);
    if (!sample_weight.defined() && !mask.defined()) {
      mean_.update(out.values);  // no host copy: this runs every training step
      return;
    }
    if (!sample_weight.defined() && !out.mask.defined() && mask.shape() == out.values.shape()) {
      mean_.update(out.values, mask);  // no host copies: a masked model's every training step
      return;
    }
    std::optional<Array> weight = apply_mask(optional_array(sample_weight), mask);
    // Keras applies the function's own mask only when there are weights.
    if (weight && out.mask.defined()) weight = apply_mask(weight, out.mask);
    mean_.update(to_array(out.values), weight);
  }

  Tensor result() const override {
    const double mean = mean_.result();
    return scalar_result(transform_ ? transform_(mean) : mean);
  }

  void reset_state() override { mean_.reset(); }

 private:
  std::string direction_;
  ValuesFunction fn_;
  std::function<double(double)> transform_;
  OwnConfig own_config_;
  MeanAccumulator mean_;
};

}  // namespace

Metric mean_metric(std::string class_name, const std::string& default_name, const std::string& name,
                   std::string direction, ValuesFunction fn,
                   std::function<double(double)> transform, OwnConfig own_config) {
  return Metric(std::make_shared<MeanMetricWrapperImpl>(
      std::move(class_name), name.empty() ? default_name : name, std::move(direction),
      std::move(fn), std::move(transform), std::move(own_config)));
}

Tensor scalar_result(double value) { return Tensor::scalar(value, DType::float32); }

}  // namespace keras::metrics::detail
