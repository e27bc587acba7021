#include "keras/optimizers/sgd.hpp"

#include "optimizers/common.hpp"

namespace keras::optimizers {

namespace {

class SGDImpl : public OptimizerImpl {
 public:
  explicit SGDImpl(const SGDOptions& o)
      : OptimizerImpl("SGD", o.learning_rate, detail::common_options(o)), o_(o) {
    if (o.momentum < 0 || o.momentum > 1) throw Error("SGD: momentum must be in [0, 1].");
  }

  std::vector<std::pair<std::string, ConfigValue>> own_config() const override {
    return {{"momentum", o_.momentum}, {"nesterov", o_.nesterov}};
  }

 protected:
  void build_slots(const std::vector<Variable>& vars) override {
    if (o_.momentum == 0) return;
    for (const auto& v : vars) momentums_.push_back(add_slot("momentum", v));
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float lr, std::int64_t) override {
    if (o_.momentum == 0) {
#pragma omp simd
      for (std::int64_t i = begin; i < end; ++i) w[i] -= g[i] * lr;
      return;
    }
    float* m = slot_data(momentums_[index]);
    const float mu = static_cast<float>(o_.momentum);
    const bool nesterov = o_.nesterov;
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) {
      m[i] = m[i] * mu - g[i] * lr;
      w[i] += nesterov ? m[i] * mu - g[i] * lr : m[i];
    }
  }

 private:
  SGDOptions o_;
  std::vector<Variable> momentums_;
};

}  // namespace

Optimizer SGD(SGDOptions options) { return Optimizer(std::make_shared<SGDImpl>(options)); }

}  // namespace keras::optimizers
