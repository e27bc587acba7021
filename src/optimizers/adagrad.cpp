#include "keras/optimizers/adagrad.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class AdagradImpl : public OptimizerImpl {
 public:
  explicit AdagradImpl(const AdagradOptions& o)
      : OptimizerImpl("Adagrad", o.learning_rate, detail::common_options(o)), o_(o) {}

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"initial_accumulator_value", o_.initial_accumulator_value}, {"epsilon", o_.epsilon}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    for (const auto& v : vars) {
      accumulators_.push_back(add_slot("accumulator", v, o_.initial_accumulator_value));
    }
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t) override {
    float* acc = slot_data(accumulators_[index]);
    const float eps = static_cast<float>(o_.epsilon);
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      acc[i] += g[i] * g[i];
      w[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
    }
  }

 private:
  AdagradOptions o_;
  std::vector<Variable> accumulators_;
};

}  // namespace

Optimizer Adagrad(AdagradOptions options) {
  return Optimizer(std::make_shared<AdagradImpl>(options));
}

}  // namespace keras::optimizers
