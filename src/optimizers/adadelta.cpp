#include "keras/optimizers/adadelta.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class AdadeltaImpl : public OptimizerImpl {
 public:
  explicit AdadeltaImpl(const AdadeltaOptions& o)
      : OptimizerImpl("Adadelta", o.learning_rate, detail::common_options(o)), o_(o) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"rho", o_.rho}, {"epsilon", o_.epsilon}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) {
      accumulated_grads_.push_back(add_slot("accumulated_grad", v));
      accumulated_deltas_.push_back(add_slot("accumulated_delta_var", v));
    }
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t) override {
    float* acc_g = slot_data(accumulated_grads_[index]);
    float* acc_d = slot_data(accumulated_deltas_[index]);
    const float rho = static_cast<float>(o_.rho);
    const float eps = static_cast<float>(o_.epsilon);
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      acc_g[i] = rho * acc_g[i] + (1 - rho) * g[i] * g[i];
      const float delta = -(std::sqrt(acc_d[i] + eps) * g[i]) / std::sqrt(acc_g[i] + eps);
      acc_d[i] = rho * acc_d[i] + (1 - rho) * delta * delta;
      w[i] += lr * delta;
    }
  }

 private:
  AdadeltaOptions o_;
  std::vector<Variable> accumulated_grads_, accumulated_deltas_;
};

}  // namespace

Optimizer Adadelta(AdadeltaOptions options) {
  return Optimizer(std::make_shared<AdadeltaImpl>(options));
}

}  // namespace keras::optimizers
