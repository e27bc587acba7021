// keras::activations: names, aliases and errors (values: keras_reference_test).
#include <gtest/gtest.h>

#include <algorithm>

#include "keras/activations.hpp"
#include "keras/ops.hpp"

namespace {

namespace act = keras::activations;
using keras::Tensor;

TEST(Activations, KnowsKerasNamesAndAliases) {
  const auto names = act::names();
  for (const std::string n : {"relu", "softmax", "gelu", "swish", "hard_swish", "sparsemax",
                              "linear", "exponential", "threshold"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  EXPECT_EQ(names.size(), 32u);  // keras.activations.ALL_OBJECTS_DICT
  EXPECT_EQ(act::canonical_name("swish"), "silu");
  EXPECT_EQ(act::canonical_name("hard_swish"), "hard_silu");
  EXPECT_EQ(act::canonical_name(""), "linear");
  EXPECT_EQ(act::canonical_name("relu"), "relu");
}

TEST(Activations, LinearAndEmptyAreTheIdentity) {
  const Tensor x({2}, {1.0f, -1.0f});
  EXPECT_EQ(act::get("")(x).id(), x.id());
  EXPECT_EQ(act::get("linear")(x).id(), x.id());
}

TEST(Activations, UnknownNameListsTheKnownOnes) {
  try {
    act::get("rleu");
    FAIL();
  } catch (const keras::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("rleu"), std::string::npos);
    EXPECT_NE(m.find("relu"), std::string::npos);
  }
  EXPECT_THROW(act::canonical_name("nope"), keras::Error);
}

TEST(Activations, GeluByNameIsExactAsInKerasActivations) {
  // keras.activations.gelu defaults to approximate=False; keras.ops.gelu to True.
  const Tensor x({1}, {1.0});
  EXPECT_EQ(act::get("gelu")(x).to_vector<double>(),
            keras::ops::gelu(x, false).to_vector<double>());
  EXPECT_NE(act::get("gelu")(x).to_vector<double>(), keras::ops::gelu(x).to_vector<double>());
}

}  // namespace
