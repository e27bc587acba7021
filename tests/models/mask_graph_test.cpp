// Masks as nodes of the functional graph, as Keras 3 makes them: a masking
// layer's compute_mask on symbolic tensors records graph operations
// (Embedding(mask_zero=True): not_equal; Masking: not_equal then any), and a
// layer whose call takes mask= (RNNs, Bidirectional, TimeDistributed, models)
// is connected to that mask. Checked against Keras' own summary, config and
// predictions for the same models (testdata/make_mask_graph_cases.py and the
// rnn fixtures), built in C++ and read back from Keras' configs.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "layers/layer_config_writer.hpp"
#include "models/fixture_testing.hpp"
#include "operations/operation.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using keras::KerasTensor;
using keras::Tensor;
using kerascpp_testing::EnvGuard;
using kerascpp_testing::json_difference;
using kerascpp_testing::read_file;

const fs::path kTestData = fs::path(KERASCPP_FIXTURES_DIR) / ".." / "models" / "testdata";
const fs::path kRnnFixtures = fs::path(KERASCPP_FIXTURES_DIR) / "rnn";

const json& keras_cases() {
  static const json cases = json::parse(read_file(kTestData / "mask_graph_cases.json"));
  return cases;
}

json config_of(const keras::Model& model) {
  return keras::detail::serialize_layer(model.impl()).object;
}

// Weight k, flattened, is 0.5 * sin(0.37 * i + k), as the script sets it.
void set_fixed_weights(const keras::Model& model) {
  std::vector<Tensor> values;
  int k = 0;
  for (const Tensor& w : model.get_weights()) {
    std::vector<float> v(static_cast<std::size_t>(w.shape().num_elements()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = static_cast<float>(0.5 * std::sin(0.37 * static_cast<double>(i) + k));
    }
    values.emplace_back(w.shape(), v);
    ++k;
  }
  model.set_weights(values);
}

std::vector<Tensor> keras_inputs(const json& c) {
  std::vector<Tensor> xs;
  for (const json& x : c.at("inputs")) {
    const keras::Shape shape(x.at("shape").get<std::vector<std::int64_t>>());
    const auto values = x.at("values").get<std::vector<double>>();
    Tensor t = Tensor(shape, std::vector<float>(values.begin(), values.end()));
    if (x.at("dtype") == "int32") t = t.astype(keras::DType::int32);
    xs.push_back(t);
  }
  return xs;
}

void expect_keras_outputs(const std::vector<Tensor>& ys, const json& c) {
  const json& outputs = c.at("outputs");
  ASSERT_EQ(ys.size(), outputs.size());
  for (std::size_t i = 0; i < ys.size(); ++i) {
    SCOPED_TRACE("output " + std::to_string(i));
    EXPECT_EQ(ys[i].shape(), keras::Shape(outputs[i].at("shape").get<std::vector<std::int64_t>>()));
    const auto want = outputs[i].at("values").get<std::vector<double>>();
    const auto got = ys[i].to_vector<double>();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], want[k], 1e-5) << k;
  }
}

// The models of make_mask_graph_cases.py, built the same way.
const std::map<std::string, std::function<keras::Model()>>& cpp_models() {
  static const std::map<std::string, std::function<keras::Model()>> models = {
      {"nested_model_takes_mask",
       [] {
         auto i = keras::Input({5, 8});
         keras::Model inner(i, L::LSTM(4)(i), {.name = "inner"});
         auto tok = keras::Input({5}, {.dtype = "int32"});
         auto h = L::Embedding(20, 8, {.mask_zero = true})(tok);
         return keras::Model(tok, L::Dense(2)(inner(h)));
       }},
      {"masking_bidirectional_two_outputs",
       [] {
         auto inp = keras::Input({6, 4});
         auto h = L::Masking({.mask_value = -1.0})(inp);
         L::Bidirectional bi(L::GRU(3, {.return_sequences = true}), {.merge_mode = std::nullopt});
         // Called on one tensor (not a list), as bi(h) in Keras.
         const std::vector<KerasTensor> ab = bi.impl().apply_symbolic({h}, false);
         auto ta = L::TimeDistributed(L::Dense(2))(ab[0]);
         auto o = L::LSTM(2)(ab[1]);
         return keras::Model(inp, std::vector<KerasTensor>{ta, o});
       }},
      {"two_embeddings",
       [] {
         auto t1 = keras::Input({5}, {.dtype = "int32"});
         auto t2 = keras::Input({5}, {.dtype = "int32"});
         auto l1 = L::LSTM(3)(L::Embedding(30, 4, {.mask_zero = true})(t1));
         auto l2 = L::GRU(3)(L::Embedding(30, 4, {.mask_zero = true})(t2));
         return keras::Model({t1, t2}, L::Add()({l1, l2})[0]);
       }},
      {"shared_embedding",
       [] {
         auto t1 = keras::Input({5}, {.dtype = "int32"});
         auto t2 = keras::Input({5}, {.dtype = "int32"});
         L::Embedding emb(30, 4, {.mask_zero = true});
         auto s1 = L::SimpleRNN(3, {.return_sequences = true})(emb(t1));
         auto s2 = L::SimpleRNN(3)(emb(t2));
         return keras::Model(std::vector<KerasTensor>{t1, t2}, std::vector<KerasTensor>{s1, s2});
       }},
  };
  return models;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : cpp_models()) names.push_back(name);
  return names;
}

class KerasMaskGraph : public testing::TestWithParam<std::string> {
 protected:
  const json& keras_case() const { return keras_cases().at(GetParam()); }
  keras::Model build() const {
    keras::backend::clear_session();  // Keras' names, as in a fresh process
    keras::Model model = cpp_models().at(GetParam())();
    set_fixed_weights(model);
    return model;
  }
  keras::Model load() const {
    keras::backend::clear_session();
    keras::Model model = keras::models::model_from_json(keras_case().at("config").dump());
    set_fixed_weights(model);
    return model;
  }
};

TEST_P(KerasMaskGraph, SummaryShowsTheMaskOperations) {
  EnvGuard columns("COLUMNS", "80");
  EXPECT_EQ(build().summary_string(), keras_case().at("summary").get<std::string>());
}

TEST_P(KerasMaskGraph, ConfigListsTheOperationsAndMaskArguments) {
  EXPECT_EQ(json_difference(config_of(build()), keras_case().at("config")), "");
}

TEST_P(KerasMaskGraph, PredictMatchesKeras) {
  expect_keras_outputs(build().predict(keras_inputs(keras_case())), keras_case());
}

TEST_P(KerasMaskGraph, KerasConfigLoadsWithItsMasks) {
  EnvGuard columns("COLUMNS", "80");
  const keras::Model model = load();
  EXPECT_EQ(model.summary_string(), keras_case().at("summary").get<std::string>());
  EXPECT_EQ(json_difference(config_of(model), keras_case().at("config")), "");
  expect_keras_outputs(model.predict(keras_inputs(keras_case())), keras_case());
}

INSTANTIATE_TEST_SUITE_P(Keras, KerasMaskGraph, testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

keras::Model tagger() {
  keras::backend::clear_session();
  auto tokens = keras::Input({5}, {.dtype = "int32"});
  auto h = L::Embedding(50, 8, {.mask_zero = true})(tokens);
  h = L::Bidirectional(L::LSTM(6, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  h = L::Dense(7)(h);
  return keras::Model(tokens, L::TimeDistributed(L::Dense(3, {.activation = "softmax"}))(h));
}

TEST(MaskGraph, FunctionalTaggerPrintsAndWritesWhatKerasDoes) {
  EnvGuard columns("COLUMNS", "80");
  const keras::Model model = tagger();
  EXPECT_EQ(model.summary_string(), read_file(kRnnFixtures / "tagger_small" / "summary.txt"));
  const json keras_config = json::parse(read_file(kRnnFixtures / "tagger_small" / "model.json"));
  EXPECT_EQ(json_difference(config_of(model), keras_config), "");
}

TEST(MaskGraph, MaskingThenLstmPrintsNotEqualAndAny) {
  EnvGuard columns("COLUMNS", "80");
  keras::backend::clear_session();
  auto inp = keras::Input({5, 3});
  keras::Model model(inp, L::LSTM(4, {.return_sequences = true})(L::Masking()(inp)));
  const fs::path dir = kRnnFixtures / "lstm_masking_functional";
  EXPECT_EQ(model.summary_string(), read_file(dir / "summary.txt"));
  EXPECT_EQ(json_difference(config_of(model), json::parse(read_file(dir / "model.json"))), "");
}

TEST(MaskGraph, LayersLeaveOutTheOperations) {
  const keras::Model model = tagger();
  std::vector<std::string> names;
  for (const keras::Layer& layer : model.layers()) names.push_back(layer.name());
  EXPECT_EQ(names, (std::vector<std::string>{"input_layer", "embedding", "bidirectional", "dense",
                                             "time_distributed"}));
  EXPECT_THROW(model.get_layer("not_equal"), keras::Error);
  EXPECT_EQ(model.count_params(), 1193);
}

TEST(MaskGraph, SequentialPrintsNoOperationRows) {
  EnvGuard columns("COLUMNS", "80");
  keras::backend::clear_session();
  keras::Sequential model({
      keras::Input({5}, {.dtype = "int32"}),
      L::Embedding(50, 8, {.mask_zero = true}),
      L::Bidirectional(L::LSTM(6, {.return_sequences = true}), {.merge_mode = "ave"}),
      L::Dense(7),
      L::TimeDistributed(L::Dense(3, {.activation = "softmax"})),
  });
  EXPECT_EQ(model.summary_string(),
            read_file(kRnnFixtures / "tagger_small_sequential" / "summary.txt"));
  EXPECT_EQ(model.layers().size(), 4u);
}

TEST(MaskGraph, SymbolicMasksFollowKerasRules) {
  keras::backend::clear_session();
  auto tokens = keras::Input({5}, {.dtype = "int32"});
  EXPECT_FALSE(tokens.mask().defined());
  auto e = L::Embedding(10, 4, {.mask_zero = true})(tokens);
  ASSERT_TRUE(e.mask().defined());
  EXPECT_EQ(e.mask().layer().class_name(), "NotEqual");
  EXPECT_EQ(e.mask().dtype(), keras::DType::bool_);
  EXPECT_EQ(e.mask().shape(), keras::Shape({keras::None, 5}));
  // Dense passes the same mask tensor on; its call takes none.
  auto d = L::Dense(3)(e);
  EXPECT_EQ(d.mask().id(), e.mask().id());
  EXPECT_TRUE(d.node()->masks.empty());
  // An RNN takes it (a connection) and keeps it only on sequences.
  auto seq = L::GRU(2, {.return_sequences = true})(d);
  ASSERT_EQ(seq.node()->masks.size(), 1u);
  EXPECT_EQ(seq.node()->masks[0].id(), e.mask().id());
  EXPECT_EQ(seq.mask().id(), e.mask().id());
  auto last = L::GRU(2)(d);
  EXPECT_FALSE(last.mask().defined());
  // Without mask_zero there is no mask, and nothing is recorded.
  auto plain = L::Embedding(10, 4)(tokens);
  EXPECT_FALSE(plain.mask().defined());
  EXPECT_TRUE(L::LSTM(2)(plain).node()->masks.empty());
}

// A layer whose symbolic mask is a graph operation but which computes none
// when run: the reader below must get the graph's mask, not the (missing)
// propagated one.
class GraphOnlyMaskImpl : public keras::LayerImpl {
 public:
  GraphOnlyMaskImpl() : LayerImpl("GraphOnlyMask") {}
  bool supports_masking() const override { return true; }
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const keras::CallContext&) override {
    return inputs;
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>&) const override {
    return {};
  }
  std::vector<KerasTensor> compute_symbolic_mask(const std::vector<KerasTensor>& inputs,
                                                 const std::vector<KerasTensor>&) const override {
    return {keras::operations::any(keras::operations::not_equal(inputs[0], 0.0), -1)};
  }
};

class MaskReaderImpl : public keras::LayerImpl {
 public:
  MaskReaderImpl() : LayerImpl("MaskReader") {}
  bool call_has_mask_arg() const override { return true; }
  std::vector<Tensor> call(const std::vector<Tensor>& inputs,
                           const keras::CallContext& ctx) override {
    seen = ctx.masks;
    return inputs;
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
  std::vector<std::optional<Tensor>> seen;
};

TEST(MaskGraph, RunningTheGraphPassesTheRecordedMask) {
  keras::backend::clear_session();
  auto x = keras::Input({3, 2});
  auto reader = std::make_shared<MaskReaderImpl>();
  auto masked = keras::Layer(std::make_shared<GraphOnlyMaskImpl>())(x);
  keras::Model model(x, keras::Layer(reader)(masked));
  // Rows: all zero (masked), one nonzero feature, all nonzero.
  model.predict(Tensor({1, 3, 2}, {0, 0, 0, 1, 2, 3}));
  ASSERT_EQ(reader->seen.size(), 1u);
  ASSERT_TRUE(reader->seen[0].has_value());
  EXPECT_EQ(reader->seen[0]->dtype(), keras::DType::bool_);
  EXPECT_EQ(reader->seen[0]->shape(), keras::Shape({1, 3}));
  EXPECT_EQ(reader->seen[0]->to_vector<int>(), (std::vector<int>{0, 1, 1}));
}

TEST(MaskGraph, AnyReducesTheAxesItIsGiven) {
  keras::backend::clear_session();
  auto x = keras::Input({2, 3});
  const auto ne = keras::operations::not_equal(x, 0.0);
  keras::Model last(x, keras::operations::any(ne, -1));
  keras::Model first_kept(x, keras::operations::any(ne, json::array({1}), true));
  keras::Model all(x, keras::operations::any(ne, nullptr));
  const Tensor v({2, 2, 3}, {0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0});
  const Tensor a = last.predict(v);
  EXPECT_EQ(a.shape(), keras::Shape({2, 2}));
  EXPECT_EQ(a.to_vector<int>(), (std::vector<int>{0, 1, 0, 0}));
  const Tensor b = first_kept.predict(v);
  EXPECT_EQ(b.shape(), keras::Shape({2, 1, 3}));
  EXPECT_EQ(b.to_vector<int>(), (std::vector<int>{0, 1, 0, 0, 0, 0}));
  const Tensor c = all(v);  // no batch axis left: a call, not predict
  EXPECT_EQ(c.shape(), keras::Shape({}));
  EXPECT_EQ(c.to_vector<int>(), (std::vector<int>{1}));
}

TEST(MaskGraph, OperationConfigsAreKeras) {
  keras::backend::clear_session();
  auto x = keras::Input({4}, {.dtype = "int32"});
  const KerasTensor ne = keras::operations::not_equal(x, 0);
  const KerasTensor any = keras::operations::any(ne, -1);
  const json op = keras::detail::serialize_layer(ne.layer()).object;
  EXPECT_EQ(op, json::parse(R"({"module": "keras.src.ops.numpy", "class_name": "NotEqual",
                               "config": {"name": "not_equal"}, "registered_name": "NotEqual"})"));
  EXPECT_EQ(keras::detail::serialize_layer(any.layer()).object.at("config"),
            json::parse(R"({"name": "any", "axis": -1, "keepdims": false})"));
  // The compared value is written as given: 0 for an int, 0.0 for a float.
  keras::Model model(x, any);
  const json layers = config_of(model).at("config").at("layers");
  EXPECT_EQ(layers[1].at("inbound_nodes")[0].at("args")[1].dump(), "0");
  auto f = keras::Input({4});
  keras::Model float_model(f, keras::operations::not_equal(f, 0.0));
  EXPECT_EQ(config_of(float_model)
                .at("config")
                .at("layers")[1]
                .at("inbound_nodes")[0]
                .at("args")[1]
                .dump(),
            "0.0");
}

TEST(MaskGraph, UnknownOperationsAreNamed) {
  json config = json::parse(read_file(kRnnFixtures / "lstm_masking_functional" / "model.json"));
  config["config"]["layers"][3]["class_name"] = "All";
  try {
    keras::models::model_from_json(config.dump());
    ADD_FAILURE() << "no error";
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown operation class \"All\""), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("model.config.layers[3]"), std::string::npos) << e.what();
  }
}

TEST(MaskGraph, OperationArgumentsAreChecked) {
  json config = json::parse(read_file(kRnnFixtures / "lstm_masking_functional" / "model.json"));
  config["config"]["layers"][1]["inbound_nodes"][0]["args"][1] = "zero";
  try {
    keras::models::model_from_json(config.dump());
    ADD_FAILURE() << "no error";
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("NotEqual \"not_equal\" compares with a number or a "
                                         "tensor, got \"zero\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
