// recurrent_sequence: checks one call's tensors, runs the fused forward
// kernel and, under a GradientTape, keeps what the backward kernel needs and
// records it (see ops/recurrent.hpp).
#include "ops/recurrent.hpp"

#include <algorithm>

#include "backend/cpu/parallel.hpp"
#include "ops/activation_functions.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace act = activation_functions;
namespace cpu = backend::cpu;

constexpr const char* kOp = "recurrent_sequence";

std::string shape_text(const Tensor& t) { return t.shape().to_string(); }

[[noreturn]] void fail(const std::string& what) {
  throw Error(std::string("ops.") + kOp + ": " + what);
}

// The activation as loops over spans; y and x, dx and dy may alias.
template <class T, class A>
cpu::SpanActivation<T> spans_of(A a) {
  cpu::SpanActivation<T> s;
  s.forward = [a](const T* x, T* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = a.forward(x[i]);
  };
  s.backward = [a](const T* dy, const T* x, const T* y, T* dx, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) dx[i] = a.backward(dy[i], x[i], y[i]);
  };
  s.uses_input = A::uses_input;
  return s;
}

template <class T>
cpu::SpanActivation<T> span_activation(const std::string& name) {
  cpu::SpanActivation<T> s;
  if (!act::visit_elementwise(name, [&](auto a) { s = spans_of<T>(a); })) {
    fail("the activation \"" + name +
         "\" is not element-wise; recurrent layers support element-wise activations only "
         "(tanh, sigmoid, relu, ...).");
  }
  return s;
}

struct Sizes {
  std::int64_t batch, time, features, units;
  int gates, states;
};

// Validates every tensor of the call against the kernel's layout.
Sizes check(const RecurrentInputs& in, const RecurrentOptions& opt) {
  cpu::RecurrentSpec spec;
  spec.cell = opt.cell;
  const int gates = spec.gates(), states = spec.states();
  const Tensor& x = in.sequences;
  check_defined(kOp, x);
  check_defined(kOp, in.kernel);
  check_defined(kOp, in.recurrent_kernel);
  if (x.rank() != 3) {
    fail("expects sequences of rank 3 (batch, time, features), got shape " + shape_text(x) + ".");
  }
  if (!is_floating(x.dtype())) throw_dtype(kOp, x.dtype(), "float32 or float64");
  if (in.recurrent_kernel.rank() != 2 || in.kernel.rank() != 2) {
    fail("expects a kernel and a recurrent_kernel of rank 2, got shapes " + shape_text(in.kernel) +
         " and " + shape_text(in.recurrent_kernel) + ".");
  }
  Sizes s{x.shape()[0], x.shape()[1], x.shape()[2], in.recurrent_kernel.shape()[0], gates, states};
  if (s.time == 0)
    fail("needs at least one time step, got sequences of shape " + shape_text(x) + ".");
  const std::int64_t width = gates * s.units;
  auto same_dtype = [&](const Tensor& t, const char* what) {
    if (t.dtype() != x.dtype()) {
      fail(std::string(what) + " has dtype " + std::string(dtype_name(t.dtype())) +
           ", the sequences " + std::string(dtype_name(x.dtype())) + ".");
    }
  };
  if (in.kernel.shape() != Shape{s.features, width}) {
    fail("expects a kernel of shape (" + std::to_string(s.features) + ", " + std::to_string(width) +
         ") for sequences of shape " + shape_text(x) + ", got " + shape_text(in.kernel) + ".");
  }
  if (in.recurrent_kernel.shape() != Shape{s.units, width}) {
    fail("expects a recurrent_kernel of shape (units, " + std::to_string(gates) +
         " * units), got " + shape_text(in.recurrent_kernel) + ".");
  }
  same_dtype(in.kernel, "the kernel");
  same_dtype(in.recurrent_kernel, "the recurrent_kernel");
  if (in.bias.defined()) {
    const bool two_rows = opt.cell == RecurrentCell::gru && opt.reset_after;
    const Shape expected = two_rows ? Shape{2, width} : Shape{width};
    if (in.bias.shape() != expected) {
      fail("expects a bias of shape " + expected.to_string() + ", got " + shape_text(in.bias) +
           ".");
    }
    same_dtype(in.bias, "the bias");
  }
  if (static_cast<int>(in.initial_states.size()) != states) {
    fail("expects " + std::to_string(states) + " initial state" + (states == 1 ? "" : "s") +
         ", got " + std::to_string(in.initial_states.size()) + ".");
  }
  for (const Tensor& h : in.initial_states) {
    check_defined(kOp, h);
    if (h.shape() != Shape{s.batch, s.units}) {
      fail("expects initial states of shape (" + std::to_string(s.batch) + ", " +
           std::to_string(s.units) + "), got " + shape_text(h) + ".");
    }
    same_dtype(h, "an initial state");
  }
  if (in.mask.defined() && in.mask.shape() != Shape{s.batch, s.time}) {
    fail("expects a mask of shape (" + std::to_string(s.batch) + ", " + std::to_string(s.time) +
         ") for sequences of shape " + shape_text(x) + ", got " + shape_text(in.mask) + ".");
  }
  auto check_dropout = [&](const Tensor& m, std::int64_t last, const char* what) {
    if (!m.defined()) return;
    const bool ok = m.rank() == 3 && (m.shape()[0] == 1 || m.shape()[0] == gates) &&
                    m.shape()[1] == s.batch && m.shape()[2] == last;
    if (!ok) {
      fail(std::string(what) + " dropout mask must have shape (1 or " + std::to_string(gates) +
           ", " + std::to_string(s.batch) + ", " + std::to_string(last) + "), got " +
           shape_text(m) + ".");
    }
    same_dtype(m, what);
  };
  check_dropout(in.input_dropout, s.features, "the input");
  check_dropout(in.recurrent_dropout, s.units, "the recurrent");
  return s;
}

cpu::RecurrentSpec make_spec(const Sizes& s, const RecurrentInputs& in,
                             const RecurrentOptions& opt) {
  cpu::RecurrentSpec spec;
  spec.cell = opt.cell;
  spec.reset_after = opt.reset_after;
  spec.batch = s.batch;
  spec.time = s.time;
  spec.input_dim = s.features;
  spec.units = s.units;
  spec.go_backwards = opt.go_backwards;
  spec.return_sequences = opt.return_sequences;
  spec.masked_output = opt.masked_output;
  spec.input_dropout_count =
      in.input_dropout.defined() ? static_cast<int>(in.input_dropout.shape()[0]) : 0;
  spec.recurrent_dropout_count =
      in.recurrent_dropout.defined() ? static_cast<int>(in.recurrent_dropout.shape()[0]) : 0;
  return spec;
}

template <class T>
const T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// The tensors a call works with, in the order the tape records them.
struct Call {
  cpu::RecurrentSpec spec;
  Tensor x, h0, c0, kernel, recurrent_kernel, bias, mask, input_dropout, recurrent_dropout;
  std::string activation, recurrent_activation;
};

template <class T>
cpu::RecurrentWeights<T> weights_of(const Call& c) {
  return {c.kernel.data<T>(), c.recurrent_kernel.data<T>(), data_or_null<T>(c.bias)};
}

template <class T>
cpu::RecurrentConstants<T> constants_of(const Call& c) {
  cpu::RecurrentConstants<T> k;
  k.mask = c.mask.defined() ? c.mask.data<bool>() : nullptr;
  k.input_dropout = data_or_null<T>(c.input_dropout);
  k.recurrent_dropout = data_or_null<T>(c.recurrent_dropout);
  k.activation = span_activation<T>(c.activation);
  k.recurrent_activation = span_activation<T>(
      c.spec.cell == RecurrentCell::simple_rnn ? std::string("linear") : c.recurrent_activation);
  return k;
}

// The tape's buffers, kept alive by the backward function.
struct TapeTensors {
  Tensor pre, gates, h_prev, c_prev, rec_h, c_act;

  template <class T>
  cpu::RecurrentTape<T> view() const {
    return {const_cast<T*>(data_or_null<T>(pre)),    const_cast<T*>(data_or_null<T>(gates)),
            const_cast<T*>(data_or_null<T>(h_prev)), const_cast<T*>(data_or_null<T>(c_prev)),
            const_cast<T*>(data_or_null<T>(rec_h)),  const_cast<T*>(data_or_null<T>(c_act))};
  }
};

TapeTensors make_tape(const cpu::RecurrentSpec& s, DType dtype) {
  const std::int64_t gu = s.gates() * s.units;
  TapeTensors t;
  t.pre = Tensor::empty(Shape{s.batch, s.time, gu}, dtype);
  t.gates = Tensor::empty(Shape{s.batch, s.time, gu}, dtype);
  t.h_prev = Tensor::empty(Shape{s.batch, s.time, s.units}, dtype);
  if (s.cell == RecurrentCell::lstm) {
    t.c_prev = Tensor::empty(Shape{s.batch, s.time, s.units}, dtype);
    t.c_act = Tensor::empty(Shape{s.batch, s.time, s.units}, dtype);
  }
  if (s.separate_recurrent()) t.rec_h = Tensor::empty(Shape{s.batch, s.time, s.units}, dtype);
  return t;
}

// The recorded inputs of one call, in order: x, h0, [c0], kernel,
// recurrent_kernel, bias. A pair of calls records x once, then the other
// inputs of each call.
std::size_t recorded_count(const Call& c) { return c.spec.cell == RecurrentCell::lstm ? 6 : 5; }

void add_recorded_inputs(const Call& c, bool with_x, autodiff::TensorList& inputs) {
  if (with_x) inputs.push_back(c.x);
  inputs.push_back(c.h0);
  if (c.spec.cell == RecurrentCell::lstm) inputs.push_back(c.c0);
  inputs.push_back(c.kernel);
  inputs.push_back(c.recurrent_kernel);
  inputs.push_back(c.bias);
}

// Checks one call's tensors and gathers what its kernels need.
Call make_call(const RecurrentInputs& in, const RecurrentOptions& opt) {
  const Sizes s = check(in, opt);
  Call c;
  c.spec = make_spec(s, in, opt);
  c.x = in.sequences;
  c.h0 = in.initial_states[0];
  if (s.states == 2) c.c0 = in.initial_states[1];
  c.kernel = in.kernel;
  c.recurrent_kernel = in.recurrent_kernel;
  c.bias = in.bias;
  c.mask =
      in.mask.defined() && in.mask.dtype() != DType::bool_ ? in.mask.astype(DType::bool_) : in.mask;
  c.input_dropout = in.input_dropout;
  c.recurrent_dropout = in.recurrent_dropout;
  c.activation = opt.activation;
  c.recurrent_activation = opt.recurrent_activation;
  return c;
}

// One call's outputs and, while recording, its tape: allocated before the
// kernel runs, so the kernels of two calls can run on two threads.
struct Run {
  Call c;
  Tensor y, h, cell_state;
  TapeTensors tape;
  bool recording = false;

  void add_outputs(std::vector<Tensor>& out) const {
    out.push_back(y);
    out.push_back(h);
    if (cell_state.defined()) out.push_back(cell_state);
  }
};

Run make_run(Call c, bool recording) {
  Run r;
  const cpu::RecurrentSpec& s = c.spec;
  const DType dtype = c.x.dtype();
  r.y = Tensor::empty(
      s.return_sequences ? Shape{s.batch, s.time, s.units} : Shape{s.batch, s.units}, dtype);
  r.h = Tensor::empty(Shape{s.batch, s.units}, dtype);
  if (s.states() == 2) r.cell_state = Tensor::empty(Shape{s.batch, s.units}, dtype);
  r.recording = recording;
  if (recording) r.tape = make_tape(s, dtype);
  r.c = std::move(c);
  return r;
}

// The forward kernel over one call; allocates no tensors.
void run_forward(Run& r) {
  const Call& c = r.c;
  visit_float(c.x.dtype(), kOp, [&]<class T>() {
    const cpu::RecurrentTape<T> t = r.tape.view<T>();
    cpu::recurrent_forward<T>(c.spec, weights_of<T>(c), constants_of<T>(c), c.x.data<T>(),
                              c.h0.data<T>(), data_or_null<T>(c.c0), r.y.data<T>(), r.h.data<T>(),
                              r.cell_state.defined() ? r.cell_state.data<T>() : nullptr,
                              r.recording ? &t : nullptr);
  });
}

// About how many multiply-adds one call's kernel does: whether a pair of
// calls is worth a second thread.
std::int64_t work_of(const cpu::RecurrentSpec& s) {
  return s.batch * s.time * (s.input_dim + s.units) * s.gates() * s.units;
}

// The gradient tensors one call's backward fills, laid out as its recorded
// inputs; needs[first + i] tells whether recorded input i needs one (x at
// i = 0 always reads needs[0], shared by a pair).
Grads allocate_gradients(const Call& c, const Needs& needs, std::size_t first) {
  const bool lstm = c.spec.cell == RecurrentCell::lstm;
  const std::size_t i_kernel = lstm ? 3 : 2;
  Grads out(i_kernel + 3);
  auto need = [&](std::size_t i) {
    const std::size_t at = i == 0 ? 0 : first + i;
    return at < needs.size() && needs[at];
  };
  const DType dtype = c.x.dtype();
  if (need(0)) out[0] = Tensor::empty(c.x.shape(), dtype);
  if (need(1)) out[1] = Tensor::empty(c.h0.shape(), dtype);
  if (lstm && need(2)) out[2] = Tensor::empty(c.c0.shape(), dtype);
  if (need(i_kernel)) out[i_kernel] = Tensor::empty(c.kernel.shape(), dtype);
  if (need(i_kernel + 1)) out[i_kernel + 1] = Tensor::empty(c.recurrent_kernel.shape(), dtype);
  if (c.bias.defined() && need(i_kernel + 2))
    out[i_kernel + 2] = Tensor::empty(c.bias.shape(), dtype);
  return out;
}

// The backward kernel over one call: g points at the gradients of its
// outputs (y, h[, c]); fills the tensors allocate_gradients made.
void run_backward(const Call& c, const TapeTensors& tape, const Tensor* g, Grads& out) {
  const bool lstm = c.spec.cell == RecurrentCell::lstm;
  const std::size_t i_kernel = lstm ? 3 : 2;
  visit_float(c.x.dtype(), kOp, [&]<class T>() {
    cpu::RecurrentGradients<T> grads;
    auto ptr = [](Tensor& t) { return t.defined() ? t.data<T>() : nullptr; };
    grads.dx = ptr(out[0]);
    grads.dh0 = ptr(out[1]);
    if (lstm) grads.dc0 = ptr(out[2]);
    grads.dkernel = ptr(out[i_kernel]);
    grads.drecurrent_kernel = ptr(out[i_kernel + 1]);
    grads.dbias = ptr(out[i_kernel + 2]);
    const cpu::RecurrentTape<T> t = tape.view<T>();
    cpu::recurrent_backward<T>(c.spec, weights_of<T>(c), constants_of<T>(c), c.x.data<T>(), t,
                               g[0].data<T>(), g[1].data<T>(), lstm ? g[2].data<T>() : nullptr,
                               grads);
  });
}

// a += b, element by element (the two directions' gradients of their shared sequences).
void add_into(Tensor& a, const Tensor& b) {
  visit_float(a.dtype(), kOp, [&]<class T>() {
    T* x = a.data<T>();
    const T* y = b.data<T>();
    cpu::parallel_for(a.shape().num_elements(), 1, [&](std::int64_t i0, std::int64_t i1) {
      for (std::int64_t i = i0; i < i1; ++i) x[i] += y[i];
    });
  });
}

}  // namespace

bool is_recurrent_activation(const std::string& name) {
  return act::visit_elementwise(name, [](auto) {});
}

std::vector<Tensor> recurrent_sequence(const RecurrentInputs& in, const RecurrentOptions& opt) {
  Run r = make_run(make_call(in, opt), autodiff::is_recording());
  run_forward(r);
  std::vector<Tensor> outputs;
  outputs.reserve(3);
  r.add_outputs(outputs);
  if (r.recording) {
    autodiff::TensorList inputs;
    add_recorded_inputs(r.c, true, inputs);
    autodiff::record(
        inputs, autodiff::TensorList(outputs.begin(), outputs.end()),
        [c = std::move(r.c), tape = std::move(r.tape)](const Grads& g, const Needs& needs) {
          Grads out = allocate_gradients(c, needs, 0);
          run_backward(c, tape, g.data(), out);
          return out;
        });
  }
  return outputs;
}

std::vector<Tensor> recurrent_sequence_pair(const RecurrentInputs& first_inputs,
                                            const RecurrentOptions& first_options,
                                            const RecurrentInputs& second_inputs,
                                            const RecurrentOptions& second_options) {
  std::vector<Tensor> outputs;
  recurrent_sequence_pair_into(first_inputs, first_options, second_inputs, second_options, outputs);
  return outputs;
}

void recurrent_sequence_pair_into(const RecurrentInputs& first_inputs,
                                  const RecurrentOptions& first_options,
                                  const RecurrentInputs& second_inputs,
                                  const RecurrentOptions& second_options,
                                  std::vector<Tensor>& outputs) {
  const bool recording = autodiff::is_recording();
  Run a = make_run(make_call(first_inputs, first_options), recording);
  Run b = make_run(make_call(second_inputs, second_options), recording);
  if (a.c.x.id() != b.c.x.id()) {
    fail("the two calls of a pair must read the same sequences tensor; got two tensors (shapes " +
         shape_text(a.c.x) + " and " + shape_text(b.c.x) + "). Call recurrent_sequence on each.");
  }
  cpu::parallel_pair(
      std::min(work_of(a.c.spec), work_of(b.c.spec)), [&] { run_forward(a); },
      [&] { run_forward(b); });
  outputs.clear();
  a.add_outputs(outputs);
  const std::size_t first_count = outputs.size();
  b.add_outputs(outputs);
  if (recording) {
    autodiff::TensorList inputs;
    add_recorded_inputs(a.c, true, inputs);
    add_recorded_inputs(b.c, false, inputs);
    autodiff::record(inputs, autodiff::TensorList(outputs.begin(), outputs.end()),
                     [ca = std::move(a.c), ta = std::move(a.tape), cb = std::move(b.c),
                      tb = std::move(b.tape), first_count](const Grads& g, const Needs& needs) {
                       // Call b's recorded inputs follow a's, less the shared x.
                       const std::size_t b_first = recorded_count(ca) - 1;
                       Grads da = allocate_gradients(ca, needs, 0);
                       Grads db = allocate_gradients(cb, needs, b_first);
                       cpu::parallel_pair(
                           std::min(work_of(ca.spec), work_of(cb.spec)),
                           [&] { run_backward(ca, ta, g.data(), da); },
                           [&] { run_backward(cb, tb, g.data() + first_count, db); });
                       if (da[0].defined()) add_into(da[0], db[0]);
                       for (std::size_t i = 1; i < db.size(); ++i) da.push_back(db[i]);
                       return da;
                     });
  }
}

std::vector<Tensor> reference_recurrent_sequence(const RecurrentInputs& in,
                                                 const RecurrentOptions& opt) {
  const Sizes s = check(in, opt);
  const cpu::RecurrentSpec spec = make_spec(s, in, opt);
  Call c;
  c.spec = spec;
  c.x = in.sequences;
  c.kernel = in.kernel;
  c.recurrent_kernel = in.recurrent_kernel;
  c.bias = in.bias;
  c.mask = in.mask.defined() ? in.mask.astype(DType::bool_) : in.mask;
  c.input_dropout = in.input_dropout;
  c.recurrent_dropout = in.recurrent_dropout;
  c.activation = opt.activation;
  c.recurrent_activation = opt.recurrent_activation;
  const DType dtype = c.x.dtype();
  Tensor y = Tensor::empty(
      opt.return_sequences ? Shape{s.batch, s.time, s.units} : Shape{s.batch, s.units}, dtype);
  std::vector<Tensor> outputs{y};
  for (int i = 0; i < s.states; ++i)
    outputs.push_back(Tensor::empty(Shape{s.batch, s.units}, dtype));
  visit_float(dtype, kOp, [&]<class T>() {
    cpu::reference_recurrent_forward<T>(
        spec, weights_of<T>(c), constants_of<T>(c), c.x.data<T>(), in.initial_states[0].data<T>(),
        s.states == 2 ? in.initial_states[1].data<T>() : nullptr, outputs[0].data<T>(),
        outputs[1].data<T>(), s.states == 2 ? outputs[2].data<T>() : nullptr);
  });
  return outputs;
}

}  // namespace keras::ops
