#include "keras/optimizers/lion.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class LionImpl : public OptimizerImpl {
 public:
  explicit LionImpl(const LionOptions& o)
      : OptimizerImpl("Lion", o.learning_rate, detail::common_options(o)), o_(o) {
    if (o.beta_1 <= 0 || o.beta_1 > 1) {
      throw Error("Lion: beta_1 must be in (0, 1], got " + std::to_string(o.beta_1) + ".");
    }
  }

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"beta_1", o_.beta_1}, {"beta_2", o_.beta_2}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) momentums_.push_back(add_slot("momentum", v));
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t) override {
    float* m = slot_data(momentums_[index]);
    const float b1 = static_cast<float>(o_.beta_1);
    const float b2 = static_cast<float>(o_.beta_2);
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      const float c = m[i] * b1 + g[i] * (1 - b1);
      w[i] -= lr * static_cast<float>((c > 0) - (c < 0));
      m[i] = m[i] * b2 + g[i] * (1 - b2);
    }
  }

 private:
  LionOptions o_;
  std::vector<Variable> momentums_;
};

}  // namespace

Optimizer Lion(LionOptions options) { return Optimizer(std::make_shared<LionImpl>(options)); }

}  // namespace keras::optimizers
