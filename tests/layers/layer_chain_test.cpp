// Small Keras models of the fixtures, computed by calling the layers by hand:
// checks the layers together (and the merge layers against Keras' numbers)
// without the model classes.
#include <gtest/gtest.h>

#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "layer_case_testing.hpp"

namespace keras::layers {
namespace {

Tensor npy(const std::string& case_name, const std::string& file) {
  return io::load_npy(testing::fixture_path(case_name, file));
}

// Builds dense for `in` features and loads weights_<k>, weights_<k+1>.
void load_dense(const Dense& dense, std::int64_t in, const std::string& case_name, int k) {
  dense.impl().maybe_build({Shape{None, in}});
  const auto file = [](int i) { return "weights_0" + std::to_string(i) + ".npy"; };
  dense.set_weights({npy(case_name, file(k)), npy(case_name, file(k + 1))});
}

TEST(LayerChain, FlattenBetweenDenseLayers) {
  // Dense(16) -> Activation("relu") -> Flatten() -> Dense(4) on (1, 3, 2): (1, 4), 244 params.
  const Dense first(16);
  const Dense second(4);
  load_dense(first, 2, "seed2_flatten", 0);
  load_dense(second, 48, "seed2_flatten", 2);
  EXPECT_EQ(first.count_params() + second.count_params(), 244);
  const Tensor x = npy("seed2_flatten", "x_0.npy");
  const Tensor y = second(Flatten()(Activation("relu")(first(x))));
  EXPECT_EQ(y.shape(), (Shape{1, 4}));
  testing::expect_allclose(y, npy("seed2_flatten", "y_0.npy"));
}

TEST(LayerChain, WithoutFlattenTheTimeAxisStays) {
  const Dense first(16);
  const Dense second(4);
  load_dense(first, 2, "seed2_no_flatten", 0);
  load_dense(second, 16, "seed2_no_flatten", 2);
  const Tensor x = npy("seed2_no_flatten", "x_0.npy");
  const Tensor y = second(Activation("relu")(first(x)));
  EXPECT_EQ(y.shape(), (Shape{1, 3, 4}));
  testing::expect_allclose(y, npy("seed2_no_flatten", "y_0.npy"));
}

TEST(LayerChain, FlattenOrReshapeThenRescaling) {
  for (const char* name : {"seed3_flatten", "seed3_reshape"}) {
    SCOPED_TRACE(name);
    const Dense hidden(128, {.activation = "relu"});
    const Dense out(2, {.activation = "softmax"});
    load_dense(hidden, 2352, name, 0);
    load_dense(out, 128, name, 2);
    const Layer to_flat =
        std::string(name) == "seed3_flatten" ? Layer(Flatten()) : Layer(Reshape({2352}));
    const Tensor x = npy(name, "x_0.npy");
    const Tensor y = out(hidden(Rescaling(1.0 / 255)(to_flat(x))));
    testing::expect_allclose(y, npy(name, "y_0.npy"));
  }
}

TEST(LayerChain, ConcatenateTwoBranches) {
  const std::string name = "functional_branch_concat";
  const Dense a(16);
  const Dense b(16);
  const Dense out(4);
  load_dense(a, 2, name, 0);
  load_dense(b, 2, name, 2);
  load_dense(out, 96, name, 4);
  const Tensor x = npy(name, "x_0.npy");
  const Tensor joined = Concatenate()(std::vector<Tensor>{a(x), b(x)})[0];
  EXPECT_EQ(joined.shape(), (Shape{x.shape()[0], 3, 32}));
  testing::expect_allclose(out(Flatten()(joined)), npy(name, "y_0.npy"));
}

TEST(LayerChain, AddOfASharedLayer) {
  const std::string name = "functional_multi_io_shared";
  const Dense shared(8);
  const Dense out1(3);
  const Dense out2(2);
  load_dense(shared, 6, name, 0);
  load_dense(out1, 8, name, 2);
  load_dense(out2, 32, name, 4);
  const Tensor s =
      Add()(std::vector<Tensor>{shared(npy(name, "x_0.npy")), shared(npy(name, "x_1.npy"))})[0];
  testing::expect_allclose(out1(s), npy(name, "y_0.npy"));
  testing::expect_allclose(out2(Flatten()(s)), npy(name, "y_1.npy"));
}

TEST(LayerChain, SymbolicCallsInferKerasShapes) {
  // The tagger's tail keeps the time axis: (None, 50, 75) -> (None, 50, 200) -> (None, 50, 6).
  const KerasTensor h = keras::Input({50, 75});
  const KerasTensor d = Dense(200)(h);
  const KerasTensor tags = TimeDistributed(Dense(6, {.activation = "softmax"}))(d);
  EXPECT_EQ(d.shape(), (Shape{None, 50, 200}));
  EXPECT_EQ(tags.shape(), (Shape{None, 50, 6}));
  const KerasTensor both = Concatenate()(std::vector<KerasTensor>{d, d})[0];
  EXPECT_EQ(both.shape(), (Shape{None, 50, 400}));
  // A shape error surfaces at graph construction, naming the layer.
  const Dense dense(4);
  dense(keras::Input({120}));
  const std::string message = testing::error_message([&] { dense(keras::Input({20, 6})); });
  EXPECT_NE(message.find("add Flatten() first"), std::string::npos);
}

}  // namespace
}  // namespace keras::layers
