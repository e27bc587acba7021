// Every layer's config as Keras writes it: each sample of
// tests/fixtures/saving_keras/layer_configs.json (serialize_keras_object of a
// layer called by real Keras, reference/make_saving_fixtures.py) is read with
// layer_from_config and written back with the layer's write_config; the two
// must be equal as JSON values. Every class layer_from_config reads must
// have a sample, and a config writer unless it is listed as pending below.
#include "layers/layer_config_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

#include "keras/error.hpp"
#include "layers/layer_factory.hpp"
#include "saving/config_testing.hpp"

namespace {

using json = nlohmann::ordered_json;

// ---- THE pending list --------------------------------------------------
// Layer classes that layer_from_config reads but that cannot be written yet
// (no write_config). Remove a class from here when its writer lands; the
// test fails for a listed class that has a writer, and for an unlisted one
// that has none.
const std::set<std::string> kPendingConfigWriters = {
    // Recurrent layers.
    "Bidirectional",
    "Embedding",
    "GRU",
    "LSTM",
    "Masking",
    "SimpleRNN",
    // Convolution, pooling and spatial reshaping layers.
    "AveragePooling1D",
    "AveragePooling2D",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Cropping2D",
    "DepthwiseConv2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "SeparableConv2D",
    "UpSampling2D",
    "ZeroPadding2D",
};
// -------------------------------------------------------------------------

const json& samples() {
  static const json all = [] {
    std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/saving_keras/layer_configs.json");
    return json::parse(in);
  }();
  return all;
}

// The written object, or the message of the keras::Error writing it threw.
struct Written {
  std::optional<json> object;
  std::string error;
};

Written write_back(const json& object) {
  auto layer = keras::layers::layer_from_config(object);
  try {
    return {keras::detail::serialize_layer(*layer).object, ""};
  } catch (const keras::Error& e) {
    return {std::nullopt, e.what()};
  }
}

TEST(LayerConfigWriter, EveryRegisteredClassHasASample) {
  std::set<std::string> sampled;
  for (const json& s : samples()) sampled.insert(s.at("class_name").get<std::string>());
  for (const std::string& c : keras::layers::registered_layer_classes()) {
    EXPECT_TRUE(sampled.count(c)) << c << " has no sample in layer_configs.json: add one to "
                                  << "reference/make_saving_fixtures.py (LAYER_SAMPLES).";
  }
}

TEST(LayerConfigWriter, PendingListNamesOnlyRegisteredClasses) {
  const auto registered = keras::layers::registered_layer_classes();
  for (const std::string& c : kPendingConfigWriters) {
    EXPECT_TRUE(std::find(registered.begin(), registered.end(), c) != registered.end())
        << c << " is listed as pending but layer_from_config does not read it.";
  }
}

TEST(LayerConfigWriter, EveryClassWritesKerasConfigOrIsPending) {
  const auto registered = keras::layers::registered_layer_classes();
  int compared = 0;
  for (const json& sample : samples()) {
    const std::string name = sample.at("name").get<std::string>();
    const std::string class_name = sample.at("class_name").get<std::string>();
    if (std::find(registered.begin(), registered.end(), class_name) == registered.end()) continue;
    SCOPED_TRACE("sample " + name + " (" + class_name + ")");
    const Written written = write_back(sample.at("object"));
    const bool pending = kPendingConfigWriters.count(class_name) > 0;
    if (!written.object) {
      EXPECT_TRUE(pending) << class_name << " has no config writer and is not listed as pending: "
                           << written.error;
      // The message names the layer that cannot be written (this one, or
      // a sub-layer of it).
      EXPECT_NE(written.error.find("cannot be saved yet"), std::string::npos) << written.error;
      continue;
    }
    EXPECT_FALSE(pending) << class_name
                          << " now has a config writer: remove it from kPendingConfigWriters.";
    EXPECT_EQ(keras::config_testing::difference(*written.object, sample.at("object")), "");
    ++compared;
  }
  EXPECT_GE(compared, 30);
}

// Writing does not depend on how a layer was made: a layer built in C++ with
// the options of a sample writes the same config as the sample read back.
TEST(LayerConfigWriter, WriterOutputReadsBackToTheSameConfig) {
  for (const json& sample : samples()) {
    const std::string class_name = sample.at("class_name").get<std::string>();
    if (kPendingConfigWriters.count(class_name)) continue;
    const auto registered = keras::layers::registered_layer_classes();
    if (std::find(registered.begin(), registered.end(), class_name) == registered.end()) continue;
    SCOPED_TRACE(sample.at("name").get<std::string>());
    const Written once = write_back(sample.at("object"));
    ASSERT_TRUE(once.object) << once.error;
    const Written twice = write_back(*once.object);
    ASSERT_TRUE(twice.object) << twice.error;
    EXPECT_EQ(keras::config_testing::difference(*twice.object, *once.object), "");
  }
}

TEST(LayerConfigWriter, UnwritableLayerNamesItself) {
  // A layer with no writer fails with a message naming its class and name.
  json object = nullptr;
  for (const json& sample : samples()) {
    const std::string c = sample.at("class_name").get<std::string>();
    if (kPendingConfigWriters.count(c)) {
      object = sample.at("object");
      break;
    }
  }
  if (object.is_null()) GTEST_SKIP() << "every layer has a config writer";
  const Written written = write_back(object);
  ASSERT_FALSE(written.object);
  EXPECT_NE(written.error.find("cannot be saved yet"), std::string::npos) << written.error;
}

}  // namespace

namespace {

// The comparison the tests above rely on sees what matters and only that.
TEST(ConfigTesting, DifferenceSeesValuesKindsAndKeys) {
  using keras::config_testing::difference;
  const json base = json::parse(R"({"a": 1, "b": [2.0, null], "c": {"d": "x"}})");
  EXPECT_EQ(difference(base, base), "");
  EXPECT_EQ(difference(json::parse(R"({"c": {"d": "x"}, "b": [2.0, null], "a": 1})"), base), "");
  EXPECT_NE(difference(json::parse(R"({"a": 2, "b": [2.0, null], "c": {"d": "x"}})"), base), "");
  EXPECT_NE(difference(json::parse(R"({"a": 1, "b": [2, null], "c": {"d": "x"}})"), base), "");
  EXPECT_NE(difference(json::parse(R"({"a": 1, "b": [2.0, null], "c": {}})"), base), "");
  EXPECT_NE(difference(json::parse(R"({"a": 1, "b": [2.0], "c": {"d": "x"}})"), base), "");
  EXPECT_EQ(difference(json::parse(R"({"a": 1, "b": [2.0, null], "c": {"d": "x"},
                                       "shared_object_id": 5})"),
                       base),
            "");
}

}  // namespace
