// model.save_weights / load_weights: round trips, the layout Keras 3 writes
// (checked inside the file with the HDF5 C API), files written by real Keras
// (reference/make_weights_fixtures.py), and malformed files.
#include <gtest/gtest.h>

#include <fstream>

#include "keras/error.hpp"
#include "keras/io/npy.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
using keras::saving_testing::H5Reader;
using keras::saving_testing::TempDir;

keras::Sequential small_sequential() {
  return keras::Sequential({keras::Input({3, 2}), L::Dense(4), L::Flatten(), L::Dense(2)});
}

keras::Model functional_with_time_distributed() {
  auto a = keras::Input({5, 3});
  auto b = keras::Input({5, 3});
  auto h = L::TimeDistributed(L::Dense(4))(a);
  h = L::Add()({h, L::Dense(4)(b)})[0];
  return keras::Model({a, b}, L::Dense(2)(h));
}

keras::Tensor ramp(const keras::Shape& shape, float scale = 0.1f) {
  std::vector<float> v(static_cast<std::size_t>(shape.num_elements()));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * static_cast<float>(i % 7) - 0.3f;
  return keras::Tensor(shape, v);
}

void expect_close(const keras::Tensor& a, const keras::Tensor& b, float tol,
                  const std::string& what) {
  ASSERT_EQ(a.shape(), b.shape()) << what;
  const auto va = a.astype(keras::DType::float32).to_vector<float>();
  const auto vb = b.astype(keras::DType::float32).to_vector<float>();
  for (std::size_t i = 0; i < va.size(); ++i)
    ASSERT_NEAR(va[i], vb[i], tol) << what << " [" << i << "]";
}

// The message of the keras::Error that f throws ("" if it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "";
}

TEST(WeightsH5, RoundTripRestoresWeightsAndPredictions) {
  TempDir dir;
  const std::string path = dir.file("w.weights.h5");
  auto a = small_sequential();
  auto b = small_sequential();  // other random weights
  const keras::Tensor x = ramp({4, 3, 2});
  ASSERT_GT(std::abs(a.predict(x).to_vector<float>()[0] - b.predict(x).to_vector<float>()[0]),
            1e-6f);
  a.save_weights(path);
  b.load_weights(path);
  const auto wa = a.get_weights();
  const auto wb = b.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) expect_close(wa[i], wb[i], 0.0f, "weight");
  expect_close(a.predict(x), b.predict(x), 0.0f, "predict");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"w.weights.h5"});  // no temporary left
}

TEST(WeightsH5, SequentialLayoutMatchesKeras) {
  TempDir dir;
  const std::string path = dir.file("w.weights.h5");
  auto model = small_sequential();
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.train_on_batch({ramp({2, 3, 2})}, {ramp({2, 2})});
  model.save_weights(path);

  H5Reader f(path);
  EXPECT_EQ(f.links("/"), (std::vector<std::string>{"layers", "optimizer", "vars"}));
  EXPECT_EQ(f.links("/layers"), (std::vector<std::string>{"dense", "dense_1", "flatten"}));
  EXPECT_EQ(f.links("/layers/dense/vars"), (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(f.shape("/layers/dense/vars/0"), (std::vector<long long>{2, 4}));
  EXPECT_EQ(f.shape("/layers/dense/vars/1"), (std::vector<long long>{4}));
  EXPECT_EQ(f.dtype("/layers/dense/vars/0"), "float32");
  EXPECT_EQ(f.shape("/layers/dense_1/vars/0"), (std::vector<long long>{12, 2}));
  EXPECT_TRUE(f.links("/layers/flatten/vars").empty());
  EXPECT_TRUE(f.links("/vars").empty());
  EXPECT_EQ(f.string_attribute("/vars", "name"), model.name());
  EXPECT_EQ(f.string_attribute("/layers/dense_1/vars", "name"), model.layers()[2].name());
  EXPECT_EQ(f.string_attribute("/layers/flatten/vars", "name"), model.layers()[1].name());
  // iteration, learning_rate, then Adam's m and v per trainable variable.
  EXPECT_EQ(f.links("/optimizer/vars").size(), 2u + 8u);
  EXPECT_EQ(f.dtype("/optimizer/vars/0"), "int32");
  EXPECT_TRUE(f.shape("/optimizer/vars/0").empty());
  EXPECT_EQ(f.dtype("/optimizer/vars/1"), "float32");
  EXPECT_EQ(f.shape("/optimizer/vars/2"), (std::vector<long long>{2, 4}));
  EXPECT_EQ(f.shape("/optimizer/vars/4"), (std::vector<long long>{4}));
  EXPECT_EQ(f.string_attribute("/optimizer/vars", "name"), model.optimizer().impl().name());
}

TEST(WeightsH5, UncompiledModelHasNoOptimizerGroup) {
  TempDir dir;
  small_sequential().save_weights(dir.file("w.weights.h5"));
  H5Reader f(dir.file("w.weights.h5"));
  EXPECT_EQ(f.links("/"), (std::vector<std::string>{"layers", "vars"}));
}

TEST(WeightsH5, FunctionalLayoutKeepsInputLayersAndWrappedLayer) {
  TempDir dir;
  const std::string path = dir.file("f.weights.h5");
  auto model = functional_with_time_distributed();
  model.save_weights(path);
  H5Reader f(path);
  EXPECT_EQ(f.links("/layers"), (std::vector<std::string>{"add", "dense", "dense_1", "input_layer",
                                                          "input_layer_1", "time_distributed"}));
  EXPECT_TRUE(f.links("/layers/input_layer/vars").empty());
  EXPECT_EQ(f.links("/layers/time_distributed"), (std::vector<std::string>{"layer", "vars"}));
  EXPECT_TRUE(f.links("/layers/time_distributed/vars").empty());
  EXPECT_EQ(f.shape("/layers/time_distributed/layer/vars/0"), (std::vector<long long>{3, 4}));
  EXPECT_EQ(f.shape("/layers/time_distributed/layer/vars/1"), (std::vector<long long>{4}));
  keras::Layer td;
  for (const auto& layer : model.layers()) {
    if (layer.class_name() == "TimeDistributed") td = layer;
  }
  ASSERT_TRUE(td.defined());
  EXPECT_EQ(f.string_attribute("/layers/time_distributed/vars", "name"), td.name());
  EXPECT_EQ(f.string_attribute("/layers/time_distributed/layer/vars", "name"),
            td.impl().sublayers()[0]->name());

  auto other = functional_with_time_distributed();
  other.load_weights(path);
  const std::vector<keras::Tensor> xs = {ramp({2, 5, 3}), ramp({2, 5, 3}, 0.2f)};
  expect_close(model.predict(xs)[0], other.predict(xs)[0], 0.0f, "predict");
}

TEST(WeightsH5, NestedModelGoesUnderItsKey) {
  TempDir dir;
  auto inner = keras::Sequential({keras::Input({4}), L::Dense(3)});
  auto x = keras::Input({4});
  auto outer = keras::Model(x, L::Dense(2)(inner(x)));
  outer.save_weights(dir.file("n.weights.h5"));
  H5Reader f(dir.file("n.weights.h5"));
  EXPECT_EQ(f.links("/layers/sequential"), (std::vector<std::string>{"layers", "vars"}));
  EXPECT_EQ(f.links("/layers/sequential/layers"), std::vector<std::string>{"dense"});
  EXPECT_EQ(f.shape("/layers/sequential/layers/dense/vars/0"), (std::vector<long long>{4, 3}));
  EXPECT_EQ(f.string_attribute("/layers/sequential/vars", "name"), inner.name());
}

class KerasWrittenFile : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasWrittenFile, LoadsAndPredictsAsKeras) {
  const std::string dir = std::string(KERASCPP_FIXTURES_DIR) + "/saving/" + GetParam() + "/";
  keras::Model model = keras::models::model_from_json_file(dir + "model.json");
  std::vector<keras::Tensor> xs;
  for (const std::string name : {"x_0.npy", "x_1.npy"}) {
    if (std::ifstream(dir + name)) xs.push_back(keras::io::load_npy(dir + name));
  }
  model.load_weights(dir + "model.weights.h5");
  expect_close(model.predict(xs)[0], keras::io::load_npy(dir + "y.npy"), 1e-5f, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasWrittenFile,
                         ::testing::Values("sequential", "functional_time_distributed"));

TEST(WeightsH5, RestoresTheOptimizerOfABuiltOptimizer) {
  // Keras trained this model for 2 steps with Adam before saving.
  const std::string dir = std::string(KERASCPP_FIXTURES_DIR) + "/saving/sequential/";
  keras::Model model = keras::models::model_from_json_file(dir + "model.json");
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.load_weights(dir + "model.weights.h5");  // optimizer not built yet: skipped
  EXPECT_EQ(model.optimizer().impl().iterations(), 0);
  model.train_on_batch({ramp({2, 3, 2})}, {ramp({2, 2})});
  model.load_weights(dir + "model.weights.h5");
  EXPECT_EQ(model.optimizer().impl().iterations(), 2);
  H5Reader f(dir + "model.weights.h5");
  EXPECT_EQ(f.dtype("/optimizer/vars/0"), "int32");  // read into our int64 counter
}

TEST(WeightsH5, PathMustEndInWeightsH5) {
  TempDir dir;
  auto model = small_sequential();
  EXPECT_NE(
      error_of([&] { model.save_weights(dir.file("w.h5")); }).find("must end in `.weights.h5`"),
      std::string::npos);
  EXPECT_NE(error_of([&] { model.load_weights(dir.file("w.keras")); }).find("w.keras"),
            std::string::npos);
}

TEST(WeightsH5, MissingOrNonHdf5FileIsAnError) {
  TempDir dir;
  auto model = small_sequential();
  const std::string missing = error_of([&] { model.load_weights(dir.file("none.weights.h5")); });
  EXPECT_NE(missing.find("none.weights.h5"), std::string::npos) << missing;
  std::ofstream(dir.file("text.weights.h5")) << "not hdf5 at all";
  const std::string text = error_of([&] { model.load_weights(dir.file("text.weights.h5")); });
  EXPECT_NE(text.find("text.weights.h5"), std::string::npos) << text;
  EXPECT_NE(text.find("not an HDF5 file"), std::string::npos) << text;
}

TEST(WeightsH5, MissingGroupNamesTheFileAndPath) {
  TempDir dir;
  const std::string path = dir.file("one.weights.h5");
  keras::Sequential({keras::Input({3}), L::Dense(4)}).save_weights(path);
  auto two = keras::Sequential({keras::Input({3}), L::Dense(4), L::Dense(2)});
  const auto before = two.get_weights();
  const std::string e = error_of([&] { two.load_weights(path); });
  EXPECT_NE(e.find("load_weights(\"" + path + "\")"), std::string::npos) << e;
  EXPECT_NE(e.find("/layers/dense_1/vars is missing"), std::string::npos) << e;
  // Nothing was assigned: the first layer keeps its weights too.
  expect_close(two.get_weights()[0], before[0], 0.0f, "unchanged");
}

TEST(WeightsH5, WrongShapeNamesTheFileAndPath) {
  TempDir dir;
  const std::string path = dir.file("w.weights.h5");
  keras::Sequential({keras::Input({3}), L::Dense(4), L::Dense(2)}).save_weights(path);
  auto other = keras::Sequential({keras::Input({3}), L::Dense(5), L::Dense(2)});
  const std::string e = error_of([&] { other.load_weights(path); });
  EXPECT_NE(e.find(path), std::string::npos) << e;
  EXPECT_NE(e.find("/layers/dense/vars/0 has shape (3, 4)"), std::string::npos) << e;
  EXPECT_NE(e.find("kernel is (3, 5)"), std::string::npos) << e;
}

TEST(WeightsH5, WrongDatasetCountNamesTheFileAndPath) {
  TempDir dir;
  const std::string path = dir.file("w.weights.h5");
  keras::Sequential({keras::Input({3}), L::Dense(4, {.use_bias = false})}).save_weights(path);
  auto other = keras::Sequential({keras::Input({3}), L::Dense(4)});
  const std::string e = error_of([&] { other.load_weights(path); });
  EXPECT_NE(e.find(path), std::string::npos) << e;
  EXPECT_NE(e.find("/layers/dense/vars holds 1 datasets"), std::string::npos) << e;
  EXPECT_NE(e.find("has 2 variables"), std::string::npos) << e;
}

TEST(WeightsH5, FailedSaveLeavesTheTargetAndNoTemporary) {
  TempDir dir;
  auto model = small_sequential();
  // The target is a folder: the final rename fails after the file was written.
  std::filesystem::create_directory(dir.file("busy.weights.h5"));
  const std::string e = error_of([&] { model.save_weights(dir.file("busy.weights.h5")); });
  EXPECT_NE(e.find("busy.weights.h5"), std::string::npos) << e;
  EXPECT_TRUE(std::filesystem::is_directory(dir.file("busy.weights.h5")));
  EXPECT_EQ(dir.files(), std::vector<std::string>{"busy.weights.h5"});
}

TEST(WeightsH5, SavingIntoAMissingFolderIsAnError) {
  TempDir dir;
  const std::string path = dir.file("no/such/w.weights.h5");
  const std::string e = error_of([&] { small_sequential().save_weights(path); });
  EXPECT_NE(e.find("save_weights(\"" + path + "\")"), std::string::npos) << e;
  EXPECT_NE(e.find("does its folder exist"), std::string::npos) << e;
}

TEST(WeightsH5, SavingOverAFileReplacesIt) {
  TempDir dir;
  const std::string path = dir.file("w.weights.h5");
  auto a = small_sequential();
  auto b = small_sequential();
  a.save_weights(path);
  b.save_weights(path);
  auto c = small_sequential();
  c.load_weights(path);
  expect_close(c.get_weights()[0], b.get_weights()[0], 0.0f, "second save wins");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"w.weights.h5"});
}

}  // namespace
