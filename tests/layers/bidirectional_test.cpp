#include "keras/layers/bidirectional.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "keras/gradient_tape.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/embedding.hpp"
#include "keras/layers/gru.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/lstm.hpp"
#include "keras/layers/masking.hpp"
#include "keras/layers/simple_rnn.hpp"
#include "keras/layers/time_distributed.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "layer_case_testing.hpp"
#include "layers/rnn.hpp"

namespace keras::layers {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct ToyOptions {
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  std::string name;
};

// A recurrent layer simple enough to follow by hand: h_t = h_{t-1} + scale * x_t
// (units = features, one state, weight "scale" of ones), output h_t. Masked
// steps keep h and output the previous output, or zeros with
// zero_output_for_mask; go_backwards reads the sequence from its end and
// returns the outputs in reading order, as Keras' RNN does.
class ToyRNNImpl : public RNNImpl {
 public:
  explicit ToyRNNImpl(ToyOptions o) : RNNImpl("ToyRNN", o.name), o_(std::move(o)) {}

  std::int64_t units() const override { return units_; }
  int num_states() const override { return 1; }
  bool return_sequences() const override { return o_.return_sequences; }
  bool return_state() const override { return o_.return_state; }
  bool go_backwards() const override { return o_.go_backwards; }
  bool zero_output_for_mask() const override { return zero_output_; }
  void set_zero_output_for_mask(bool zero) override { zero_output_ = zero; }
  int num_inputs() const override { return -1; }
  std::shared_ptr<RNNImpl> copy(const std::string& name, bool reverse) const override {
    ToyOptions o = o_;
    o.name = name;
    if (reverse) o.go_backwards = !o.go_backwards;
    return std::make_shared<ToyRNNImpl>(o);
  }

  void build(const std::vector<Shape>& shapes) override {
    units_ = shapes[0][-1];
    scale_ = add_weight("scale", Shape{units_}, initializers::Ones());
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext& ctx) override {
    const Tensor& x = inputs[0];
    const std::int64_t batch = x.shape()[0], steps = x.shape()[1];
    ++calls;
    last_masked = !ctx.masks.empty() && ctx.masks[0].has_value();
    last_num_inputs = inputs.size();
    Tensor h = inputs.size() > 1 ? inputs[1] : Tensor::zeros(Shape{batch, units_});
    Tensor previous = Tensor::zeros(Shape{batch, units_});
    std::vector<Tensor> outputs;
    for (std::int64_t i = 0; i < steps; ++i) {
      const std::int64_t t = o_.go_backwards ? steps - 1 - i : i;
      const Tensor x_t = ops::reshape(ops::slice_axis(x, 1, t, 1), Shape{batch, units_});
      Tensor h_new = ops::add(h, ops::multiply(x_t, scale_.value()));
      Tensor out = h_new;
      if (last_masked) {
        const Tensor m = ops::slice_axis(*ctx.masks[0], 1, t, 1);  // (batch, 1)
        h_new = ops::where(m, h_new, h);
        out = ops::where(m, h_new, zero_output_ ? Tensor::zeros(Shape{batch, units_}) : previous);
      }
      h = h_new;
      previous = out;
      outputs.push_back(out);
    }
    std::vector<Tensor> result{o_.return_sequences ? ops::stack(outputs, 1) : previous};
    if (o_.return_state) result.push_back(h);
    return result;
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& shapes) override {
    const Shape& s = shapes[0];
    const Shape state{s[0], s[-1]};
    std::vector<Shape> out{o_.return_sequences ? Shape{s[0], s[1], s[-1]} : state};
    if (o_.return_state) out.push_back(state);
    return out;
  }

  int calls = 0;
  bool last_masked = false;
  std::size_t last_num_inputs = 0;

 private:
  ToyOptions o_;
  bool zero_output_ = false;
  std::int64_t units_ = 0;
  Variable scale_;
};

Layer Toy(ToyOptions o = {}) { return Layer(std::make_shared<ToyRNNImpl>(std::move(o))); }

ToyRNNImpl& toy(const Layer& layer) { return dynamic_cast<ToyRNNImpl&>(layer.impl()); }

// One sequence [1, 2, 3] of one feature: forward outputs 1, 3, 6; the
// backward layer reads 3, 2, 1 and outputs 3, 5, 6, which is 6, 5, 3 in time order.
const Tensor kSequence(Shape{1, 3, 1}, {1, 2, 3});

std::vector<float> merged(const char* mode) {
  const Bidirectional b(Toy({.return_sequences = true}), {.merge_mode = mode});
  return b(kSequence).to_vector<float>();
}

TEST(Bidirectional, MakesForwardAndBackwardCopiesNamedAsKeras) {
  backend::clear_session();
  const Layer inner = Toy({.return_sequences = true, .name = "toy"});
  const Bidirectional b(inner);
  EXPECT_EQ(b.name(), "bidirectional");
  EXPECT_EQ(b.forward_layer().name(), "forward_toy");
  EXPECT_EQ(b.backward_layer().name(), "backward_toy");
  EXPECT_FALSE(toy(b.forward_layer()).go_backwards());
  EXPECT_TRUE(toy(b.backward_layer()).go_backwards());
  // Returning sequences forces zeros at masked steps in both copies.
  EXPECT_TRUE(toy(b.forward_layer()).zero_output_for_mask());
  EXPECT_TRUE(toy(b.backward_layer()).zero_output_for_mask());
  EXPECT_FALSE(toy(inner).zero_output_for_mask());
  // A name that already has the prefix keeps one (as Keras' removeprefix).
  const Bidirectional again(Toy({.name = "forward_toy"}));
  EXPECT_EQ(again.forward_layer().name(), "forward_toy");
  EXPECT_EQ(again.backward_layer().name(), "backward_forward_toy");
  EXPECT_FALSE(toy(again.forward_layer()).zero_output_for_mask());

  b(kSequence);
  EXPECT_EQ(toy(inner).calls, 0);  // the wrapped layer itself never runs
  EXPECT_FALSE(inner.built());
  EXPECT_EQ(toy(b.forward_layer()).calls, 1);
  EXPECT_EQ(toy(b.backward_layer()).calls, 1);
}

TEST(Bidirectional, HoldsBothDirectionsWeights) {
  const Bidirectional b(Toy({.return_sequences = true}));
  b.impl().maybe_build({Shape{None, 4, 5}});
  ASSERT_EQ(b.weights().size(), 2u);
  EXPECT_EQ(b.count_params(), 10);
  EXPECT_EQ(b.weights()[0].id(), b.forward_layer().weights()[0].id());
  EXPECT_EQ(b.weights()[1].id(), b.backward_layer().weights()[0].id());
  const auto subs = b.impl().sublayers();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0].get(), &b.forward_layer().impl());
  EXPECT_EQ(subs[1].get(), &b.backward_layer().impl());
}

TEST(Bidirectional, MergesTheReversedBackwardSequence) {
  EXPECT_EQ(merged("concat"), (std::vector<float>{1, 6, 3, 5, 6, 3}));
  EXPECT_EQ(merged("sum"), (std::vector<float>{7, 8, 9}));
  EXPECT_EQ(merged("ave"), (std::vector<float>{3.5f, 4, 4.5f}));
  EXPECT_EQ(merged("mul"), (std::vector<float>{6, 15, 18}));
  const Bidirectional unmerged(Toy({.return_sequences = true}), {.merge_mode = std::nullopt});
  const std::vector<Tensor> pair = unmerged(std::vector<Tensor>{kSequence});
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_EQ(pair[0].to_vector<float>(), (std::vector<float>{1, 3, 6}));
  EXPECT_EQ(pair[1].to_vector<float>(), (std::vector<float>{6, 5, 3}));
}

TEST(Bidirectional, MergesLastOutputsWithoutReversing) {
  const Bidirectional b(Toy(), {.merge_mode = "concat"});
  const Tensor y = b(Tensor(Shape{1, 3, 1}, {1, 2, 4}));
  EXPECT_EQ(y.shape(), (Shape{1, 2}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{7, 7}));
}

TEST(Bidirectional, OutputShapes) {
  const Shape in{None, 4, 5};
  EXPECT_EQ(Bidirectional(Toy({.return_sequences = true})).compute_output_shape(in),
            (Shape{None, 4, 10}));
  EXPECT_EQ(Bidirectional(Toy({.return_sequences = true}), {.merge_mode = "ave"})
                .compute_output_shape(in),
            (Shape{None, 4, 5}));
  EXPECT_EQ(Bidirectional(Toy(), {.merge_mode = "sum"}).compute_output_shape(in), (Shape{None, 5}));
  const auto unmerged =
      Bidirectional(Toy(), {.merge_mode = std::nullopt}).impl().compute_output_shape({in});
  EXPECT_EQ(unmerged, (std::vector<Shape>{Shape{None, 5}, Shape{None, 5}}));
  const auto with_state = Bidirectional(Toy({.return_sequences = true, .return_state = true}))
                              .impl()
                              .compute_output_shape({in});
  EXPECT_EQ(with_state, (std::vector<Shape>{Shape{None, 4, 10}, Shape{None, 5}, Shape{None, 5}}));
}

TEST(Bidirectional, MaskedStepsAreZeroInBothDirections) {
  const Bidirectional b(Toy({.return_sequences = true}), {.merge_mode = std::nullopt});
  CallContext ctx;
  ctx.masks.push_back(Tensor(Shape{1, 4}, std::vector<bool>{true, true, true, false}));
  const std::vector<Tensor> y = b.impl().apply({Tensor(Shape{1, 4, 1}, {1, 2, 3, 4})}, ctx);
  EXPECT_TRUE(toy(b.forward_layer()).last_masked);
  EXPECT_TRUE(toy(b.backward_layer()).last_masked);
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{1, 3, 6, 0}));
  // The backward layer skips the padding, then reads 3, 2, 1.
  EXPECT_EQ(y[1].to_vector<float>(), (std::vector<float>{6, 5, 3, 0}));
  // The sequence output keeps the input's mask (both outputs when unmerged).
  const auto masks = b.impl().compute_mask({}, ctx.masks);
  ASSERT_EQ(masks.size(), 2u);
  EXPECT_EQ(masks[0]->to_vector<bool>(), ctx.masks[0]->to_vector<bool>());
  EXPECT_EQ(masks[1]->to_vector<bool>(), ctx.masks[0]->to_vector<bool>());
  // Last outputs carry no mask.
  const auto none = Bidirectional(Toy()).impl().compute_mask({}, ctx.masks);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_FALSE(none[0].has_value());
}

TEST(Bidirectional, ReturnsAndTakesStatesForwardThenBackward) {
  const Bidirectional b(Toy({.return_state = true}), {.merge_mode = "sum"});
  // Initial states: the first half starts the forward layer, the second the backward one.
  const Tensor h_forward(Shape{1, 1}, {10});
  const Tensor h_backward(Shape{1, 1}, {100});
  const std::vector<Tensor> y = b(std::vector<Tensor>{kSequence, h_forward, h_backward});
  ASSERT_EQ(y.size(), 3u);
  EXPECT_EQ(toy(b.forward_layer()).last_num_inputs, 2u);
  EXPECT_EQ(y[1].item<float>(), 16.0f);   // forward final state
  EXPECT_EQ(y[2].item<float>(), 106.0f);  // backward final state
  EXPECT_EQ(y[0].item<float>(), 122.0f);
  const std::string message = testing::error_message([&] {
    b(std::vector<Tensor>{kSequence, h_forward});
  });
  EXPECT_TRUE(contains(message, "followed by 2 initial states")) << message;
}

TEST(Bidirectional, UsesAGivenBackwardLayerAsIs) {
  backend::clear_session();
  const Layer backward = Toy({.return_sequences = true, .go_backwards = true, .name = "mine"});
  const Bidirectional b(Toy({.return_sequences = true, .name = "toy"}),
                        {.merge_mode = "sum", .backward_layer = backward});
  EXPECT_EQ(b.backward_layer().ptr(), backward.ptr());
  EXPECT_EQ(b.forward_layer().name(), "forward_toy");
  EXPECT_TRUE(toy(backward).zero_output_for_mask());
  EXPECT_EQ(b(kSequence).to_vector<float>(), (std::vector<float>{7, 8, 9}));

  std::string message = testing::error_message([&] {
    Bidirectional(Toy({.return_sequences = true}),
                  {.backward_layer = Toy({.return_sequences = true})});
  });
  EXPECT_TRUE(contains(message, "different go_backwards values")) << message;
  message = testing::error_message([&] {
    Bidirectional(Toy({.return_sequences = true}), {.backward_layer = Toy({.go_backwards = true})});
  });
  EXPECT_TRUE(contains(message, "the same return_sequences")) << message;
  // Keras sets go_backwards on its copy rather than toggling it.
  message = testing::error_message([&] { Bidirectional(Toy({.go_backwards = true})); });
  EXPECT_TRUE(contains(message, "different go_backwards values")) << message;
}

TEST(Bidirectional, WrapsARealLSTMAsKerasDoes) {
  backend::clear_session();
  const LSTM lstm(75, {.return_sequences = true});
  const Bidirectional b(lstm, {.merge_mode = "ave"});
  EXPECT_EQ(b.forward_layer().name(), "forward_lstm");
  EXPECT_EQ(b.backward_layer().name(), "backward_lstm");
  const auto& forward = dynamic_cast<const RNNImpl&>(b.forward_layer().impl());
  const auto& backward = dynamic_cast<const RNNImpl&>(b.backward_layer().impl());
  EXPECT_FALSE(forward.go_backwards());
  EXPECT_TRUE(backward.go_backwards());
  EXPECT_TRUE(forward.zero_output_for_mask());
  EXPECT_TRUE(backward.zero_output_for_mask());
  EXPECT_EQ(b.compute_output_shape(Shape{None, 50, 64}), (Shape{None, 50, 75}));
  b.impl().maybe_build({Shape{None, 50, 64}});
  EXPECT_EQ(b.count_params(), 2 * 4 * 75 * (64 + 75 + 1));  // 84,000
  EXPECT_FALSE(lstm.built());
  // The next LSTM is lstm_1: the copies' fixed names take no number.
  EXPECT_EQ(LSTM(3).name(), "lstm_1");
}

TEST(Bidirectional, RejectsWhatItCannotWrap) {
  backend::clear_session();
  std::string message = testing::error_message([&] { Bidirectional(Dense(3)); });
  EXPECT_TRUE(contains(message, "can only wrap a recurrent layer")) << message;
  EXPECT_TRUE(contains(message, "Dense \"dense\"")) << message;
  message = testing::error_message([&] { Bidirectional(Toy(), {.merge_mode = "max"}); });
  EXPECT_TRUE(contains(message, "invalid merge_mode \"max\"")) << message;
  message = testing::error_message([&] {
    Bidirectional(Toy()).compute_output_shape(Shape{None, 4});
  });
  EXPECT_TRUE(contains(message, "expects inputs of rank 3")) << message;
}

// ---- against real Keras (tests/fixtures/rnn, reference/make_rnn_fixtures.py) ----

namespace fs = std::filesystem;
const fs::path kRnnFixtures = fs::path(KERASCPP_FIXTURES_DIR) / "rnn";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The cases around Bidirectional, Embedding and Masking: functional models
// whose outputs y_i, and the gradients of L = sum_i sum(y_i * r_i), Keras computed.
std::vector<std::string> keras_cases() {
  std::vector<std::string> names;
  if (!fs::is_directory(kRnnFixtures)) return names;
  for (const auto& entry : fs::directory_iterator(kRnnFixtures)) {
    const std::string name = entry.path().filename().string();
    if ((name.rfind("bidirectional_", 0) == 0 || name == "embedding" || name == "tagger_small") &&
        fs::exists(entry.path() / "case.json")) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The model of each case, built with the C++ API. Keras 3.15.1's functional
// models hold the masks they pass on as extra operation nodes (NotEqual, Any)
// feeding the mask= keyword; until model_from_json reads those, the masked
// cases are checked on the same model written in C++ (which passes the masks
// implicitly), and their summaries are not compared.
std::optional<Model> build_in_cpp(const std::string& name) {
  const auto tokens = [] { return Input({5}, {.dtype = "int32"}); };
  const auto masked_tokens = [](const KerasTensor& t) {
    return Embedding(20, 3, {.mask_zero = true})(t);
  };
  if (name == "bidirectional_concat_masked_seq") {
    const KerasTensor in = tokens();
    return Model(in, Bidirectional(LSTM(4, {.return_sequences = true}))(masked_tokens(in)));
  }
  if (name == "bidirectional_none_masked_seq") {
    const KerasTensor in = tokens();
    return Model(in,
                 Bidirectional(LSTM(4, {.return_sequences = true}), {.merge_mode = std::nullopt})(
                     std::vector<KerasTensor>{masked_tokens(in)}));
  }
  if (name == "bidirectional_none_masked_seq_state") {
    const KerasTensor in = tokens();
    return Model(in, Bidirectional(GRU(4, {.return_sequences = true, .return_state = true}),
                                   {.merge_mode = std::nullopt})(
                         std::vector<KerasTensor>{masked_tokens(in)}));
  }
  if (name == "bidirectional_sum_masked") {
    const KerasTensor in = tokens();
    return Model(in, Bidirectional(LSTM(4), {.merge_mode = "sum"})(masked_tokens(in)));
  }
  if (name == "bidirectional_mul_gru_masked_seq") {
    const KerasTensor in = tokens();
    return Model(in, Bidirectional(GRU(4, {.return_sequences = true}),
                                   {.merge_mode = "mul"})(masked_tokens(in)));
  }
  if (name == "bidirectional_ave_simple_rnn_masking_seq") {
    const KerasTensor in = Input({5, 3});
    return Model(in, Bidirectional(SimpleRNN(4, {.return_sequences = true}),
                                   {.merge_mode = "ave"})(Masking()(in)));
  }
  if (name == "bidirectional_initial_state") {
    const KerasTensor x = Input({5, 3}), hf = Input({4}), hb = Input({4});
    return Model(std::vector<KerasTensor>{x, hf, hb},
                 Bidirectional(GRU(4), {.merge_mode = "sum"})(std::vector<KerasTensor>{x, hf, hb}));
  }
  if (name == "tagger_small") {
    const KerasTensor in = tokens();
    KerasTensor h = Embedding(50, 8, {.mask_zero = true})(in);
    h = Bidirectional(LSTM(6, {.return_sequences = true}), {.merge_mode = "ave"})(h);
    h = Dense(7)(h);
    return Model(in, TimeDistributed(Dense(3, {.activation = "softmax"}))(h));
  }
  return std::nullopt;
}

class KerasCase : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasCase, OutputsGradientsAndSummaryMatchKeras) {
  const fs::path dir = kRnnFixtures / GetParam();
  const auto info = testing::json::parse(read_text(dir / "case.json"));
  backend::clear_session();
  utils::set_random_seed(1234);
  std::optional<Model> loaded;
  try {
    loaded.emplace(models::model_from_json_file((dir / "model.json").string()));
  } catch (const Error& e) {
    const std::string what = e.what();
    const bool mask_nodes = contains(what, "NotEqual") || contains(what, "\"Any\"") ||
                            contains(what, "as a keyword argument");
    if (!mask_nodes) FAIL() << what;
    backend::clear_session();
    loaded = build_in_cpp(GetParam());
    if (!loaded) GTEST_SKIP() << "no C++ twin for this case: " << what;
  }
  const Model& model = *loaded;
  if (read_text(dir / "summary.txt").find("NotEqual") == std::string::npos) {
    ::setenv("COLUMNS", "80", 1);  // Keras' summary in a pipe: 76 columns
    EXPECT_EQ(model.summary_string(), read_text(dir / "summary.txt"));
    ::unsetenv("COLUMNS");
  }
  EXPECT_EQ(model.count_params(), info["count_params"].get<std::int64_t>());

  std::vector<Tensor> weights;
  for (const auto& w : info["weights"]) {
    weights.push_back(io::load_npy((dir / w["file"].get<std::string>()).string()));
  }
  model.set_weights(weights);
  std::vector<Tensor> inputs;
  for (const auto& in : info["inputs"]) {
    inputs.push_back(io::load_npy((dir / in["file"].get<std::string>()).string()));
  }

  const std::vector<Variable> trainable = model.trainable_weights();
  GradientTape tape;
  for (const Variable& v : trainable) tape.watch(v);
  const std::vector<Tensor> outputs = model(inputs);
  const auto& expected = info["outputs"];
  ASSERT_EQ(outputs.size(), expected.size());
  const auto& tol = info["tolerances"];
  Tensor loss;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    SCOPED_TRACE("output " + std::to_string(i));
    const Tensor y = io::load_npy((dir / expected[i]["file"].get<std::string>()).string());
    testing::expect_allclose(outputs[i], y, tol["outputs"]["rtol"], tol["outputs"]["atol"]);
    const Tensor r = io::load_npy((dir / expected[i]["cotangent"].get<std::string>()).string());
    const Tensor term = ops::sum(ops::multiply(outputs[i], r));
    loss = loss.defined() ? ops::add(loss, term) : term;
  }
  EXPECT_NEAR(loss.item<double>(), info["loss_value"].get<double>(), 1e-4);
  const std::vector<Tensor> grads = tape.gradient(loss, trainable);
  const auto& expected_grads = info["trainable_weights"];
  ASSERT_EQ(grads.size(), expected_grads.size());
  for (std::size_t i = 0; i < grads.size(); ++i) {
    SCOPED_TRACE(expected_grads[i]["path"].get<std::string>());
    const Tensor g =
        io::load_npy((dir / expected_grads[i]["gradient"].get<std::string>()).string());
    testing::expect_allclose(grads[i], g, tol["gradients"]["rtol"], tol["gradients"]["atol"]);
  }
}

INSTANTIATE_TEST_SUITE_P(Rnn, KerasCase, ::testing::ValuesIn(keras_cases()),
                         [](const auto& param) { return param.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KerasCase);

}  // namespace
}  // namespace keras::layers
