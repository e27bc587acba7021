// compile, fit, evaluate, train_on_batch and test_on_batch on keras::Model,
// with Keras 3's semantics (keras/src/trainers/trainer.py and the array data
// adapter): validation_split takes the last samples before shuffling, the
// last partial batch is used, the logged loss is the batch-size-weighted mean
// of the batch losses, metrics reset every epoch.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "backend/cpu/denormals.hpp"
#include "keras/callbacks.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "models/functional.hpp"
#include "training/data.hpp"
#include "training/progbar_logger.hpp"
#include "training/training_state.hpp"

namespace keras {

using training::TrainingState;

namespace {

// One batch of every array, reusing the buffers of the previous batch.
struct Batch {
  std::vector<Tensor> x, y;
  Tensor sample_weight;
};

// Scans in place: a copy of a large float data set would double fit's memory.
template <class T>
void check_finite_values(const T* p, std::int64_t n, const std::string& what) {
  for (std::int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) {
      throw Error(what + " holds a non-finite value (" + std::to_string(p[i]) +
                  ") at flat index " + std::to_string(i) + ".");
    }
  }
}

void check_finite(const Tensor& t, const std::string& what) {
  if (t.dtype() == DType::float32) check_finite_values(t.data<float>(), t.size(), what);
  if (t.dtype() == DType::float64) check_finite_values(t.data<double>(), t.size(), what);
}

// class_weight -> per-sample weights from the labels (integer or one-hot).
Tensor class_weights_to_sample_weights(const std::map<std::int64_t, double>& class_weight,
                                       const Tensor& y) {
  const std::int64_t n = y.shape()[0];
  std::vector<float> w(static_cast<std::size_t>(n));
  const bool one_hot = y.rank() >= 2 && y.shape()[-1] > 1;
  const Tensor labels = one_hot ? ops::argmax(y, -1) : y.reshape({n});
  const std::vector<std::int64_t> l = labels.to_vector<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) {
    auto it = class_weight.find(l[i]);
    if (it == class_weight.end()) {
      throw Error("class_weight has no entry for class " + std::to_string(l[i]) +
                  " (sample " + std::to_string(i) + ").");
    }
    w[i] = static_cast<float>(it->second);
  }
  return Tensor({n}, w);
}

}  // namespace

// ---- compile ----

void Model::compile(const CompileOptions& options) {
  auto state = std::make_shared<TrainingState>();
  state->options = options;
  state->optimizer = options.optimizer.defined() ? options.optimizer : optimizers::Optimizer("rmsprop");
  detail::FunctionalImpl& model = functional();
  const std::size_t n_out = model.graph().outputs.size();
  for (const auto& out : model.graph().outputs) state->output_names.push_back(out.layer().name());
  const auto& given = options.loss.losses;
  if (!given.empty() && given.size() != 1 && given.size() != n_out) {
    throw Error(impl().describe() + " has " + std::to_string(n_out) + " outputs, but " +
                std::to_string(given.size()) + " losses were given to compile.");
  }
  for (std::size_t i = 0; i < n_out && !given.empty(); ++i) {
    state->losses.push_back(given.size() == 1 ? given[0] : given[i]);
  }
  state->loss_weights = options.loss_weights;
  if (state->loss_weights.empty()) state->loss_weights.assign(n_out, 1.0);
  if (state->loss_weights.size() != n_out) {
    throw Error(impl().describe() + " has " + std::to_string(n_out) + " outputs, but " +
                std::to_string(options.loss_weights.size()) + " loss_weights were given.");
  }
  state->metrics =
      training::CompileMetrics(options.metrics, state->output_names, impl().describe());
  // compile_config keeps a dict of metrics as the lists it makes, which Keras
  // reads the same way.
  if (options.metrics.is_by_output_name && !state->metrics.per_output().empty()) {
    state->options.metrics = MetricList::per_output(state->metrics.per_output());
  }
  model.training = state;
}

training::TrainingState& Model::training_state() const {
  auto& state = functional().training;
  if (!state) {
    throw Error("You must call compile() on " + impl().describe() +
                " before fit, evaluate, train_on_batch or test_on_batch.");
  }
  return *state;
}

optimizers::Optimizer Model::optimizer() const { return training_state().optimizer; }
bool Model::stop_training() const { return training_state().stop_training; }
void Model::set_stop_training(bool stop) const { training_state().stop_training = stop; }

// ---- the steps ----

namespace {

// Resolves "accuracy", "crossentropy" and friends once the shapes are known.
void resolve(TrainingState& state, const std::vector<Tensor>& out) {
  if (state.resolved) return;
  const std::size_t n_out = out.size();
  if (state.losses.empty()) {
    throw Error("No loss to compute: compile() was called without a loss.");
  }
  // Keras builds its CompileMetrics here, when the first batch arrives; an
  // "accuracy" metric resolves itself on the shapes of its first update.
  state.metrics.check();
  state.output_loss_trackers.assign(n_out > 1 ? n_out : 0, {});
  state.resolved = true;
}

struct StepResult {
  Tensor total_loss;
  const std::vector<Tensor>* output_losses = nullptr;  // one per output
};

// What every step of one fit uses: the trainable variables, their
// constraints, whether any weight is regularized (each a walk over the layers).
void gather_step_state(const LayerImpl& model, TrainingState::StepScratch& step) {
  step.variables = model.trainable_weights();
  step.constraints = model.weight_constraints();
  step.regularized = !model.regularization_losses().empty();
  step.gathered = true;
}

// Keras' compute_loss: the compiled losses, then every additional loss (the
// layers' add_loss and activity penalties collected during the forward pass,
// then the weights' regularization penalties), each summed to a scalar.
StepResult compute_loss(TrainingState& state, const std::vector<Tensor>& y,
                        const detail::FunctionalImpl::Result& result, const Tensor& sample_weight,
                        const LossCollector& collected, const LayerImpl& model,
                        TrainingState::StepScratch& step) {
  StepResult r;
  step.output_losses.clear();
  r.output_losses = &step.output_losses;
  for (std::size_t i = 0; i < result.outputs.size(); ++i) {
    const Tensor mask = result.masks.size() > i && result.masks[i] ? *result.masks[i] : Tensor();
    Tensor l = state.losses[i](y[i], result.outputs[i], sample_weight, mask);
    step.output_losses.push_back(l);
    Tensor weighted = state.loss_weights[i] == 1.0 ? l : ops::multiply(l, state.loss_weights[i]);
    r.total_loss = r.total_loss.defined() ? ops::add(r.total_loss, weighted) : weighted;
  }
  auto add_extra = [&](const Tensor& loss) {
    Tensor l = ops::sum(is_floating(loss.dtype()) ? loss : ops::cast(loss, DType::float32));
    if (r.total_loss.defined() && l.dtype() != r.total_loss.dtype()) {
      l = ops::cast(l, r.total_loss.dtype());
    }
    r.total_loss = r.total_loss.defined() ? ops::add(r.total_loss, l) : l;
  };
  for (const Tensor& loss : collected.losses()) add_extra(loss);
  if (!step.gathered || step.regularized) {
    for (const Tensor& loss : model.regularization_losses()) add_extra(loss);
  }
  return r;
}

// Keras' optimizer applies each variable's constraint right after its update.
void apply_constraints(const TrainingState::StepScratch& step) {
  for (const auto& [variable, constraint] : step.constraints) {
    for (const Variable& v : step.variables) {
      if (v.id() != variable.id()) continue;
      Variable target = v;
      target.assign(constraint(v.value()));
    }
  }
}

void update_metrics(TrainingState& state, const std::vector<Tensor>& y,
                    const detail::FunctionalImpl::Result& result, const StepResult& losses,
                    std::int64_t batch_size) {
  const double b = static_cast<double>(batch_size);
  state.loss_tracker.add(losses.total_loss.item<double>(), b);
  for (std::size_t i = 0; i < state.output_loss_trackers.size(); ++i) {
    state.output_loss_trackers[i].add((*losses.output_losses)[i].item<double>(), b);
  }
  state.metrics.update_state(y, result.outputs, result.masks);
}

void reset_metrics(TrainingState& state) {
  state.loss_tracker.reset();
  for (auto& t : state.output_loss_trackers) t.reset();
  state.metrics.reset_state();
}

// Sets the logs' entries (Keras' logs after each batch and epoch), each
// name with the prefix ("val_" for validation).
void write_logs(const TrainingState& state, callbacks::Logs& logs, const std::string& prefix = "") {
  logs[prefix + "loss"] = state.loss_tracker.result();
  for (std::size_t i = 0; i < state.output_loss_trackers.size(); ++i) {
    logs[prefix + state.output_names[i] + "_loss"] = state.output_loss_trackers[i].result();
  }
  state.metrics.write_results(logs, prefix);
}

callbacks::Logs current_logs(const TrainingState& state) {
  callbacks::Logs logs;
  write_logs(state, logs);
  return logs;
}

// evaluate's list as Keras' _flatten_metrics_in_order makes it from the
// names of model.metrics: the loss, the compile metrics' own names, the
// outputs' losses; then every other key of the logs, sorted.
std::vector<double> ordered_results(const TrainingState& state) {
  std::vector<std::string> names{"loss"};
  const auto& metric_names = state.metrics.metric_names();
  names.insert(names.end(), metric_names.begin(), metric_names.end());
  for (std::size_t i = 0; i < state.output_loss_trackers.size(); ++i) {
    names.push_back(state.output_names[i] + "_loss");
  }
  return training::flatten_in_order(current_logs(state), names);
}

}  // namespace

void Model::train_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                       const Tensor& sample_weight) const {
  // Keras' backends compute with subnormals flushed; see denormals.hpp.
  backend::cpu::FlushDenormalsOnWorkers workers_flush;
  backend::cpu::FlushDenormals flush;
  TrainingState& state = training_state();
  detail::FunctionalImpl& model = functional();
  TrainingState::StepScratch& step = state.step;
  if (!step.gathered) gather_step_state(model, step);
  model.standardize_inputs(x, step.inputs);
  StepResult losses;
  {
    GradientTape tape;
    for (const auto& v : step.variables) tape.watch(v);
    LossCollector collected;
    model.run(step.inputs, {}, true, step.result);
    resolve(state, step.result.outputs);
    losses = compute_loss(state, y, step.result, sample_weight, collected, model, step);
    tape.gradient(losses.total_loss, step.variables, step.grads);
  }
  state.optimizer.apply(step.grads, step.variables);
  apply_constraints(step);
  if (!model.optimizer_variables) {
    optimizers::Optimizer opt = state.optimizer;
    model.optimizer_variables = [opt] { return opt.variables(); };
  }
  update_metrics(state, y, step.result, losses, x[0].shape()[0]);
}

void Model::test_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                      const Tensor& sample_weight) const {
  backend::cpu::FlushDenormalsOnWorkers workers_flush;
  backend::cpu::FlushDenormals flush;
  TrainingState& state = training_state();
  detail::FunctionalImpl& model = functional();
  const std::vector<Tensor> inputs = model.standardize_inputs(x);
  LossCollector collected;
  detail::FunctionalImpl::Result result = model.run(inputs, {}, false);
  resolve(state, result.outputs);
  StepResult losses = compute_loss(state, y, result, sample_weight, collected, model, state.step);
  update_metrics(state, y, result, losses, x[0].shape()[0]);
}

// ---- fit / evaluate ----

namespace {

void check_arity(const Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                 const std::string& what) {
  if (x.size() != model.inputs().size()) {
    throw Error(what + ": " + model.impl().describe() + " has " +
                std::to_string(model.inputs().size()) + " inputs, got " +
                std::to_string(x.size()) + " arrays for x.");
  }
  if (y.size() != model.outputs().size()) {
    throw Error(what + ": " + model.impl().describe() + " has " +
                std::to_string(model.outputs().size()) + " outputs, got " +
                std::to_string(y.size()) + " arrays for y.");
  }
}

std::vector<Tensor> rows(const std::vector<Tensor>& arrays, std::int64_t begin, std::int64_t end) {
  std::vector<Tensor> out;
  for (const auto& a : arrays) out.push_back(a.slice_rows(begin, end));
  return out;
}

}  // namespace

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& options) const {
  return fit(std::vector<Tensor>{x}, std::vector<Tensor>{y}, options);
}

History Model::fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                   const FitOptions& o) const {
  TrainingState& state = training_state();
  check_arity(*this, x, y, "fit");
  // Switched once for the whole fit rather than at every step.
  backend::cpu::FlushDenormalsOnWorkers workers_flush;
  if (o.batch_size <= 0) throw Error("fit: batch_size must be positive.");
  state.step.gathered = false;
  const std::int64_t n = training::num_samples({x, y, {o.sample_weight}},
                                               {"x", "y", "sample_weight"});
  for (std::size_t i = 0; i < x.size(); ++i) check_finite(x[i], "fit: x[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < y.size(); ++i) check_finite(y[i], "fit: y[" + std::to_string(i) + "]");

  // Validation data: given, or the last fraction before any shuffling.
  std::vector<Tensor> x_train = x, y_train = y, x_val, y_val;
  Tensor sw_train = o.sample_weight, sw_val;
  std::int64_t n_train = n;
  if (o.validation_data) {
    x_val = {o.validation_data->first};
    y_val = {o.validation_data->second};
    check_arity(*this, x_val, y_val, "fit(validation_data)");
    training::num_samples({x_val, y_val}, {"validation x", "validation y"});
  } else if (o.validation_split > 0.0) {
    n_train = training::validation_split_at(n, o.validation_split);
    x_train = rows(x, 0, n_train);
    y_train = rows(y, 0, n_train);
    x_val = rows(x, n_train, n);
    y_val = rows(y, n_train, n);
    if (o.sample_weight.defined()) {
      sw_train = o.sample_weight.slice_rows(0, n_train);
      sw_val = o.sample_weight.slice_rows(n_train, n);
    }
  }
  if (!o.class_weight.empty()) {
    if (y_train.size() != 1) throw Error("fit: class_weight needs a model with one output.");
    Tensor cw = class_weights_to_sample_weights(o.class_weight, y_train[0]);
    sw_train = sw_train.defined() ? ops::multiply(sw_train.astype(DType::float32), cw) : cw;
  }
  const std::int64_t steps = (n_train + o.batch_size - 1) / o.batch_size;

  // Callbacks: the user's, then History, then the progress bar (Keras' order).
  Model self = *this;
  auto history = std::make_shared<History>();
  std::vector<std::shared_ptr<callbacks::Callback>> list;
  for (const auto& c : o.callbacks) list.push_back(c.ptr());
  list.push_back(history);
  if (o.verbose > 0) list.push_back(std::make_shared<training::ProgbarLogger>());
  const callbacks::Params params{o.verbose, o.epochs, steps};
  for (auto& c : list) {
    c->set_model(&self);
    c->set_params(params);
  }
  state.stop_training = false;
  callbacks::Logs logs;
  for (auto& c : list) c->on_train_begin(logs);

  std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
  Batch batch;
  for (int epoch = o.initial_epoch; epoch < o.epochs; ++epoch) {
    reset_metrics(state);
    callbacks::Logs epoch_logs;
    for (auto& c : list) c->on_epoch_begin(epoch, epoch_logs);
    std::iota(order.begin(), order.end(), 0);
    if (o.shuffle) std::shuffle(order.begin(), order.end(), utils::random_generator());
    // One map for every batch's end: once it holds the keys, updating it
    // allocates nothing. Batches begin with empty logs, as in Keras.
    callbacks::Logs batch_logs, begin_logs;
    for (std::int64_t step = 0; step < steps; ++step) {
      begin_logs.clear();
      for (auto& c : list) c->on_train_batch_begin(step, begin_logs);
      const std::int64_t begin = step * o.batch_size;
      const std::int64_t end = std::min(n_train, begin + o.batch_size);
      batch.x.resize(x_train.size());
      batch.y.resize(y_train.size());
      for (std::size_t i = 0; i < x_train.size(); ++i) {
        training::gather_rows(x_train[i], order, begin, end, batch.x[i]);
      }
      for (std::size_t i = 0; i < y_train.size(); ++i) {
        training::gather_rows(y_train[i], order, begin, end, batch.y[i]);
      }
      Tensor sw;
      if (sw_train.defined()) {
        training::gather_rows(sw_train, order, begin, end, batch.sample_weight);
        sw = batch.sample_weight;
      }
      train_step(batch.x, batch.y, sw);
      write_logs(state, batch_logs);
      for (auto& c : list) c->on_train_batch_end(step, batch_logs);
      if (state.stop_training) break;
    }
    epoch_logs = current_logs(state);
    const bool validate = !x_val.empty() && (epoch + 1) % std::max(1, o.validation_freq) == 0;
    if (validate) {
      const std::int64_t vb = o.validation_batch_size > 0 ? o.validation_batch_size : o.batch_size;
      reset_metrics(state);
      const std::int64_t nv = x_val[0].shape()[0];
      for (std::int64_t begin = 0; begin < nv; begin += vb) {
        const std::int64_t end = std::min(nv, begin + vb);
        test_step(rows(x_val, begin, end), rows(y_val, begin, end),
                  sw_val.defined() ? sw_val.slice_rows(begin, end) : Tensor());
      }
      write_logs(state, epoch_logs, "val_");
    }
    for (auto& c : list) c->on_epoch_end(epoch, epoch_logs);
    if (state.stop_training) break;
  }
  for (auto& c : list) c->on_train_end(logs);
  for (auto& c : list) c->set_model(nullptr);
  return *history;
}

std::vector<double> Model::evaluate(const Tensor& x, const Tensor& y,
                                    const EvaluateOptions& options) const {
  return evaluate(std::vector<Tensor>{x}, std::vector<Tensor>{y}, options);
}

std::vector<double> Model::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                    const EvaluateOptions& o) const {
  TrainingState& state = training_state();
  check_arity(*this, x, y, "evaluate");
  backend::cpu::FlushDenormalsOnWorkers workers_flush;
  if (o.batch_size <= 0) throw Error("evaluate: batch_size must be positive.");
  const std::int64_t n = training::num_samples({x, y, {o.sample_weight}},
                                               {"x", "y", "sample_weight"});
  const std::int64_t steps = (n + o.batch_size - 1) / o.batch_size;
  Model self = *this;
  std::vector<std::shared_ptr<callbacks::Callback>> list;
  for (const auto& c : o.callbacks) list.push_back(c.ptr());
  if (o.verbose > 0) list.push_back(std::make_shared<training::ProgbarLogger>());
  for (auto& c : list) {
    c->set_model(&self);
    c->set_params({o.verbose, 1, steps});
  }
  callbacks::Logs logs;
  for (auto& c : list) c->on_test_begin(logs);
  reset_metrics(state);
  for (std::int64_t step = 0; step < steps; ++step) {
    const std::int64_t begin = step * o.batch_size;
    const std::int64_t end = std::min(n, begin + o.batch_size);
    callbacks::Logs batch_logs;
    for (auto& c : list) c->on_test_batch_begin(step, batch_logs);
    test_step(rows(x, begin, end), rows(y, begin, end),
              o.sample_weight.defined() ? o.sample_weight.slice_rows(begin, end) : Tensor());
    batch_logs = current_logs(state);
    for (auto& c : list) c->on_test_batch_end(step, batch_logs);
  }
  logs = current_logs(state);
  for (auto& c : list) c->on_test_end(logs);
  for (auto& c : list) c->set_model(nullptr);
  return ordered_results(state);
}

std::vector<double> Model::train_on_batch(const std::vector<Tensor>& x,
                                          const std::vector<Tensor>& y,
                                          const Tensor& sample_weight) const {
  TrainingState& state = training_state();
  check_arity(*this, x, y, "train_on_batch");
  training::num_samples({x, y, {sample_weight}}, {"x", "y", "sample_weight"});
  reset_metrics(state);
  state.step.gathered = false;
  train_step(x, y, sample_weight);
  return ordered_results(state);
}

std::vector<double> Model::test_on_batch(const std::vector<Tensor>& x,
                                         const std::vector<Tensor>& y,
                                         const Tensor& sample_weight) const {
  TrainingState& state = training_state();
  check_arity(*this, x, y, "test_on_batch");
  training::num_samples({x, y, {sample_weight}}, {"x", "y", "sample_weight"});
  reset_metrics(state);
  test_step(x, y, sample_weight);
  return ordered_results(state);
}

}  // namespace keras
