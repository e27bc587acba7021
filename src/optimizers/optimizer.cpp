#include "keras/optimizers/optimizer.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "keras/optimizers/schedules.hpp"
#include "keras/utils.hpp"
#include "optimizers/common.hpp"

namespace keras::optimizers {

OptimizerImpl::OptimizerImpl(std::string class_name, LearningRate learning_rate,
                             CommonOptions common)
    : class_name_(std::move(class_name)),
      name_(common.name.empty() ? backend::unique_object_name(class_name_) : common.name),
      learning_rate_(std::move(learning_rate)),
      common_(std::move(common)) {
  const int clips = common_.clipnorm.has_value() + common_.clipvalue.has_value() +
                    common_.global_clipnorm.has_value();
  if (clips > 1) {
    throw Error(class_name_ +
                ": only one of clipnorm, clipvalue and global_clipnorm can be set.");
  }
  iterations_ = Variable("iteration", Tensor::zeros({}, DType::int64), false);
  iterations_.set_path(name_ + "/iteration");
  if (!learning_rate_.is_schedule()) {
    // Keras keeps the rate in a float32 variable, so 0.001 is 0.0010000000474974513.
    learning_rate_variable_ =
        Variable("learning_rate", Tensor::scalar(learning_rate_.value(), DType::float32), false);
    learning_rate_variable_.set_path(name_ + "/learning_rate");
  }
}

OptimizerImpl::~OptimizerImpl() = default;

std::int64_t OptimizerImpl::iterations() const {
  return iterations_.value().item<std::int64_t>();
}

double OptimizerImpl::current_learning_rate() const {
  if (learning_rate_.is_schedule()) {
    return static_cast<float>((*learning_rate_.schedule())(iterations()));
  }
  return learning_rate_variable_.value().item<float>();
}

void OptimizerImpl::set_learning_rate(double value) {
  if (learning_rate_.is_schedule()) {
    throw Error(class_name_ + " \"" + name_ +
                "\": its learning rate is a schedule and cannot be set to a number.");
  }
  learning_rate_variable_.assign(Tensor::scalar(value, DType::float32));
}

std::vector<Variable> OptimizerImpl::variables() const {
  std::vector<Variable> out{iterations_};
  if (learning_rate_variable_.defined()) out.push_back(learning_rate_variable_);
  out.insert(out.end(), slots_.begin(), slots_.end());
  return out;
}

Variable OptimizerImpl::add_slot(const std::string& slot, const Variable& like,
                                 double init_value) {
  return add_variable(like.name() + "_" + slot,
                      Tensor::full(like.shape(), init_value, like.dtype()));
}

Variable OptimizerImpl::add_variable(const std::string& name, Tensor value) {
  Variable v(name, std::move(value), false);
  v.set_path(name_ + "/" + name);
  slots_.push_back(v);
  return v;
}

float* OptimizerImpl::slot_data(const Variable& slot) const {
  return const_cast<Tensor&>(slot.value()).data<float>();
}

void OptimizerImpl::build(const std::vector<Variable>& trainable_variables) {
  if (built_) return;
  for (const auto& v : trainable_variables) {
    if (v.dtype() != DType::float32) {
      throw Error(class_name_ + " \"" + name_ + "\": variable \"" + v.path() + "\" is " +
                  std::string(dtype_name(v.dtype())) + "; optimizers update float32 variables.");
    }
  }
  build_slots(trainable_variables);
  built_ = true;
}

namespace {

double squared_norm(const Tensor& g) {
  const float* p = g.data<float>();
  const std::int64_t n = g.size();
  double sum = 0.0;
#pragma omp parallel for simd reduction(+ : sum) if (n > 65536)
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(p[i]) * p[i];
  return sum;
}

void scale(Tensor& g, float factor) {
  float* p = g.data<float>();
  const std::int64_t n = g.size();
#pragma omp parallel for simd if (n > 65536)
  for (std::int64_t i = 0; i < n; ++i) p[i] *= factor;
}

}  // namespace

void OptimizerImpl::clip(std::vector<Tensor>& gradients) const {
  if (common_.clipnorm && *common_.clipnorm > 0) {
    const double c = *common_.clipnorm;
    for (auto& g : gradients) {
      const double norm = std::sqrt(squared_norm(g));
      if (norm > c) scale(g, static_cast<float>(c / norm));
    }
  } else if (common_.global_clipnorm && *common_.global_clipnorm > 0) {
    const double c = *common_.global_clipnorm;
    double total = 0.0;
    for (const auto& g : gradients) total += squared_norm(g);
    const double norm = std::sqrt(total);
    // A non-finite norm makes every gradient NaN, as in Keras.
    const double factor = std::isfinite(norm) ? c * std::min(1.0 / norm, 1.0 / c)
                                              : std::numeric_limits<double>::quiet_NaN();
    if (factor != 1.0) {
      for (auto& g : gradients) scale(g, static_cast<float>(factor));
    }
  } else if (common_.clipvalue && *common_.clipvalue > 0) {
    const float v = static_cast<float>(*common_.clipvalue);
    for (auto& g : gradients) {
      float* p = g.data<float>();
      for (std::int64_t i = 0; i < g.size(); ++i) p[i] = std::min(std::max(p[i], -v), v);
    }
  }
}

void OptimizerImpl::apply_weight_decay(const std::vector<Variable>& variables, float lr) const {
  if (!common_.weight_decay) return;
  const float wd = static_cast<float>(*common_.weight_decay);
  for (const auto& v : variables) {
    float* p = const_cast<Tensor&>(v.value()).data<float>();
    const std::int64_t n = v.value().size();
    for (std::int64_t i = 0; i < n; ++i) p[i] = p[i] - p[i] * wd * lr;
  }
}

// All variables' updates in one parallel region, in chunks handed to the
// threads as they free up: one fork/join per step instead of one per
// variable, and a thread slowed by the machine takes fewer chunks.
void OptimizerImpl::update_all(const std::vector<Variable>& variables, float lr,
                               std::int64_t step) {
  constexpr std::int64_t kChunk = 8192;
  chunks_.clear();
  std::int64_t total = 0;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const std::int64_t n = grads_[i].size();
    for (std::int64_t begin = 0; begin < n; begin += kChunk) {
      chunks_.push_back({i, begin, std::min(n, begin + kChunk)});
    }
    total += n;
  }
  const auto count = static_cast<std::int64_t>(chunks_.size());
  const auto run = [&](std::int64_t c) {
    const Chunk& k = chunks_[static_cast<std::size_t>(c)];
    float* w = const_cast<Tensor&>(variables[k.index].value()).data<float>();
    update_step(k.index, grads_[k.index].data<float>(), w, k.begin, k.end, lr, step);
  };
  if (total < detail::kParallelThreshold || omp_in_parallel()) {
    for (std::int64_t c = 0; c < count; ++c) run(c);
    return;
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t c = 0; c < count; ++c) run(c);
}

void OptimizerImpl::apply(const std::vector<Tensor>& gradients,
                          const std::vector<Variable>& variables) {
  if (gradients.size() != variables.size()) {
    throw Error(class_name_ + " \"" + name_ + "\": got " + std::to_string(gradients.size()) +
                " gradients for " + std::to_string(variables.size()) + " variables.");
  }
  build(variables);
  std::vector<Tensor>& grads = grads_;
  grads.clear();
  for (std::size_t i = 0; i < gradients.size(); ++i) {
    if (gradients[i].shape() != variables[i].shape()) {
      throw Error(class_name_ + " \"" + name_ + "\": the gradient for \"" + variables[i].path() +
                  "\" has shape " + gradients[i].shape().to_string() + ", the variable " +
                  variables[i].shape().to_string() + ".");
    }
    const bool needs_copy = (common_.clipnorm || common_.global_clipnorm || common_.clipvalue) ||
                            gradients[i].dtype() != DType::float32;
    grads.push_back(needs_copy ? gradients[i].astype(DType::float32) : gradients[i]);
  }
  clip(grads);
  const float lr = static_cast<float>(current_learning_rate());
  apply_weight_decay(variables, lr);
  const std::int64_t step = iterations() + 1;
  before_updates(step, lr);
  update_all(variables, lr, step);
  const_cast<Tensor&>(iterations_.value()).data<std::int64_t>()[0] = step;
  grads.clear();  // the gradients' memory goes back to the pool now
}

OptimizerImpl& Optimizer::impl() const {
  if (!impl_) throw Error("Use of an empty Optimizer handle.");
  return *impl_;
}

std::vector<std::pair<std::string, OptimizerImpl::ConfigValue>> OptimizerImpl::own_config() const {
  throw Error(class_name_ + " \"" + name_ + "\" cannot be saved yet: it has no config writer.");
}

Optimizer::Optimizer(const char* name) : Optimizer(get(name)) {}
Optimizer::Optimizer(const std::string& name) : Optimizer(get(name)) {}

}  // namespace keras::optimizers
