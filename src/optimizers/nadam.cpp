#include "keras/optimizers/nadam.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class NadamImpl : public OptimizerImpl {
 public:
  explicit NadamImpl(const NadamOptions& o)
      : OptimizerImpl("Nadam", o.learning_rate, detail::common_options(o)), o_(o) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"beta_1", o_.beta_1}, {"beta_2", o_.beta_2}, {"epsilon", o_.epsilon}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) {
      momentums_.push_back(add_slot("momentum", v));
      velocities_.push_back(add_slot("velocity", v));
    }
    u_product_ = add_variable("variable", Tensor::scalar(1.0, DType::float32));
  }

  // Keras advances the momentum-schedule product once per step, before the updates.
  void before_updates(std::int64_t step, float) override {
    float* u = slot_data(u_product_);
    u[0] = u[0] * static_cast<float>(o_.beta_1) *
           (1.0f - 0.5f * std::pow(0.96f, static_cast<float>(step)));
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t step) override {
    float* m = slot_data(momentums_[index]);
    float* v = slot_data(velocities_[index]);
    const float b1 = static_cast<float>(o_.beta_1);
    const float b2 = static_cast<float>(o_.beta_2);
    const float eps = static_cast<float>(o_.epsilon);
    const float t = static_cast<float>(step);
    const float u_t = b1 * (1.0f - 0.5f * std::pow(0.96f, t));
    const float u_t_1 = b1 * (1.0f - 0.5f * std::pow(0.96f, t + 1));
    const float u_product_t = slot_data(u_product_)[0];
    const float u_product_t_1 = u_product_t * u_t_1;
    const float b2_power = std::pow(b2, t);
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      const float m_hat = u_t_1 * m[i] / (1 - u_product_t_1) + (1 - u_t) * g[i] / (1 - u_product_t);
      const float v_hat = v[i] / (1 - b2_power);
      w[i] -= m_hat * lr / (std::sqrt(v_hat) + eps);
    }
  }

 private:
  NadamOptions o_;
  std::vector<Variable> momentums_, velocities_;
  Variable u_product_;
};

}  // namespace

Optimizer Nadam(NadamOptions options) { return Optimizer(std::make_shared<NadamImpl>(options)); }

}  // namespace keras::optimizers
