// keras::Sequential: building with and without an Input, add/pop/build,
// naming, summaries of the seed models, and Keras' errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "keras/layers/activation.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/flatten.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "models/toy_layers.hpp"

namespace L = keras::layers;
using keras::Input;
using keras::Sequential;
using keras::Shape;
using keras::Tensor;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string read_fixture(const std::string& path) {
  std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/core/" + path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string summary_at(const keras::Model& m, const char* columns) {
  setenv("COLUMNS", columns, 1);
  std::string s = m.summary_string();
  unsetenv("COLUMNS");
  return s;
}

std::vector<std::string> names(const std::vector<keras::Layer>& layers) {
  std::vector<std::string> out;
  for (const auto& l : layers) out.push_back(l.name());
  return out;
}

}  // namespace

TEST(Sequential, SeedModelWithInput) {
  keras::backend::clear_session();
  Sequential model({Input({3, 2}), L::Dense(16), L::Activation("relu"), L::Flatten(), L::Dense(4)});
  EXPECT_EQ(model.name(), "sequential");
  EXPECT_EQ(model.class_name(), "Sequential");
  EXPECT_EQ(names(model.layers()),
            (std::vector<std::string>{"dense", "activation", "flatten", "dense_1"}));
  EXPECT_EQ(model.count_params(), 244);
  EXPECT_EQ(model.inputs()[0].layer().name(), "input_layer");
  EXPECT_EQ(summary_at(model, "80"), read_fixture("seed2_flatten/summary.txt"));
  EXPECT_EQ(summary_at(model, "200"), read_fixture("seed2_flatten/summary_wide.txt"));
  Tensor y = model.predict(Tensor({1, 3, 2}, {1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(y.shape(), Shape({1, 4}));
}

TEST(Sequential, WithoutFlattenDenseKeepsTheMiddleAxis) {
  keras::backend::clear_session();
  Sequential model({Input({3, 2}), L::Dense(16), L::Activation("relu"), L::Dense(4)});
  EXPECT_EQ(model.count_params(), 48 + 68);
  EXPECT_EQ(model.predict(Tensor({1, 3, 2}, {1, 2, 3, 4, 5, 6})).shape(), Shape({1, 3, 4}));
  EXPECT_EQ(summary_at(model, "80"), read_fixture("seed2_no_flatten/summary.txt"));
}

TEST(Sequential, EachBuildTakesAFunctionalName) {
  keras::backend::clear_session();
  Sequential seq;
  seq.add(Input({6}));
  seq.add(L::Dense(4, {.activation = "relu"}));
  seq.add(L::Dense(2));
  auto inp = Input({6});
  keras::Model model(inp, L::Dense(3)(seq(inp)));
  // Keras rebuilds an inner Functional on each add() after the Input.
  EXPECT_EQ(model.name(), "functional_2");
  EXPECT_EQ(summary_at(model, "80"), read_fixture("sequential_add_nested/summary.txt"));
  EXPECT_EQ(summary_at(model, "200"), read_fixture("sequential_add_nested/summary_wide.txt"));
}

TEST(Sequential, WithoutInputIsUnbuiltUntilBuild) {
  keras::backend::clear_session();
  Sequential model({L::Dense(4), L::Dense(2)});
  EXPECT_FALSE(model.built());
  EXPECT_EQ(model.count_params(), 0);
  EXPECT_EQ(summary_at(model, "80"),
            read_fixture("sequential_no_input_built_later/summary_unbuilt.txt"));
  EXPECT_EQ(summary_at(model, "200"),
            read_fixture("sequential_no_input_built_later/summary_unbuilt_wide.txt"));
  EXPECT_NE(error_of([&] { model.inputs(); }).find("has no input shape yet"), std::string::npos);
  model.build({keras::None, 5});
  EXPECT_TRUE(model.built());
  EXPECT_EQ(model.count_params(), 34);
  EXPECT_EQ(model.inputs()[0].layer().name(), "input_layer");
  EXPECT_EQ(summary_at(model, "80"), read_fixture("sequential_no_input_built_later/summary.txt"));
  EXPECT_EQ(error_of([&] {
              model.build({keras::None, 6});
            }),
            "Sequential model 'sequential' has already been configured to use input shape "
            "(None, 5). You cannot build it with input_shape (None, 6)");
}

TEST(Sequential, PredictBuildsFromTheFirstBatch) {
  keras::backend::clear_session();
  Sequential model({L::Dense(4), L::Dense(2)});
  Tensor y = model.predict(Tensor::ones({3, 5}));
  EXPECT_EQ(y.shape(), Shape({3, 2}));
  // As Keras: the InputLayer gets the concrete batch shape of that call.
  EXPECT_EQ(model.layers()[0].impl().inbound_nodes().back()->output_shapes[0], Shape({3, 4}));
  EXPECT_EQ(model.predict(Tensor::ones({7, 5})).shape(), Shape({7, 2}));
}

TEST(Sequential, PopRemovesTheLastLayerAndRebuilds) {
  keras::backend::clear_session();
  Sequential model({Input({3}), L::Dense(4), L::Dense(2)});
  keras::Layer last = model.pop();
  EXPECT_EQ(last.name(), "dense_1");
  EXPECT_EQ(names(model.layers()), (std::vector<std::string>{"dense"}));
  EXPECT_EQ(model.outputs()[0].shape(), Shape({keras::None, 4}));
  EXPECT_EQ(model.count_params(), 16);
  EXPECT_EQ(model.predict(Tensor::ones({2, 3})).shape(), Shape({2, 4}));
  model.add(L::Dense(5));
  EXPECT_EQ(model.outputs()[0].shape(), Shape({keras::None, 5}));
  model.pop();
  model.pop();  // only the InputLayer is left: not built
  EXPECT_TRUE(model.layers().empty());
  EXPECT_FALSE(model.built());
  EXPECT_EQ(model.pop().class_name(), "InputLayer");  // as Keras, it goes too
  EXPECT_EQ(error_of([&] { model.pop(); }), "Sequential model 'sequential' has no layers to pop.");
}

TEST(Sequential, RefusesDuplicateNames) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({3}), L::Dense(2, {.name = "x"}), L::Dense(2, {.name = "x"})});
            }),
            "All layers added to a Sequential model should have unique names. Name 'x' is "
            "already the name of a layer in this model. Update the `name` argument to pass a "
            "unique name.");
}

TEST(Sequential, RefusesASecondInput) {
  keras::backend::clear_session();
  Sequential model({Input({3}), L::Dense(2)});
  EXPECT_EQ(error_of([&] { model.add(Input({4})); }),
            "Sequential model 'sequential' has already been configured to use input shape "
            "(None, 3). You cannot add a different Input layer to it.");
  auto x = Input({3});
  EXPECT_NE(error_of([&] {
              model.add(L::Dense(1)(x));
            }).find("Only layers and keras::Input tensors can be added"),
            std::string::npos);
}

TEST(Sequential, ALayerThatDoesNotFitIsNotAdded) {
  keras::backend::clear_session();
  Sequential model({Input({3}), L::Dense(2)});
  L::Dense wrong(4);
  wrong(Input({7}));
  EXPECT_EQ(error_of([&] { model.add(wrong); }),
            "Dense \"dense_1\" expects inputs whose last dimension is 7, got shape (None, 2).");
  EXPECT_EQ(model.layers().size(), 1u);
  EXPECT_EQ(model.predict(Tensor::ones({1, 3})).shape(), Shape({1, 2}));
}

TEST(Sequential, EmptyModelCannotBeBuilt) {
  keras::backend::clear_session();
  Sequential model;
  EXPECT_EQ(error_of([&] {
              model.build({keras::None, 3});
            }),
            "Sequential model sequential cannot be built because it has no layers. Call "
            "`model.add(layer)`.");
}

TEST(Sequential, AModelAsFirstLayerGivesTheInputShape) {
  keras::backend::clear_session();
  auto i = Input({6});
  keras::Model inner(i, L::Dense(3)(i));
  Sequential model({inner, L::Dense(2)});
  ASSERT_TRUE(model.built());
  EXPECT_EQ(model.inputs()[0].shape(), Shape({keras::None, 6}));
  EXPECT_EQ(model.count_params(), 21 + 8);
  EXPECT_EQ(model.predict(Tensor::ones({2, 6})).shape(), Shape({2, 2}));
}

TEST(Sequential, NamedModelAndNamedLayers) {
  keras::backend::clear_session();
  Sequential model(
      {Input({6}, {.name = "features"}), L::Dense(8, {.activation = "relu", .name = "encoder"}),
       L::Dense(4, {.name = "bottleneck"}), L::Dense(6, {.name = "decoder"})},
      {.name = "my_model"});
  EXPECT_EQ(summary_at(model, "80"), read_fixture("sequential_named/summary.txt"));
  EXPECT_EQ(model.get_layer("bottleneck").count_params(), 36);
}

TEST(Sequential, ToyLayersRunInOrder) {
  toy::Affine a;
  toy::Affine b;
  Sequential model({Input({2}), a, b});
  model.set_weights(
      {Tensor({1}, {2.0f}), Tensor({1}, {1.0f}), Tensor({1}, {3.0f}), Tensor({1}, {0.0f})});
  // b(a(x)) = 3 * (2x + 1)
  EXPECT_EQ(model.predict(Tensor({1, 2}, {1, 2})).to_vector<float>(), (std::vector<float>{9, 15}));
}
