// GradientTape: records ops (see autodiff/tape.hpp) and walks them backwards.
#include "keras/gradient_tape.hpp"

#include <algorithm>
#include <memory>

#include "autodiff/pointer_table.hpp"
#include "autodiff/tape.hpp"
#include "keras/ops.hpp"
#include "ops/op_utils.hpp"

namespace keras {

namespace detail {

struct Record {
  autodiff::TensorList inputs;  // held so that their ids cannot be reused
  autodiff::TensorList outputs;
  autodiff::BackwardFn backward;
};

// A tape's state. States are kept per thread and reused (cleared, capacity
// kept), so that a training step, which makes one tape, allocates nothing
// for its bookkeeping once warm.
struct TapeState {
  std::vector<Tensor> watched;                // held so that their ids stay unique
  autodiff::PointerTable<char> reached;       // watched ids and outputs of recorded ops
  std::vector<Record> records;
  bool recording = true;
  bool used = false;
  // gradient()'s working memory.
  autodiff::PointerTable<char> depends, source_ids;
  autodiff::PointerTable<Tensor> grads;       // an undefined value: none (any more)
  std::vector<autodiff::Needs> needs;
  std::vector<char> useful;

  void reset() {
    watched.clear();
    reached.clear();
    records.clear();
    recording = true;
    used = false;
    depends.clear();
    source_ids.clear();
    grads.clear();
    useful.clear();
  }
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

// Spent tape states of this thread, ready for the next tape.
std::vector<std::unique_ptr<detail::TapeState>>& spare_states() {
  thread_local std::vector<std::unique_ptr<detail::TapeState>> spares;
  return spares;
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

void record(TensorList inputs, TensorList outputs, BackwardFn backward) {
  // An op that returned one of its inputs adds nothing to the graph.
  std::erase_if(outputs, [&](const Tensor& out) {
    return !out.defined() || std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& in) {
             return in.defined() && in.id() == out.id();
           });
  });
  if (outputs.empty()) return;
  auto& tapes = active_tapes();
  // The tapes that record the op (an input depends on what they watch); the
  // last of them takes the lists, the others copies.
  const auto depends = [&](keras::detail::TapeState* tape) {
    return std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& in) {
      return in.defined() && tape->reached.contains(in.id());
    });
  };
  keras::detail::TapeState* last = nullptr;
  for (keras::detail::TapeState* tape : tapes) {
    if (!depends(tape)) continue;
    if (last != nullptr) last->records.push_back({inputs, outputs, backward});
    last = tape;
  }
  if (last == nullptr) return;
  for (keras::detail::TapeState* tape : tapes) {
    if (tape != last && !depends(tape)) continue;
    for (const Tensor& out : outputs) tape->reached.insert(out.id());
  }
  last->records.push_back({std::move(inputs), std::move(outputs), std::move(backward)});
}

std::size_t recorded_op_count() noexcept {
  const auto& tapes = active_tapes();
  return tapes.empty() ? 0 : tapes.back()->records.size();
}

}  // namespace autodiff

GradientTape::GradientTape() {
  auto& spares = spare_states();
  if (spares.empty()) {
    state_ = std::make_unique<detail::TapeState>();
  } else {
    state_ = std::move(spares.back());
    spares.pop_back();
  }
  active_tapes().push_back(state_.get());
  autodiff::detail::recording_tapes = static_cast<int>(active_tapes().size());
}

GradientTape::~GradientTape() {
  stop_recording(state_.get());
  state_->reset();
  // A few spares cover nested tapes; more would only pin memory.
  auto& spares = spare_states();
  if (spares.size() < 4) spares.push_back(std::move(state_));
}

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
void accumulate(autodiff::PointerTable<Tensor>& grads, const void* id, Tensor g) {
  Tensor& kept = grads[id];
  kept = kept.defined() ? ops::add(kept, g) : std::move(g);
}

// A gradient computed in the broadcast shape of an op is summed down to the
// shape of the input it belongs to.
Tensor fit_to(const Tensor& grad, const Tensor& input) {
  Tensor g = ops::detail::sum_to_shape(grad, input.shape());
  if (g.dtype() != input.dtype()) g = g.astype(input.dtype());
  return g;
}

// Which inputs of each record need a gradient (they depend on a source), and
// which records are useful at all, so that the backward sweep skips ops that
// cannot reach a source.
void mark_dependencies(detail::TapeState& st, const Tensor* sources, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const Tensor& s = sources[i];
    if (!s.defined()) throw Error("GradientTape.gradient: a source is undefined.");
    // As in TensorFlow, only watched tensors (and what the tape computed from
    // them) have gradients; other sources get zeros.
    if (st.reached.contains(s.id())) st.depends.insert(s.id());
    st.source_ids.insert(s.id());
  }
  const auto& records = st.records;
  if (st.needs.size() < records.size()) st.needs.resize(records.size());
  st.useful.assign(records.size(), 0);
  for (std::size_t r = 0; r < records.size(); ++r) {
    const auto& rec = records[r];
    autodiff::Needs& needs = st.needs[r];
    needs.assign(rec.inputs.size(), false);
    for (std::size_t i = 0; i < rec.inputs.size(); ++i) {
      const Tensor& in = rec.inputs[i];
      needs[i] = in.defined() && is_floating(in.dtype()) && st.depends.contains(in.id());
      if (needs[i]) st.useful[r] = 1;
    }
    if (st.useful[r]) {
      for (const Tensor& out : rec.outputs) st.depends.insert(out.id());
    }
  }
}

// Runs record r's backward if the target depends on one of its outputs.
void backward_through(detail::TapeState& st, std::size_t r) {
  const auto& rec = st.records[r];
  autodiff::Grads output_grads(rec.outputs.size());
  bool any = false;
  for (std::size_t o = 0; o < rec.outputs.size(); ++o) {
    Tensor* kept = st.grads.find(rec.outputs[o].id());
    if (kept == nullptr || !kept->defined()) continue;
    any = true;
    // Done with it (its memory can go) unless it is also a source.
    if (st.source_ids.contains(rec.outputs[o].id())) {
      output_grads[o] = *kept;
    } else {
      output_grads[o] = std::move(*kept);
      *kept = Tensor();
    }
  }
  if (!any) return;
  for (std::size_t o = 0; o < rec.outputs.size(); ++o) {
    if (!output_grads[o].defined()) {
      output_grads[o] = Tensor::zeros(rec.outputs[o].shape(), rec.outputs[o].dtype());
    }
  }
  const autodiff::Needs& needs = st.needs[r];
  autodiff::Grads input_grads = rec.backward(output_grads, needs);
  for (std::size_t i = 0; i < rec.inputs.size() && i < input_grads.size(); ++i) {
    if (!needs[i] || !input_grads[i].defined()) continue;
    accumulate(st.grads, rec.inputs[i].id(), fit_to(input_grads[i], rec.inputs[i]));
  }
}

}  // namespace

void GradientTape::gradient_into(const Tensor& target, const Tensor* sources, std::size_t count,
                                 std::vector<Tensor>& out) {
  if (state_->used) {
    throw Error("GradientTape.gradient can only be called once on a tape; create a new tape "
                "for each gradient computation.");
  }
  if (!target.defined()) throw Error("GradientTape.gradient: the target is undefined.");
  if (!is_floating(target.dtype())) {
    throw Error("GradientTape.gradient: the target must be float32 or float64, got " +
                std::string(dtype_name(target.dtype())) + ".");
  }
  detail::TapeState& st = *state_;
  st.used = true;
  stop_recording(&st);
  autodiff::PauseRecording pause;

  mark_dependencies(st, sources, count);
  st.grads[target.id()] = Tensor::ones(target.shape(), target.dtype());
  for (std::size_t r = st.records.size(); r-- > 0;) {
    if (st.useful[r]) backward_through(st, r);
  }

  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const Tensor& s = sources[i];
    Tensor* kept = st.grads.find(s.id());
    if (kept != nullptr && kept->defined()) {
      out[i] = *kept;
    } else {
      out[i] = Tensor::zeros(s.shape(), is_floating(s.dtype()) ? s.dtype() : DType::float32);
    }
  }
  // The tape is spent: free the intermediate tensors now rather than when it dies.
  st.records.clear();
  st.grads.clear();
  st.reached.clear();
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Tensor>& sources) {
  std::vector<Tensor> result;
  gradient_into(target, sources.data(), sources.size(), result);
  return result;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Variable>& sources) {
  std::vector<Tensor> result;
  gradient(target, sources, result);
  return result;
}

void GradientTape::gradient(const Tensor& target, const std::vector<Variable>& sources,
                            std::vector<Tensor>& out) {
  // The variables' values, in out's own memory until the gradients replace them.
  out.resize(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].defined()) throw Error("GradientTape.gradient: a source variable is undefined.");
    out[i] = sources[i].value();
  }
  std::vector<Tensor>& values = state_->watched;  // already holds each watched value
  const std::size_t first = values.size();
  values.insert(values.end(), out.begin(), out.end());
  gradient_into(target, values.data() + first, out.size(), out);
}

}  // namespace keras
