#include "keras/optimizers/adam.hpp"

#include "keras/optimizers/adamw.hpp"
#include "backend/cpu/parallel.hpp"
#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

struct AdamRule {
  double beta_1, beta_2, epsilon;
  bool amsgrad;
};

// One variant per amsgrad setting and restrict pointers: with the branch or
// possible aliasing inside the loop GCC leaves it scalar (perf showed it).
template <bool kAmsgrad>
void adam_rows(std::int64_t begin, std::int64_t end, const float* __restrict g,
               float* __restrict w, float* __restrict m, float* __restrict v,
               float* __restrict v_hat, float b1, float b2, float eps, float alpha) {
  for (std::int64_t i = begin; i < end; ++i) {
    const float mi = m[i] + (g[i] - m[i]) * (1 - b1);
    const float vi = v[i] + (g[i] * g[i] - v[i]) * (1 - b2);
    m[i] = mi;
    v[i] = vi;
    float denominator = vi;
    if constexpr (kAmsgrad) {
      denominator = v_hat[i] > vi ? v_hat[i] : vi;
      v_hat[i] = denominator;
    }
    w[i] -= mi * alpha / (std::sqrt(denominator) + eps);
  }
}

// Adam and AdamW share the rule; AdamW differs only by its default decay,
// which the base class applies before the update.
class AdamImpl : public OptimizerImpl {
 public:
  AdamImpl(const std::string& class_name, LearningRate lr, CommonOptions common, AdamRule rule)
      : OptimizerImpl(class_name, std::move(lr), std::move(common)), rule_(rule) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"beta_1", rule_.beta_1},
            {"beta_2", rule_.beta_2},
            {"epsilon", rule_.epsilon},
            {"amsgrad", rule_.amsgrad}};
  }

 protected:
  // Keras' order: momentum and velocity interleaved per variable, then the
  // velocity_hats if amsgrad.
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) {
      momentums_.push_back(add_slot("momentum", v));
      velocities_.push_back(add_slot("velocity", v));
    }
    if (rule_.amsgrad) {
      for (const auto& v : vars) velocity_hats_.push_back(add_slot("velocity_hat", v));
    }
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t n, float lr,
                   std::int64_t step) override {
    float* m = slot_data(momentums_[index]);
    float* v = slot_data(velocities_[index]);
    float* v_hat = rule_.amsgrad ? slot_data(velocity_hats_[index]) : nullptr;
    const float b1 = static_cast<float>(rule_.beta_1);
    const float b2 = static_cast<float>(rule_.beta_2);
    const float eps = static_cast<float>(rule_.epsilon);
    const float b1_power = std::pow(b1, static_cast<float>(step));
    const float b2_power = std::pow(b2, static_cast<float>(step));
    const float alpha = lr * std::sqrt(1 - b2_power) / (1 - b1_power);
    backend::cpu::parallel_for(n, 8, [&](std::int64_t begin, std::int64_t end) {
      if (v_hat != nullptr) {
        adam_rows<true>(begin, end, g, w, m, v, v_hat, b1, b2, eps, alpha);
      } else {
        adam_rows<false>(begin, end, g, w, m, v, nullptr, b1, b2, eps, alpha);
      }
    });
  }

 private:
  AdamRule rule_;
  std::vector<Variable> momentums_, velocities_, velocity_hats_;
};

}  // namespace

Optimizer Adam(AdamOptions o) {
  return Optimizer(std::make_shared<AdamImpl>(
      "Adam", o.learning_rate, detail::common_options(o),
      AdamRule{o.beta_1, o.beta_2, o.epsilon, o.amsgrad}));
}

Optimizer AdamW(AdamWOptions o) {
  if (!o.weight_decay) {
    throw Error("AdamW: weight_decay must be set (Keras' default is 0.004), got none.");
  }
  return Optimizer(std::make_shared<AdamImpl>(
      "AdamW", o.learning_rate, detail::common_options(o),
      AdamRule{o.beta_1, o.beta_2, o.epsilon, o.amsgrad}));
}

}  // namespace keras::optimizers
