// SimpleRNN, LSTM and GRU share this implementation of Keras 3's RNN base
// (keras/src/layers/rnn/rnn.py) around their cells (simple_rnn.py, lstm.py,
// gru.py). The whole sequence runs as one fused op (ops/recurrent.hpp); the
// weights live in a cell sub-layer named lstm_cell / gru_cell /
// simple_rnn_cell, as in Keras 3, so get_weights() and .weights.h5 files
// follow Keras' order and paths (layers/lstm/cell/vars/0..2).
#include "layers/rnn.hpp"

#include <array>
#include <random>
#include <span>

#include "keras/activations.hpp"
#include "keras/ops.hpp"
#include "keras/utils.hpp"
#include "layers/call_scratch.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "ops/recurrent.hpp"

namespace keras::layers {

namespace {

ops::RecurrentCell cell_kind(const std::string& class_name) {
  if (class_name == "LSTM") return ops::RecurrentCell::lstm;
  if (class_name == "GRU") return ops::RecurrentCell::gru;
  if (class_name == "SimpleRNN") return ops::RecurrentCell::simple_rnn;
  throw Error("Unknown recurrent layer class \"" + class_name + "\".");
}

int gates_of(ops::RecurrentCell kind) {
  return kind == ops::RecurrentCell::lstm ? 4 : (kind == ops::RecurrentCell::gru ? 3 : 1);
}

const char* cell_name(ops::RecurrentCell kind) {
  switch (kind) {
    case ops::RecurrentCell::lstm: return "lstm_cell";
    case ops::RecurrentCell::gru: return "gru_cell";
    case ops::RecurrentCell::simple_rnn: break;
  }
  return "simple_rnn_cell";
}

// LSTM's unit_forget_bias: [b(units), ones(units), b(2 * units)], b being
// the bias initializer (LSTMCell.build).
initializers::Initializer unit_forget_bias(initializers::Initializer base, std::int64_t units) {
  return initializers::Initializer(
      base.class_name(), base.config(), base.string_config(),
      [base, units](const Shape&, DType dtype) {
        return ops::concatenate({base(Shape{units}, dtype), Tensor::ones(Shape{units}, dtype),
                                 base(Shape{2 * units}, dtype)},
                                0);
      });
}

// The cell holds the weights: kernel (input_dim, G*units), recurrent_kernel
// (units, G*units), bias (G*units,) or, for GRU with reset_after, (2, 3*units).
class RecurrentCellImpl : public LayerImpl {
 public:
  RecurrentCellImpl(const RecurrentConfig& config, std::string layer_name)
      : LayerImpl(config.class_name + "Cell", cell_name(cell_kind(config.class_name)),
                  config.trainable),
        config_(config),
        kind_(cell_kind(config.class_name)),
        layer_name_(std::move(layer_name)) {}

  void build(const std::vector<Shape>& input_shapes) override {
    const std::int64_t units = config_.units;
    const std::int64_t width = gates_of(kind_) * units;
    kernel_ =
        add_weight("kernel", Shape{input_shapes.at(0)[-1], width}, config_.kernel_initializer);
    recurrent_kernel_ =
        add_weight("recurrent_kernel", Shape{units, width}, config_.recurrent_initializer);
    if (config_.use_bias) {
      const bool two_rows = kind_ == ops::RecurrentCell::gru && config_.reset_after;
      const bool forget = kind_ == ops::RecurrentCell::lstm && config_.unit_forget_bias;
      bias_ = add_weight(
          "bias", two_rows ? Shape{2, width} : Shape{width},
          forget ? unit_forget_bias(config_.bias_initializer, units) : config_.bias_initializer);
    }
    for (Variable* v : {&kernel_, &recurrent_kernel_, &bias_}) {
      if (v->defined()) v->set_path(layer_name_ + "/" + name() + "/" + v->name());
    }
  }

  std::vector<Tensor> call(const std::vector<Tensor>&, const CallContext&) override {
    throw Error(describe() + " is the cell of a " + config_.class_name +
                " layer; call the layer, which runs the whole sequence.");
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    return {Shape{input_shapes.at(0)[0], config_.units}};
  }

  const Variable& kernel() const { return kernel_; }
  const Variable& recurrent_kernel() const { return recurrent_kernel_; }
  const Variable& bias() const { return bias_; }

 private:
  RecurrentConfig config_;
  ops::RecurrentCell kind_;
  std::string layer_name_;
  Variable kernel_, recurrent_kernel_, bias_;
};

class RecurrentLayerImpl final : public RNNImpl {
 public:
  explicit RecurrentLayerImpl(RecurrentConfig config)
      : RNNImpl(config.class_name, config.name, config.trainable),
        config_(std::move(config)),
        kind_(cell_kind(config_.class_name)),
        cell_(std::make_shared<RecurrentCellImpl>(config_, name())) {
    config_.name = name();
    if (config_.seed) generator_.emplace(*config_.seed);
  }

  const RecurrentConfig& config() const { return config_; }

  // ---- RNNImpl ----
  std::int64_t units() const override { return config_.units; }
  int num_states() const override { return kind_ == ops::RecurrentCell::lstm ? 2 : 1; }
  bool return_sequences() const override { return config_.return_sequences; }
  bool return_state() const override { return config_.return_state; }
  bool go_backwards() const override { return config_.go_backwards; }
  bool zero_output_for_mask() const override { return config_.zero_output_for_mask; }
  void set_zero_output_for_mask(bool zero) override { config_.zero_output_for_mask = zero; }
  std::shared_ptr<RNNImpl> copy(const std::string& name, bool reverse) const override {
    RecurrentConfig c = config_;
    c.name = name;
    if (reverse) c.go_backwards = !c.go_backwards;
    return std::make_shared<RecurrentLayerImpl>(std::move(c));
  }
  void reset_states() override {
    for (Tensor& s : states_) s.fill(0.0);
  }

  // ---- LayerImpl ----
  bool supports_masking() const override { return true; }
  int num_inputs() const override { return -1; }  // sequences, then optional initial states
  std::vector<std::shared_ptr<LayerImpl>> sublayers() const override { return {cell_}; }

  // The recurrence of this cell in index notation: the same kernels at every
  // step, the state carried from one step to the next.
  void explain(detail::ExplainWriter& w) const override {
    const Shape& seq = w.input();
    const std::int64_t steps = seq[1];
    const std::string last = steps == None ? "T-1" : std::to_string(steps - 1);
    const std::string prev = config_.go_backwards ? "t+1" : "t-1";
    const std::string act = config_.activation;
    const std::string rec = config_.recurrent_activation;
    const std::string u = std::to_string(units());
    if (!config_.return_sequences) {
      w.formula("y[b,u] = h[b," + std::string(config_.go_backwards ? "0" : last) +
                ",u], the state after the last step read, where");
    } else if (config_.go_backwards) {
      w.formula("y[b,t,u] = h[b," + last + "-t,u] (in reading order), where");
    } else {
      w.formula("y[b,t,u] = h[b,t,u] at each step t, where");
    }
    const std::string x = "x[b,t,:]";
    const std::string h = "h[b," + prev + ",:]";
    const std::string bias = config_.use_bias ? " + bias" : "";
    if (kind_ == ops::RecurrentCell::lstm) {
      w.formula("  z = " + x + " . kernel + " + h + " . recurrent_kernel" + bias +
                ", cut into the gates i, f, g, o (" + u + " each)");
      w.formula("  c[b,t,u] = " + rec + "(f[u]) * c[b," + prev + ",u] + " + rec + "(i[u]) * " +
                act + "(g[u])");
      w.formula("  h[b,t,u] = " + rec + "(o[u]) * " + act + "(c[b,t,u])");
    } else if (kind_ == ops::RecurrentCell::gru && config_.reset_after) {
      w.formula("  zx = " + x + " . kernel" + (config_.use_bias ? " + bias[0]" : "") +
                ", zh = " + h + " . recurrent_kernel" + (config_.use_bias ? " + bias[1]" : "") +
                ", each cut into z, r, n (" + u + " each)");
      w.formula("  z = " + rec + "(zx_z + zh_z), r = " + rec + "(zx_r + zh_r), n = " + act +
                "(zx_n + r * zh_n)");
      w.formula("  h[b,t,u] = z[u] * h[b," + prev + ",u] + (1 - z[u]) * n[u]");
    } else if (kind_ == ops::RecurrentCell::gru) {
      w.formula("  z = " + rec + "(" + x + " . kernel_z + " + h + " . recurrent_kernel_z" +
                (config_.use_bias ? " + bias_z" : "") + "), r likewise with the r columns");
      w.formula("  n = " + act + "(" + x + " . kernel_n + (r * " + h + ") . recurrent_kernel_n" +
                (config_.use_bias ? " + bias_n" : "") + ")");
      w.formula("  h[b,t,u] = z[u] * h[b," + prev + ",u] + (1 - z[u]) * n[u]");
    } else {
      w.formula("  h[b,t,u] = " + act + "(sum_c x[b,t,c] * kernel[c,u] + sum_v h[b," + prev +
                ",v] * recurrent_kernel[v,u]" + (config_.use_bias ? " + bias[u]" : "") + ")");
    }
    const std::string count = steps == None ? "the steps" : "the " + detail::plural(steps, "step");
    const std::string start = w.input_shapes().size() > 1 ? "the initial states given as inputs"
                              : config_.stateful          ? "the last batch's final states"
                              : kind_ == ops::RecurrentCell::lstm ? "h = c = 0"
                                                                  : "h = 0";
    w.note("reads " + count + " one after another" +
           (config_.go_backwards ? ", the last first (go_backwards)" : "") + ", starting from " +
           start + "; the same kernel" +
           (config_.use_bias ? ", recurrent_kernel and bias are" : " and recurrent_kernel are") +
           " used at every step");
    if (config_.return_state) {
      w.note(std::string("return_state: the final state") +
             (kind_ == ops::RecurrentCell::lstm ? "s h and c follow" : " h follows") +
             " y as outputs");
    }
    if (config_.dropout > 0 || config_.recurrent_dropout > 0) {
      w.note("while training, dropout " + detail::number(config_.dropout) + " on x and " +
             detail::number(config_.recurrent_dropout) + " on h (recurrent_dropout)");
    }
    w.note("with a mask, a masked step keeps the previous state");
    // The parameter count's rule, with this layer's numbers.
    const std::int64_t n = units(), d = seq[2];
    const bool two_biases = kind_ == ops::RecurrentCell::gru && config_.reset_after;
    const int gates = gates_of(kind_);
    const std::int64_t biases = config_.use_bias ? (two_biases ? 2 : 1) : 0;
    std::string rule =
        (gates == 1 ? "" : std::to_string(gates) + " * ") + "units * (input_dim + units" +
        (biases ? " + " + std::to_string(biases) : "") +
        ") = " + (gates == 1 ? "" : std::to_string(gates) + " * ") + u + " * (" + detail::dim(d) +
        " + " + u + (biases ? " + " + std::to_string(biases) : "") + ")";
    if (d != None) rule += " = " + detail::with_commas(gates * n * (d + n + biases));
    w.params_rule(rule);
  }

  void write_config(detail::ConfigWriter& w) const override { write_recurrent_config(w, config_); }

  void build(const std::vector<Shape>& input_shapes) override {
    const Shape& seq = check_inputs(input_shapes);
    cell_->maybe_build({Shape{seq[0], seq[2]}});
    if (!config_.stateful) return;
    if (seq[0] == None) {
      throw Error(describe() +
                  " is stateful, so it needs a fixed batch size, got inputs of shape " +
                  seq.to_string() +
                  ". Give the model's Input a batch size: keras::Input(shape, {.batch_size = N}).");
    }
    states_.clear();
    for (int i = 0; i < num_states(); ++i) states_.push_back(Tensor::zeros(Shape{seq[0], units()}));
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    const Shape& seq = check_inputs(input_shapes);
    std::vector<Shape> out;
    out.push_back(config_.return_sequences ? Shape{seq[0], seq[1], units()}
                                           : Shape{seq[0], units()});
    if (config_.return_state) {
      for (int i = 0; i < num_states(); ++i) out.push_back(Shape{seq[0], units()});
    }
    return out;
  }

  // The input mask goes on with the sequence output, none with the states.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>& masks) const override {
    if (masks.empty() || !masks[0]) return {};
    std::vector<std::optional<Tensor>> out;
    out.push_back(config_.return_sequences ? masks[0] : std::nullopt);
    if (config_.return_state) out.resize(1 + static_cast<std::size_t>(num_states()));
    return out;
  }
  std::vector<KerasTensor> compute_symbolic_mask(
      const std::vector<KerasTensor>&, const std::vector<KerasTensor>& masks) const override {
    if (masks.empty() || !config_.return_sequences) return {};
    return {masks[0]};
  }
  // Keras' call(sequences, initial_state=None, mask=None, training=False).
  bool call_has_mask_arg() const override { return true; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    ops::RecurrentOptions opt;
    const ops::RecurrentInputs in = op_inputs(inputs, ctx, opt);
    return finish_call(ops::recurrent_sequence(in, opt));
  }

  // What apply() does before call(), then call()'s inputs for the fused op:
  // for apply_recurrent_pair, which runs two layers' ops as one.
  ops::RecurrentInputs prepare_pair_call(const std::vector<Tensor>& inputs, const CallContext& ctx,
                                         ops::RecurrentOptions& opt) {
    prepare_call(inputs);
    return op_inputs(inputs, ctx, opt);
  }

  // call()'s outputs from the op's: keeps a stateful layer's states, drops
  // the states without return_state.
  std::vector<Tensor> finish_call(std::vector<Tensor> out) {
    finish_outputs(out);
    return out;
  }
  void finish_outputs(std::vector<Tensor>& out) {
    if (config_.stateful) {
      // Copies, as Keras assigns to its state variables: no gradient flows
      // from one call into the next.
      for (std::size_t i = 0; i < states_.size(); ++i) states_[i] = out[1 + i].clone();
    }
    if (!config_.return_state) out.resize(1);
  }

 private:
  // The fused op's inputs and options for a call on inputs (draws the
  // dropout masks while training).
  ops::RecurrentInputs op_inputs(const std::vector<Tensor>& inputs, const CallContext& ctx,
                                 ops::RecurrentOptions& opt) {
    // The shapes on the stack for the usual counts (a warm step allocates nothing).
    std::array<Shape, 3> few;
    std::vector<Shape> many;
    std::span<const Shape> shapes;
    if (inputs.size() <= few.size()) {
      for (std::size_t i = 0; i < inputs.size(); ++i) few[i] = inputs[i].shape();
      shapes = std::span<const Shape>(few.data(), inputs.size());
    } else {
      for (const Tensor& t : inputs) many.push_back(t.shape());
      shapes = many;
    }
    check_inputs(shapes);
    ops::RecurrentInputs in;
    in.sequences = to_compute_dtype(inputs[0]);
    const Tensor& x = in.sequences;
    initial_states(inputs, x, in.initial_states);
    in.kernel = like_input(cell_->kernel().value(), x);
    in.recurrent_kernel = like_input(cell_->recurrent_kernel().value(), x);
    if (cell_->bias().defined()) in.bias = like_input(cell_->bias().value(), x);
    if (!ctx.masks.empty() && ctx.masks[0]) in.mask = check_mask(*ctx.masks[0], x.shape());
    if (ctx.training) draw_dropout_masks(in);
    opt.cell = kind_;
    opt.activation = config_.activation;
    opt.recurrent_activation = config_.recurrent_activation;
    opt.reset_after = config_.reset_after;
    opt.go_backwards = config_.go_backwards;
    opt.return_sequences = config_.return_sequences;
    // As keras/src/backend/jax/rnn.py: the unrolled loop repeats the previous
    // output (ignoring zero_output_for_mask), the scan the previous state.
    opt.masked_output = config_.unroll                 ? ops::MaskedOutput::previous_output
                        : config_.zero_output_for_mask ? ops::MaskedOutput::zeros
                                                       : ops::MaskedOutput::previous_state;
    return in;
  }

  std::string state_names() const { return num_states() == 2 ? "[h, c]" : "[h]"; }

  // Keras' InputSpec(ndim=3) with a hint for the usual mistakes, then the
  // initial states' shapes. Returns the sequences' shape.
  const Shape& check_inputs(std::span<const Shape> shapes) const {
    const std::size_t n = shapes.size();
    if (n != 1 && n != 1 + static_cast<std::size_t>(num_states())) {
      throw Error(describe() + " takes its sequences, optionally followed by its " +
                  std::to_string(num_states()) + " initial state" + (num_states() == 1 ? "" : "s") +
                  " " + state_names() + "; got " + std::to_string(n) + " inputs " +
                  format_shapes({shapes.begin(), shapes.end()}) + ".");
    }
    const Shape& seq = shapes[0];
    if (seq.rank() != 3) {
      std::string message = describe() +
                            " expects inputs of shape (batch, time, features), got shape " +
                            seq.to_string() + ".";
      if (seq.rank() == 2) {
        message +=
            " The input has no time axis: if it comes from another recurrent layer, give that "
            "layer return_sequences=True; otherwise add one with Reshape((time, features)) or "
            "RepeatVector.";
      } else if (seq.rank() > 3) {
        message +=
            " Reshape it to (batch, time, features) first, e.g. with Reshape or "
            "TimeDistributed(Flatten()).";
      }
      throw Error(message);
    }
    if (seq[2] == None) {
      throw Error(describe() +
                  " needs to know the feature dimension of its inputs to create its "
                  "kernel, got shape " +
                  seq.to_string() + ".");
    }
    if (config_.unroll && seq[1] == None) {
      throw Error(describe() +
                  " has unroll=True, which needs a fixed number of time steps, got "
                  "shape " +
                  seq.to_string() + ". Give the Input a time dimension.");
    }
    const Variable& kernel = cell_->kernel();
    if (kernel.defined() && seq[2] != kernel.shape()[0]) {
      throw Error(describe() + " expects inputs whose last dimension is " +
                  std::to_string(kernel.shape()[0]) + ", got shape " + seq.to_string() + ".");
    }
    for (std::size_t i = 1; i < n; ++i) {
      const Shape& s = shapes[i];
      const bool batch_ok = s.rank() == 2 && (s[0] == None || seq[0] == None || s[0] == seq[0]);
      if (!batch_ok || (s[1] != units() && s[1] != None)) {
        throw Error(describe() + " expects initial states " + state_names() + " of shape (" +
                    (seq[0] == None ? std::string("None") : std::to_string(seq[0])) + ", " +
                    std::to_string(units()) + "), got " +
                    format_shapes({shapes.begin(), shapes.end()}) + " (sequences first).");
      }
    }
    return seq;
  }

  void initial_states(const std::vector<Tensor>& inputs, const Tensor& x,
                      decltype(ops::RecurrentInputs::initial_states)& states) const {
    const std::int64_t batch = x.shape()[0];
    states.clear();
    if (inputs.size() > 1) {
      for (std::size_t i = 1; i < inputs.size(); ++i) {
        Tensor s = to_compute_dtype(inputs[i]);
        states.push_back(s.dtype() == x.dtype() ? s : ops::cast(s, x.dtype()));
      }
      return;
    }
    if (config_.stateful && !states_.empty()) {
      if (states_[0].shape()[0] != batch) {
        throw Error(describe() +
                    " is stateful, so the batch size of its inputs must be the one its states "
                    "were made for: expected " +
                    std::to_string(states_[0].shape()[0]) + ", got inputs of shape " +
                    x.shape().to_string() + ".");
      }
      for (const Tensor& s : states_) states.push_back(like_input(s, x));
      return;
    }
    for (int i = 0; i < num_states(); ++i) {
      states.push_back(Tensor::zeros(Shape{batch, units()}, x.dtype()));
    }
  }

  Tensor check_mask(const Tensor& mask, const Shape& x) const {
    if (mask.shape() != Shape{x[0], x[1]}) {
      throw Error(describe() + " got a mask of shape " + mask.shape().to_string() +
                  " for inputs of shape " + x.to_string() + "; the mask must be (batch, time) = (" +
                  std::to_string(x[0]) + ", " + std::to_string(x[1]) + ").");
    }
    return mask.dtype() == DType::bool_
               ? mask
               : ops::not_equal(mask, Tensor::zeros(Shape{}, mask.dtype()));
  }

  // Keras' DropoutRNNCell: masks drawn once per call and used at every step.
  // LSTM and GRU drop only for 0 < rate < 1, and with recurrent dropout
  // (their implementation 1) draw one mask per gate; SimpleRNN one mask.
  void draw_dropout_masks(ops::RecurrentInputs& in) {
    const bool simple = kind_ == ops::RecurrentCell::simple_rnn;
    const auto active = [&](double rate) { return simple ? rate > 0.0 : rate > 0.0 && rate < 1.0; };
    const std::int64_t count = simple || config_.recurrent_dropout == 0.0 ? 1 : gates_of(kind_);
    const Shape& x = in.sequences.shape();
    if (active(config_.dropout)) {
      in.input_dropout = draw(Shape{count, x[0], x[2]}, config_.dropout, in.sequences.dtype());
    }
    if (active(config_.recurrent_dropout)) {
      in.recurrent_dropout =
          draw(Shape{count, x[0], units()}, config_.recurrent_dropout, in.sequences.dtype());
    }
  }

  Tensor draw(const Shape& shape, double rate, DType dtype) {
    std::mt19937_64& generator = generator_ ? *generator_ : utils::random_generator();
    const double keep = 1.0 - rate;
    std::bernoulli_distribution kept(keep);
    const double scale = keep > 0.0 ? 1.0 / keep : 0.0;
    std::vector<double> values(static_cast<std::size_t>(shape.num_elements()));
    for (double& v : values) v = kept(generator) ? scale : 0.0;
    return Tensor(shape, values).astype(dtype);
  }

  RecurrentConfig config_;
  ops::RecurrentCell kind_;
  std::shared_ptr<RecurrentCellImpl> cell_;
  std::vector<Tensor> states_;  // stateful only
  std::optional<std::mt19937_64> generator_;
};

}  // namespace

std::shared_ptr<RNNImpl> make_recurrent_layer(RecurrentConfig config) {
  cell_kind(config.class_name);
  if (config.units <= 0) {
    throw Error(config.class_name +
                ": received an invalid value for argument `units`, expected a positive integer, "
                "got " +
                std::to_string(config.units) + ".");
  }
  const bool simple = config.class_name == "SimpleRNN";
  for (std::string* name : {&config.activation, &config.recurrent_activation}) {
    if (simple && name == &config.recurrent_activation) continue;
    activations::get(*name);  // an unknown name fails here, listing the known ones
    *name = activations::canonical_name(*name);
    if (name->empty()) *name = "linear";
    if (!ops::is_recurrent_activation(*name)) {
      throw Error(config.class_name + ": the activation \"" + *name +
                  "\" works along an axis; recurrent layers take element-wise activations "
                  "(tanh, sigmoid, relu, ...).");
    }
  }
  // As Keras' cells: min(1, max(0, rate)).
  config.dropout = std::min(1.0, std::max(0.0, config.dropout));
  config.recurrent_dropout = std::min(1.0, std::max(0.0, config.recurrent_dropout));
  return std::make_shared<RecurrentLayerImpl>(std::move(config));
}

const RecurrentConfig& recurrent_config(const LayerImpl& layer) {
  const auto* impl = dynamic_cast<const RecurrentLayerImpl*>(&layer);
  if (impl == nullptr) throw Error(layer.describe() + " is not a SimpleRNN, LSTM or GRU layer.");
  return impl->config();
}

bool apply_recurrent_pair(RNNImpl& first, const std::vector<Tensor>& first_inputs,
                          const CallContext& first_ctx, RNNImpl& second,
                          const std::vector<Tensor>& second_inputs, const CallContext& second_ctx,
                          std::vector<Tensor>& first_outputs, std::vector<Tensor>& second_outputs) {
  auto* a = dynamic_cast<RecurrentLayerImpl*>(&first);
  auto* b = dynamic_cast<RecurrentLayerImpl*>(&second);
  // apply() would add activity losses after the call; leave those to it.
  if (a == nullptr || b == nullptr || a->activity_regularizer() || b->activity_regularizer()) {
    return false;
  }
  // In the order two apply() calls would do it (dropout masks are drawn here).
  ops::RecurrentOptions a_opt, b_opt;
  const ops::RecurrentInputs a_in = a->prepare_pair_call(first_inputs, first_ctx, a_opt);
  const ops::RecurrentInputs b_in = b->prepare_pair_call(second_inputs, second_ctx, b_opt);
  TensorScratch out;
  if (a_in.sequences.id() == b_in.sequences.id()) {
    ops::recurrent_sequence_pair_into(a_in, a_opt, b_in, b_opt, *out);
  } else {  // each layer cast its sequences to a dtype of its own
    *out = ops::recurrent_sequence(a_in, a_opt);
    for (const Tensor& t : ops::recurrent_sequence(b_in, b_opt)) out->push_back(t);
  }
  const auto split = out->begin() + 1 + a->num_states();
  first_outputs.assign(out->begin(), split);
  second_outputs.assign(split, out->end());
  a->finish_outputs(first_outputs);
  b->finish_outputs(second_outputs);
  return true;
}

std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> apply_recurrent_pair(
    RNNImpl& first, const std::vector<Tensor>& first_inputs, const CallContext& first_ctx,
    RNNImpl& second, const std::vector<Tensor>& second_inputs, const CallContext& second_ctx) {
  std::pair<std::vector<Tensor>, std::vector<Tensor>> out;
  if (!apply_recurrent_pair(first, first_inputs, first_ctx, second, second_inputs, second_ctx,
                            out.first, out.second)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace keras::layers
