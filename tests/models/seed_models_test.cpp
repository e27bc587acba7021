// The seed questions' models written with the C++ API (not read from JSON):
// after clear_session() they get Keras' names, print Keras' summaries, and,
// given the fixture's weights, predict Keras' numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "keras/io/npy.hpp"
#include "keras/layers/activation.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/flatten.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/rescaling.hpp"
#include "keras/layers/reshape.hpp"
#include "keras/layers/time_distributed.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "models/fixture_testing.hpp"

namespace fs = std::filesystem;
using kerascpp_testing::numbered;
using kerascpp_testing::read_file;
namespace L = keras::layers;
using keras::Input;
using keras::Sequential;

namespace {

const fs::path kCore = fs::path(KERASCPP_FIXTURES_DIR) / "core";

// Summaries at 76 and at Keras' default widths, then Keras' predictions.
void check_against_fixture(const keras::Model& model, const std::string& name) {
  const fs::path dir = kCore / name;
  {
    kerascpp_testing::EnvGuard columns("COLUMNS", "80");
    EXPECT_EQ(model.summary_string(), read_file(dir / "summary.txt")) << name;
  }
  {
    kerascpp_testing::EnvGuard columns("COLUMNS", "200");
    EXPECT_EQ(model.summary_string(), read_file(dir / "summary_wide.txt")) << name;
  }

  std::vector<keras::Tensor> weights;
  for (const auto& p : numbered(dir, "weights_")) weights.push_back(keras::io::load_npy(p));
  model.set_weights(weights);
  std::vector<keras::Tensor> xs;
  for (const auto& p : numbered(dir, "x_")) xs.push_back(keras::io::load_npy(p));
  const keras::Tensor y = keras::io::load_npy(numbered(dir, "y_").at(0));
  const std::vector<keras::Tensor> got = model.predict(xs);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].shape(), y.shape()) << name;
  const auto a = got[0].to_vector<double>();
  const auto b = y.to_vector<double>();
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], b[i], 1e-6 + 1e-5 * std::abs(b[i])) << name << " element " << i;
  }
}

}  // namespace

TEST(SeedModels, DenseOn2x3) {
  keras::backend::clear_session();
  Sequential model({Input({2, 3}), L::Dense(4)});
  EXPECT_EQ(model.count_params(), 16);
  EXPECT_EQ(model.outputs()[0].shape(), keras::Shape({keras::None, 2, 4}));
  check_against_fixture(model, "seed1_dense_2x3");
}

TEST(SeedModels, DenseOn20x5Has60Parameters) {
  keras::backend::clear_session();
  Sequential model({Input({20, 5}), L::Dense(10)});
  EXPECT_EQ(model.count_params(), 60);
  check_against_fixture(model, "seed1_dense_20x5");
}

TEST(SeedModels, TimeDistributedDenseIsTheSameComputation) {
  keras::backend::clear_session();
  Sequential model({Input({20, 5}), L::TimeDistributed(L::Dense(10))});
  EXPECT_EQ(model.count_params(), 60);
  check_against_fixture(model, "seed1_timedistributed_20x5");
}

TEST(SeedModels, FlattenBetweenDenseLayers) {
  keras::backend::clear_session();
  Sequential model({Input({3, 2}), L::Dense(16), L::Activation("relu"), L::Flatten(), L::Dense(4)});
  EXPECT_EQ(model.count_params(), 244);
  check_against_fixture(model, "seed2_flatten");
}

TEST(SeedModels, FunctionalVersion) {
  keras::backend::clear_session();
  auto inp = Input({3, 2});
  auto h = L::Dense(16)(inp);
  h = L::Activation("relu")(h);
  h = L::Flatten()(h);
  keras::Model model(inp, L::Dense(4)(h));
  check_against_fixture(model, "seed2_functional");
}

TEST(SeedModels, ImageClassifierWithFlattenOrReshape) {
  keras::backend::clear_session();
  Sequential flat({Input({28, 28, 3}), L::Flatten(), L::Rescaling(1.0 / 255),
                   L::Dense(128, {.activation = "relu"}), L::Dense(2, {.activation = "softmax"})});
  check_against_fixture(flat, "seed3_flatten");
  keras::backend::clear_session();
  Sequential reshaped({Input({28, 28, 3}), L::Reshape({2352}), L::Rescaling(1.0 / 255),
                       L::Dense(128, {.activation = "relu"}),
                       L::Dense(2, {.activation = "softmax"})});
  check_against_fixture(reshaped, "seed3_reshape");
}
