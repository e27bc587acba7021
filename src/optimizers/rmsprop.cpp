#include "keras/optimizers/rmsprop.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class RMSpropImpl : public OptimizerImpl {
 public:
  explicit RMSpropImpl(const RMSpropOptions& o)
      : OptimizerImpl("RMSprop", o.learning_rate, detail::common_options(o)), o_(o) {}

 protected:
  // Keras' order: all velocities, then all momentums, then all average gradients.
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) velocities_.push_back(add_slot("velocity", v));
    if (o_.momentum > 0) {
      for (const auto& v : vars) momentums_.push_back(add_slot("momentum", v));
    }
    if (o_.centered) {
      for (const auto& v : vars) average_gradients_.push_back(add_slot("average_gradient", v));
    }
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t n, float lr,
                   std::int64_t) override {
    float* v = slot_data(velocities_[index]);
    float* mom = o_.momentum > 0 ? slot_data(momentums_[index]) : nullptr;
    float* avg = o_.centered ? slot_data(average_gradients_[index]) : nullptr;
    const float rho = static_cast<float>(o_.rho);
    const float eps = static_cast<float>(o_.epsilon);
    const float mu = static_cast<float>(o_.momentum);
#pragma omp parallel for simd if (n > detail::kParallelThreshold)
    for (std::int64_t i = 0; i < n; ++i) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      float denominator = v[i] + eps;
      if (avg) {
        avg[i] = rho * avg[i] + (1 - rho) * g[i];
        denominator = v[i] - avg[i] * avg[i] + eps;
      }
      const float increment = lr * g[i] / std::sqrt(denominator);
      if (mom) {
        mom[i] = mu * mom[i] + increment;
        w[i] -= mom[i];
      } else {
        w[i] -= increment;
      }
    }
  }

 private:
  RMSpropOptions o_;
  std::vector<Variable> velocities_, momentums_, average_gradients_;
};

}  // namespace

Optimizer RMSprop(RMSpropOptions options) {
  return Optimizer(std::make_shared<RMSpropImpl>(options));
}

}  // namespace keras::optimizers
