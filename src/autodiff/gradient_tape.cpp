// GradientTape: records ops (see autodiff/tape.hpp) and walks them backwards.
#include "keras/gradient_tape.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "autodiff/tape.hpp"
#include "keras/ops.hpp"
#include "ops/op_utils.hpp"

namespace keras {

namespace detail {

struct Record {
  std::vector<Tensor> inputs;  // held so that their ids cannot be reused
  std::vector<Tensor> outputs;
  autodiff::BackwardFn backward;
};

struct TapeState {
  std::vector<Tensor> watched;              // held so that their ids stay unique
  std::unordered_set<const void*> reached;  // watched ids and outputs of recorded ops
  std::vector<Record> records;
  bool recording = true;
  bool used = false;
};

}  // namespace detail

namespace autodiff::detail {
constinit thread_local int recording_tapes = 0;
}  // namespace autodiff::detail

namespace {

// The recording tapes of this thread, innermost last.
std::vector<detail::TapeState*>& active_tapes() {
  thread_local std::vector<detail::TapeState*> tapes;
  return tapes;
}

void stop_recording(detail::TapeState* state) {
  if (!state->recording) return;
  state->recording = false;
  auto& tapes = active_tapes();
  tapes.erase(std::remove(tapes.begin(), tapes.end(), state), tapes.end());
  autodiff::detail::recording_tapes = static_cast<int>(tapes.size());
}

}  // namespace

namespace autodiff {

void record(std::vector<Tensor> inputs, std::vector<Tensor> outputs, BackwardFn backward) {
  // An op that returned one of its inputs adds nothing to the graph.
  std::erase_if(outputs, [&](const Tensor& out) {
    return !out.defined() || std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& in) {
             return in.defined() && in.id() == out.id();
           });
  });
  if (outputs.empty()) return;
  auto& tapes = active_tapes();
  std::vector<keras::detail::TapeState*> targets;
  for (keras::detail::TapeState* tape : tapes) {
    const bool depends = std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& in) {
      return in.defined() && tape->reached.count(in.id()) > 0;
    });
    if (depends) targets.push_back(tape);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    keras::detail::TapeState* tape = targets[i];
    for (const Tensor& out : outputs) tape->reached.insert(out.id());
    if (i + 1 == targets.size()) {
      tape->records.push_back({std::move(inputs), std::move(outputs), std::move(backward)});
    } else {
      tape->records.push_back({inputs, outputs, backward});
    }
  }
}

std::size_t recorded_op_count() noexcept {
  const auto& tapes = active_tapes();
  return tapes.empty() ? 0 : tapes.back()->records.size();
}

}  // namespace autodiff

GradientTape::GradientTape() : state_(std::make_unique<detail::TapeState>()) {
  active_tapes().push_back(state_.get());
  autodiff::detail::recording_tapes = static_cast<int>(active_tapes().size());
}

GradientTape::~GradientTape() { stop_recording(state_.get()); }

void GradientTape::watch(const Tensor& tensor) {
  if (!tensor.defined()) throw Error("GradientTape.watch: the tensor is undefined.");
  state_->watched.push_back(tensor);
  state_->reached.insert(tensor.id());
}

void GradientTape::watch(const Variable& variable) {
  if (!variable.defined()) throw Error("GradientTape.watch: the variable is undefined.");
  watch(variable.value());
}

namespace {

// Adds g into the gradient kept for id (gradients of a tensor used twice sum).
void accumulate(std::unordered_map<const void*, Tensor>& grads, const void* id, Tensor g) {
  auto [it, inserted] = grads.try_emplace(id, g);
  if (!inserted) it->second = ops::add(it->second, g);
}

// A gradient computed in the broadcast shape of an op is summed down to the
// shape of the input it belongs to.
Tensor fit_to(const Tensor& grad, const Tensor& input) {
  Tensor g = ops::detail::sum_to_shape(grad, input.shape());
  if (g.dtype() != input.dtype()) g = g.astype(input.dtype());
  return g;
}

}  // namespace

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Tensor>& sources) {
  if (state_->used) {
    throw Error("GradientTape.gradient can only be called once on a tape; create a new tape "
                "for each gradient computation.");
  }
  if (!target.defined()) throw Error("GradientTape.gradient: the target is undefined.");
  if (!is_floating(target.dtype())) {
    throw Error("GradientTape.gradient: the target must be float32 or float64, got " +
                std::string(dtype_name(target.dtype())) + ".");
  }
  state_->used = true;
  stop_recording(state_.get());
  autodiff::PauseRecording pause;

  // Forward sweep: which tensors depend on a source, so that the backward
  // sweep skips ops (and op inputs) that cannot reach one.
  std::unordered_set<const void*> depends;
  for (const Tensor& s : sources) {
    if (!s.defined()) throw Error("GradientTape.gradient: a source is undefined.");
    // As in TensorFlow, only watched tensors (and what the tape computed from
    // them) have gradients; other sources get zeros.
    if (state_->reached.count(s.id()) > 0) depends.insert(s.id());
  }
  const auto& records = state_->records;
  std::vector<autodiff::Needs> needs(records.size());
  std::vector<bool> useful(records.size(), false);
  for (std::size_t r = 0; r < records.size(); ++r) {
    const auto& rec = records[r];
    needs[r].resize(rec.inputs.size());
    for (std::size_t i = 0; i < rec.inputs.size(); ++i) {
      const Tensor& in = rec.inputs[i];
      needs[r][i] = in.defined() && is_floating(in.dtype()) && depends.count(in.id()) > 0;
      if (needs[r][i]) useful[r] = true;
    }
    if (useful[r]) {
      for (const Tensor& out : rec.outputs) depends.insert(out.id());
    }
  }

  std::unordered_map<const void*, Tensor> grads;
  grads.emplace(target.id(), Tensor::ones(target.shape(), target.dtype()));
  std::unordered_set<const void*> source_ids;
  for (const Tensor& s : sources) source_ids.insert(s.id());

  for (std::size_t r = records.size(); r-- > 0;) {
    if (!useful[r]) continue;
    const auto& rec = records[r];
    bool any = false;
    autodiff::Grads output_grads(rec.outputs.size());
    for (std::size_t o = 0; o < rec.outputs.size(); ++o) {
      auto it = grads.find(rec.outputs[o].id());
      if (it != grads.end()) {
        output_grads[o] = it->second;
        any = true;
        // Done with it unless it is also a source.
        if (source_ids.count(rec.outputs[o].id()) == 0) grads.erase(it);
      }
    }
    if (!any) continue;
    for (std::size_t o = 0; o < rec.outputs.size(); ++o) {
      if (!output_grads[o].defined()) {
        output_grads[o] = Tensor::zeros(rec.outputs[o].shape(), rec.outputs[o].dtype());
      }
    }
    autodiff::Grads input_grads = rec.backward(output_grads, needs[r]);
    for (std::size_t i = 0; i < rec.inputs.size() && i < input_grads.size(); ++i) {
      if (!needs[r][i] || !input_grads[i].defined()) continue;
      accumulate(grads, rec.inputs[i].id(), fit_to(input_grads[i], rec.inputs[i]));
    }
  }

  // The tape is spent: free the intermediate tensors now rather than when it dies.
  state_->records.clear();
  state_->records.shrink_to_fit();
  state_->reached.clear();

  std::vector<Tensor> result;
  result.reserve(sources.size());
  for (const Tensor& s : sources) {
    auto it = grads.find(s.id());
    if (it != grads.end()) {
      result.push_back(it->second);
    } else {
      result.push_back(Tensor::zeros(s.shape(), is_floating(s.dtype()) ? s.dtype() : DType::float32));
    }
  }
  return result;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Variable>& sources) {
  std::vector<Tensor> values;
  values.reserve(sources.size());
  for (const Variable& v : sources) {
    if (!v.defined()) throw Error("GradientTape.gradient: a source variable is undefined.");
    values.push_back(v.value());
  }
  return gradient(target, values);
}

}  // namespace keras
