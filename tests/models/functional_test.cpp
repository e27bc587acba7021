// keras::Model (the functional API): graph order, execution, shared layers,
// models as layers, masks, predict, and the errors, with toy layers and real ones.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "keras/layers/dense.hpp"
#include "keras/layers/flatten.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "models/toy_layers.hpp"

namespace L = keras::layers;
using keras::Input;
using keras::Model;
using keras::Shape;
using keras::Tensor;

namespace {

std::vector<std::string> names(const std::vector<keras::Layer>& layers) {
  std::vector<std::string> out;
  for (const auto& l : layers) out.push_back(l.name());
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string summary80(const Model& m) {
  setenv("COLUMNS", "80", 1);
  std::string s = m.summary_string();
  unsetenv("COLUMNS");
  return s;
}

}  // namespace

TEST(Functional, AutoNamesFollowKeras) {
  keras::backend::clear_session();
  auto x = Input({3, 2});
  EXPECT_EQ(x.layer().name(), "input_layer");
  EXPECT_EQ(x.shape(), Shape({keras::None, 3, 2}));
  L::Dense d(4);
  EXPECT_EQ(d.name(), "dense");
  Model m(x, d(x));
  EXPECT_EQ(m.name(), "functional");
  EXPECT_EQ(m.class_name(), "Functional");
  Model m2(x, L::Dense(2)(x));
  EXPECT_EQ(m2.name(), "functional_1");
  EXPECT_EQ(Input({1}).layer().name(), "input_layer_1");
  EXPECT_EQ(Input({1}, {.name = "features"}).layer().name(), "features");
  EXPECT_EQ(Input({1}).layer().name(), "input_layer_2");
  keras::backend::clear_session();
  EXPECT_EQ(Input({1}).layer().name(), "input_layer");
  EXPECT_EQ(L::Dense(1).name(), "dense");
}

TEST(Functional, InputOptions) {
  auto x = Input({5}, {.batch_size = 3, .dtype = "int32"});
  EXPECT_EQ(x.shape(), Shape({3, 5}));
  EXPECT_EQ(x.dtype(), keras::DType::int32);
  EXPECT_THROW(Input({5}, {.dtype = "complex64"}), keras::Error);
  EXPECT_THROW(Input({5}, {.batch_size = 0}), keras::Error);
}

TEST(Functional, OrderOfLayersFollowsKerasDepthAndVisitOrder) {
  keras::backend::clear_session();
  auto inp = Input({4});
  auto a = L::Dense(4, {.name = "a"})(inp);
  auto b = L::Dense(4, {.name = "b"})(inp);
  // Same depth: ordered by first visit from the outputs, b first here.
  EXPECT_EQ(names(Model(inp, std::vector{b, a}).layers()),
            (std::vector<std::string>{"input_layer", "b", "a"}));
  EXPECT_EQ(names(Model(inp, std::vector{a, b}).layers()),
            (std::vector<std::string>{"input_layer", "a", "b"}));
}

TEST(Functional, UnusedInputsComeAtDepthZero) {
  keras::backend::clear_session();
  auto i1 = Input({2});
  auto i2 = Input({2});
  auto i3 = Input({2});
  Model m(std::vector{i1, i2, i3}, L::Dense(1)(i2));
  EXPECT_EQ(names(m.layers()),
            (std::vector<std::string>{"input_layer_1", "input_layer", "input_layer_2", "dense"}));
  EXPECT_EQ(summary80(m), R"(Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer_1       │ (None, 2)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ input_layer         │ (None, 2)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ input_layer_2       │ (None, 2)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 1)         │          3 │ input_layer_1[0]… │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 3 (12.00 B)
 Trainable params: 3 (12.00 B)
 Non-trainable params: 0 (0.00 B)
)");
  // Unused inputs still take their place in predict.
  auto y = m.predict({Tensor({1, 2}, {1, 2}), Tensor({1, 2}, {3, 4}), Tensor({1, 2}, {5, 6})});
  ASSERT_EQ(y.size(), 1u);
  EXPECT_EQ(y[0].shape(), Shape({1, 1}));
}

TEST(Functional, LayerSharedAtTwoDepthsTakesTheDeepest) {
  keras::backend::clear_session();
  auto x = Input({2});
  L::Dense a(2, {.name = "a"});
  auto w = a(L::Dense(2, {.name = "mid"})(a(x)));
  Model m(x, w);
  EXPECT_EQ(names(m.layers()), (std::vector<std::string>{"input_layer", "a", "mid"}));
  EXPECT_EQ(m.count_params(), 12);
  EXPECT_EQ(summary80(m), R"(Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer         │ (None, 2)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ a (Dense)           │ (None, 2)         │          6 │ input_layer[0][0… │
│                     │                   │            │ mid[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ mid (Dense)         │ (None, 2)         │          6 │ a[0][0]           │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 12 (48.00 B)
 Trainable params: 12 (48.00 B)
 Non-trainable params: 0 (0.00 B)
)");
}

TEST(Functional, SharedToyLayerRunsTwiceWithOneSetOfWeights) {
  keras::backend::clear_session();
  toy::Affine shared;
  auto x = Input({3});
  auto y = toy::Sum()({shared(x), shared(shared(x))});
  Model m(x, y);
  EXPECT_EQ(m.weights().size(), 2u);  // scale and shift, once
  EXPECT_EQ(m.count_params(), 2);
  EXPECT_EQ(m.trainable_weights().size(), 1u);
  EXPECT_EQ(m.non_trainable_weights().size(), 1u);
  m.set_weights({Tensor({1}, {2.0f}), Tensor({1}, {1.0f})});
  // f(v) = 2v + 1; y = f(v) + f(f(v)) = (2v + 1) + (4v + 3) = 6v + 4.
  Tensor out = m.predict(Tensor({2, 3}, {0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(out.shape(), Shape({2, 3}));
  EXPECT_EQ(out.to_vector<float>(), (std::vector<float>{4, 10, 16, 22, 28, 34}));
  const auto w = m.get_weights();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].to_vector<float>(), std::vector<float>{2.0f});
}

TEST(Functional, MultipleOutputsOfOneLayer) {
  auto x = Input({2});
  auto parts = toy::Split()(std::vector<keras::KerasTensor>{x});
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].tensor_index(), 1);
  Model m(x, std::vector{parts[1], parts[0]});
  auto y = m.predict(std::vector<Tensor>{Tensor({1, 2}, {1, -2})});
  ASSERT_EQ(y.size(), 2u);
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{-1, 2}));
  EXPECT_EQ(y[1].to_vector<float>(), (std::vector<float>{1, -2}));
  EXPECT_NE(error_of([&] {
              m.predict(Tensor({1, 2}, {1, 2}));
            }).find("to get all of them"),
            std::string::npos);
  EXPECT_NE(error_of([&] { toy::Split()(x); }).find("returns 2 tensors"), std::string::npos);
}

TEST(Functional, ModelUsedAsLayer) {
  keras::backend::clear_session();
  auto i = Input({4});
  toy::Affine inner_affine;
  Model inner(i, inner_affine(i));  // functional
  auto j = Input({4});
  toy::Affine outer_affine;
  Model outer(j, outer_affine(inner(j)));  // functional_1
  EXPECT_EQ(outer.name(), "functional_1");
  EXPECT_EQ(names(outer.layers()),
            (std::vector<std::string>{"input_layer_1", "functional", "affine_1"}));
  // The outer model's weights: the inner model's, then its own layer's.
  EXPECT_EQ(outer.count_params(), 4);
  outer.set_weights(
      {Tensor({1}, {2.0f}), Tensor({1}, {0.0f}), Tensor({1}, {3.0f}), Tensor({1}, {1.0f})});
  EXPECT_EQ(inner_affine.state().scale.value().to_vector<float>(), std::vector<float>{2.0f});
  Tensor y = outer.predict(Tensor({1, 4}, {1, 2, 3, 4}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{7, 13, 19, 25}));
  // The inner model on its own shares those weights.
  EXPECT_EQ(inner.predict(Tensor({1, 4}, {1, 2, 3, 4})).to_vector<float>(),
            (std::vector<float>{2, 4, 6, 8}));
  // Calling the inner model on a wrong shape is caught at graph time.
  EXPECT_EQ(error_of([&] { inner(Input({5})); }),
            "Model \"functional\" expects input 0 of shape (None, 4), got (None, 5).");
}

TEST(Functional, MasksFlowThroughLayersThatSupportThem) {
  auto x = Input({2, 2});
  toy::Affine reader;
  Model m(x, reader(toy::Affine()(toy::MaskZero()(x))));
  m.predict(Tensor({1, 2, 2}, {0, 0, 1, 0}));
  ASSERT_EQ(reader.state().last_masks.size(), 1u);
  ASSERT_TRUE(reader.state().last_masks[0].has_value());
  EXPECT_EQ(reader.state().last_masks[0]->shape(), Shape({1, 2}));
  EXPECT_EQ(reader.state().last_masks[0]->to_vector<int>(), (std::vector<int>{0, 1}));
  // Without a mask-making layer there is none.
  toy::Affine plain;
  Model m2(x, plain(x));
  m2.predict(Tensor({1, 2, 2}, {0, 0, 1, 0}));
  EXPECT_TRUE(plain.state().last_masks.empty());
}

TEST(Functional, PredictBatchesAndConcatenates) {
  auto x = Input({2});
  toy::Affine a;
  Model m(x, a(x));
  std::vector<float> values(10);
  for (int i = 0; i < 10; ++i) values[i] = static_cast<float>(i);
  Tensor y = m.predict(Tensor({5, 2}, values), {.batch_size = 2});
  EXPECT_EQ(a.state().batch_sizes, (std::vector<std::int64_t>{2, 2, 1}));
  EXPECT_EQ(y.shape(), Shape({5, 2}));
  EXPECT_EQ(y.to_vector<float>(), values);
  a.state().batch_sizes.clear();
  m.predict(Tensor({5, 2}, values));
  EXPECT_EQ(a.state().batch_sizes, (std::vector<std::int64_t>{5}));
  EXPECT_THROW(m.predict(Tensor({5, 2}, values), {.batch_size = 0}), keras::Error);
}

TEST(Functional, PredictConvertsToTheInputDtypeAndAdjustsATrailingAxis) {
  auto x = Input({3, 1}, {.dtype = "int32"});
  toy::Affine a;
  Model m(x, a(x));
  // Keras converts to the Input's dtype (floats are truncated to int32) and
  // adds the trailing axis of size 1.
  Tensor y = m.predict(Tensor({1, 3}, std::vector<double>{1.7, -2.2, 3.0}));
  EXPECT_EQ(a.state().input_dtypes.back(), keras::DType::int32);
  EXPECT_EQ(y.shape(), Shape({1, 3, 1}));
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{1, -2, 3}));
}

TEST(Functional, PredictChecksShapesAgainstTheInputs) {
  keras::backend::clear_session();
  auto x = Input({3, 2});
  Model m(x, L::Dense(4)(x));
  EXPECT_EQ(error_of([&] {
              m.predict(Tensor::zeros({1, 2, 3}));
            }),
            "Model \"functional\" expects input 0 of shape (None, 3, 2), got (1, 2, 3). Each "
            "sample has the right number of values (6) in another layout: reshape the data to "
            "(1, 3, 2), or put a Reshape layer after the Input.");
  EXPECT_EQ(error_of([&] {
              m.predict(Tensor::zeros({3, 2}));
            }),
            "Model \"functional\" expects input 0 of shape (None, 3, 2), got (3, 2). The batch "
            "dimension seems to be missing: pass a tensor of shape (1, 3, 2) for one sample.");
  EXPECT_EQ(error_of([&] {
              m.predict({Tensor::zeros({1, 3, 2}), Tensor::zeros({1, 3, 2})});
            }),
            "Model \"functional\" expects 1 input, got 2.");
  // The batch dimension is not checked, as in Keras.
  auto fixed = Input({2}, {.batch_size = 3});
  Model mf(fixed, L::Dense(1)(fixed));
  EXPECT_EQ(mf.predict(Tensor::zeros({5, 2})).shape(), Shape({5, 1}));
}

TEST(Functional, DenseShapeErrorsSurfaceAtConstruction) {
  keras::backend::clear_session();
  auto x = Input({3});
  L::Dense d(2);
  d(Input({4}));  // builds for a last dimension of 4
  EXPECT_EQ(error_of([&] { d(x); }),
            "Dense \"dense\" expects inputs whose last dimension is 4, got shape (None, 3).");
  L::Dense d6(4);
  d6(Input({6}));
  EXPECT_EQ(error_of([&] {
              d6(Input({3, 2}));
            }),
            "Dense \"dense_1\" expects inputs whose last dimension is 6, got shape (None, 3, 2). "
            "Dense contracts only the last axis; add Flatten() first to mix all axes.");
}

TEST(Functional, OutputNotConnectedToInputsNamesTheMissingInput) {
  keras::backend::clear_session();
  auto a = Input({2});
  auto b = Input({2});
  auto y = toy::Sum()({a, b});
  EXPECT_EQ(error_of([&] { (void)Model(a, y); }),
            "Model \"functional\": output 0 (the output 0 of Sum \"sum\" (shape (None, 2))) is "
            "not connected to the model's inputs: it depends on InputLayer \"input_layer_1\", "
            "which is not among the model's inputs. Add it to the inputs.");
}

TEST(Functional, InputsMustBeInputTensors) {
  keras::backend::clear_session();
  auto a = Input({2});
  auto h = L::Dense(3)(a);
  const std::string msg = error_of([&] { (void)Model(h, L::Dense(1)(h)); });
  EXPECT_NE(msg.find("input 0 is the output 0 of Dense \"dense\" (shape (None, 3)), not a "
                     "keras::Input tensor"),
            std::string::npos)
      << msg;
}

TEST(Functional, LayerNamesMustBeUnique) {
  auto a = Input({2});
  auto y = L::Dense(2, {.name = "twin"})(L::Dense(2, {.name = "twin"})(a));
  const std::string msg = error_of([&] { (void)Model(a, y); });
  EXPECT_NE(msg.find("the name \"twin\" is used 2 times in the model"), std::string::npos) << msg;
}

TEST(Functional, GetLayerAndInputsOutputs) {
  keras::backend::clear_session();
  auto x = Input({3});
  auto y = L::Dense(2)(x);
  Model m(x, y, {.name = "net"});
  EXPECT_EQ(m.name(), "net");
  EXPECT_EQ(m.get_layer("dense").class_name(), "Dense");
  EXPECT_EQ(error_of([&] { m.get_layer("nope"); }),
            "No such layer: nope. Existing layers are: [input_layer, dense].");
  ASSERT_EQ(m.inputs().size(), 1u);
  EXPECT_EQ(m.inputs()[0].id(), x.id());
  EXPECT_EQ(m.outputs()[0].shape(), Shape({keras::None, 2}));
  EXPECT_THROW((void)Model(L::Dense(1).ptr()), keras::Error);
}

TEST(Functional, TrainableFalseFreezesTheWholeModel) {
  auto x = Input({3});
  L::Dense d(2);
  Model m(x, d(x), {.trainable = false});
  EXPECT_TRUE(m.trainable_weights().empty());
  EXPECT_EQ(m.non_trainable_weights().size(), 2u);
  EXPECT_EQ(d.trainable_weights().size(), 2u);  // the layer's own flag is unchanged
  m.set_trainable(true);
  EXPECT_EQ(m.trainable_weights().size(), 2u);
  d.set_trainable(false);
  EXPECT_TRUE(m.trainable_weights().empty());
  EXPECT_EQ(m.non_trainable_weights().size(), 2u);
}

TEST(Functional, GraphOutlivesTheCallerTensors) {
  Model m = [] {
    auto x = Input({2});
    toy::Affine a;
    return Model(x, a(toy::Affine()(x)));
  }();
  EXPECT_EQ(m.layers().size(), 3u);
  EXPECT_EQ(m.predict(Tensor({1, 2}, {1, 2})).to_vector<float>(), (std::vector<float>{1, 2}));
}
