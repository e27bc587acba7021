#include "keras/optimizers/rmsprop.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

struct RmspropArgs {
  const float* g;
  float *w, *v, *avg, *mom;
  float rho, eps, mu, lr;
};

// One variant per option and restrict pointers, so GCC vectorises the loop.
template <bool kCentered, bool kMomentum>
void rmsprop_rows(std::int64_t begin, std::int64_t end, const RmspropArgs& a) {
  const float* __restrict g = a.g;
  float* __restrict w = a.w;
  float* __restrict v = a.v;
  float* __restrict avg = a.avg;
  float* __restrict mom = a.mom;
  const float rho = a.rho, eps = a.eps, mu = a.mu, lr = a.lr;
  for (std::int64_t i = begin; i < end; ++i) {
    const float vi = rho * v[i] + (1 - rho) * g[i] * g[i];
    v[i] = vi;
    float denominator = vi + eps;
    if constexpr (kCentered) {
      const float ai = rho * avg[i] + (1 - rho) * g[i];
      avg[i] = ai;
      denominator = vi - ai * ai + eps;
    }
    const float increment = lr * g[i] / std::sqrt(denominator);
    if constexpr (kMomentum) {
      const float mi = mu * mom[i] + increment;
      mom[i] = mi;
      w[i] -= mi;
    } else {
      w[i] -= increment;
    }
  }
}

class RMSpropImpl : public OptimizerImpl {
 public:
  explicit RMSpropImpl(const RMSpropOptions& o)
      : OptimizerImpl("RMSprop", o.learning_rate, detail::common_options(o)), o_(o) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"rho", o_.rho},
            {"momentum", o_.momentum},
            {"epsilon", o_.epsilon},
            {"centered", o_.centered}};
  }

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

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t) override {
    float* v = slot_data(velocities_[index]);
    float* mom = o_.momentum > 0 ? slot_data(momentums_[index]) : nullptr;
    float* avg = o_.centered ? slot_data(average_gradients_[index]) : nullptr;
    const float rho = static_cast<float>(o_.rho);
    const float eps = static_cast<float>(o_.epsilon);
    const float mu = static_cast<float>(o_.momentum);
    const RmspropArgs a{g, w, v, avg, mom, rho, eps, mu, lr};
    if (avg != nullptr && mom != nullptr) {
      rmsprop_rows<true, true>(begin, end, a);
    } else if (avg != nullptr) {
      rmsprop_rows<true, false>(begin, end, a);
    } else if (mom != nullptr) {
      rmsprop_rows<false, true>(begin, end, a);
    } else {
      rmsprop_rows<false, false>(begin, end, a);
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
