#include "keras/optimizers/adamax.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class AdamaxImpl : public OptimizerImpl {
 public:
  explicit AdamaxImpl(const AdamaxOptions& o)
      : OptimizerImpl("Adamax", o.learning_rate, detail::common_options(o)), o_(o) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"beta_1", o_.beta_1}, {"beta_2", o_.beta_2}, {"epsilon", o_.epsilon}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) {
      m_.push_back(add_slot("momentum", v));
      u_.push_back(add_slot("norm", v));
    }
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t step) override {
    float* m = slot_data(m_[index]);
    float* u = slot_data(u_[index]);
    const float b1 = static_cast<float>(o_.beta_1);
    const float b2 = static_cast<float>(o_.beta_2);
    const float eps = static_cast<float>(o_.epsilon);
    const float b1_power = std::pow(b1, static_cast<float>(step));
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      u[i] = std::max(b2 * u[i], std::fabs(g[i]));
      w[i] -= lr * m[i] / ((1 - b1_power) * (u[i] + eps));
    }
  }

 private:
  AdamaxOptions o_;
  std::vector<Variable> m_, u_;
};

}  // namespace

Optimizer Adamax(AdamaxOptions options) { return Optimizer(std::make_shared<AdamaxImpl>(options)); }

}  // namespace keras::optimizers
