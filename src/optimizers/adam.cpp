#include "keras/optimizers/adam.hpp"

#include "keras/optimizers/adamw.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <cmath>

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
void adam_rows(std::int64_t begin, std::int64_t end, const float* __restrict g, float* __restrict w,
               float* __restrict m, float* __restrict v, float* __restrict v_hat, float b1,
               float b2, float eps, float alpha) {
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

#if defined(__AVX512F__)
// The same update 16 values at a time, with 1 / (sqrt(v) + eps) from the
// 14-bit reciprocal (square root) estimates and one Newton step each: within
// 3 ulp of the divide, and 3.5x faster than vsqrtps + vdivps, which made Adam
// compute-bound (about 10% of an MLP training step).
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_ps(), which
// -Wmaybe-uninitialized reports once inlined (a GCC bug).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
template <bool kAmsgrad>
void adam_rows_avx512(std::int64_t begin, std::int64_t end, const float* __restrict g,
                      float* __restrict w, float* __restrict m, float* __restrict v,
                      float* __restrict v_hat, float b1, float b2, float eps, float alpha) {
  const __m512 one_minus_b1 = _mm512_set1_ps(1 - b1), one_minus_b2 = _mm512_set1_ps(1 - b2);
  const __m512 epsilon = _mm512_set1_ps(eps), step = _mm512_set1_ps(alpha);
  const __m512 half = _mm512_set1_ps(0.5f), three_halves = _mm512_set1_ps(1.5f),
               two = _mm512_set1_ps(2.0f), zero = _mm512_setzero_ps();
  std::int64_t i = begin;
  for (; i + 16 <= end; i += 16) {
    const __m512 gi = _mm512_loadu_ps(g + i);
    __m512 mi = _mm512_loadu_ps(m + i), vi = _mm512_loadu_ps(v + i);
    mi = _mm512_fmadd_ps(_mm512_sub_ps(gi, mi), one_minus_b1, mi);
    vi = _mm512_fmadd_ps(_mm512_fmsub_ps(gi, gi, vi), one_minus_b2, vi);
    _mm512_storeu_ps(m + i, mi);
    _mm512_storeu_ps(v + i, vi);
    __m512 den = vi;
    if constexpr (kAmsgrad) {
      den = _mm512_max_ps(_mm512_loadu_ps(v_hat + i), vi);
      _mm512_storeu_ps(v_hat + i, den);
    }
    // sqrt(den) = den / sqrt(den), and 0 for den == 0 (the estimate is inf).
    __m512 root = _mm512_rsqrt14_ps(den);
    root = _mm512_mul_ps(
        root, _mm512_fnmadd_ps(_mm512_mul_ps(half, den), _mm512_mul_ps(root, root), three_halves));
    const __mmask16 positive = _mm512_cmp_ps_mask(den, zero, _CMP_GT_OQ);
    const __m512 d = _mm512_add_ps(_mm512_maskz_mul_ps(positive, den, root), epsilon);
    __m512 inverse = _mm512_rcp14_ps(d);
    inverse = _mm512_mul_ps(inverse, _mm512_fnmadd_ps(d, inverse, two));
    const __m512 wi = _mm512_loadu_ps(w + i);
    _mm512_storeu_ps(w + i, _mm512_fnmadd_ps(_mm512_mul_ps(mi, step), inverse, wi));
  }
  adam_rows<kAmsgrad>(i, end, g, w, m, v, v_hat, b1, b2, eps, alpha);
}
#pragma GCC diagnostic pop
#endif

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

  void before_updates(std::int64_t step, float lr) override {
    const float b1_power = std::pow(static_cast<float>(rule_.beta_1), static_cast<float>(step));
    const float b2_power = std::pow(static_cast<float>(rule_.beta_2), static_cast<float>(step));
    alpha_ = lr * std::sqrt(1 - b2_power) / (1 - b1_power);
  }

  void update_step(std::size_t index, const float* g, float* w, std::int64_t begin,
                   std::int64_t end, float, std::int64_t) override {
    float* m = slot_data(momentums_[index]);
    float* v = slot_data(velocities_[index]);
    float* v_hat = rule_.amsgrad ? slot_data(velocity_hats_[index]) : nullptr;
    const float b1 = static_cast<float>(rule_.beta_1);
    const float b2 = static_cast<float>(rule_.beta_2);
    const float eps = static_cast<float>(rule_.epsilon);
#if defined(__AVX512F__)
    if (v_hat != nullptr) {
      adam_rows_avx512<true>(begin, end, g, w, m, v, v_hat, b1, b2, eps, alpha_);
    } else {
      adam_rows_avx512<false>(begin, end, g, w, m, v, nullptr, b1, b2, eps, alpha_);
    }
#else
    if (v_hat != nullptr) {
      adam_rows<true>(begin, end, g, w, m, v, v_hat, b1, b2, eps, alpha_);
    } else {
      adam_rows<false>(begin, end, g, w, m, v, nullptr, b1, b2, eps, alpha_);
    }
#endif
  }

 private:
  AdamRule rule_;
  float alpha_ = 0;  // the step size with both bias corrections, per step
  std::vector<Variable> momentums_, velocities_, velocity_hats_;
};

}  // namespace

Optimizer Adam(AdamOptions o) {
  return Optimizer(std::make_shared<AdamImpl>("Adam", o.learning_rate, detail::common_options(o),
                                              AdamRule{o.beta_1, o.beta_2, o.epsilon, o.amsgrad}));
}

Optimizer AdamW(AdamWOptions o) {
  if (!o.weight_decay) {
    throw Error("AdamW: weight_decay must be set (Keras' default is 0.004), got none.");
  }
  return Optimizer(std::make_shared<AdamImpl>("AdamW", o.learning_rate, detail::common_options(o),
                                              AdamRule{o.beta_1, o.beta_2, o.epsilon, o.amsgrad}));
}

}  // namespace keras::optimizers
