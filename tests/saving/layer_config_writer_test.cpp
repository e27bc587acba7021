// Every layer's config as Keras writes it: each sample of
// tests/fixtures/saving_keras/layer_configs.json (serialize_keras_object of a
// layer called by real Keras, reference/make_saving_fixtures.py) is read with
// layer_from_config and written back with the layer's write_config; the two
// must be equal as JSON values. Every class layer_from_config reads must
// have a sample and a config writer.
#include "layers/layer_config_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>

#include "keras/error.hpp"
#include "keras/layers.hpp"
#include "keras/ops.hpp"
#include "layers/layer_factory.hpp"
#include "saving/config_testing.hpp"

namespace {

using json = nlohmann::ordered_json;

const json& samples() {
  static const json all = [] {
    std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/saving_keras/layer_configs.json");
    return json::parse(in);
  }();
  return all;
}

bool registered(const std::string& class_name) {
  static const auto classes = keras::layers::registered_layer_classes();
  return std::find(classes.begin(), classes.end(), class_name) != classes.end();
}

// The written object, or the message of the keras::Error writing it threw.
struct Written {
  std::optional<json> object;
  std::string error;
};

Written write_layer(const keras::LayerImpl& layer) {
  try {
    return {keras::detail::serialize_layer(layer).object, ""};
  } catch (const keras::Error& e) {
    return {std::nullopt, e.what()};
  }
}

Written write_back(const json& object) {
  return write_layer(*keras::layers::layer_from_config(object));
}

TEST(LayerConfigWriter, EveryRegisteredClassHasASample) {
  std::set<std::string> sampled;
  for (const json& s : samples()) sampled.insert(s.at("class_name").get<std::string>());
  for (const std::string& c : keras::layers::registered_layer_classes()) {
    EXPECT_TRUE(sampled.count(c)) << c << " has no sample in layer_configs.json: add one to "
                                  << "reference/make_saving_fixtures.py (LAYER_SAMPLES).";
  }
}

TEST(LayerConfigWriter, EveryClassWritesKerasConfig) {
  std::set<std::string> written_classes;
  for (const json& sample : samples()) {
    const std::string name = sample.at("name").get<std::string>();
    const std::string class_name = sample.at("class_name").get<std::string>();
    if (!registered(class_name)) continue;
    SCOPED_TRACE("sample " + name + " (" + class_name + ")");
    const Written written = write_back(sample.at("object"));
    ASSERT_TRUE(written.object) << class_name << " has no config writer: " << written.error;
    EXPECT_EQ(keras::config_testing::difference(*written.object, sample.at("object")), "");
    written_classes.insert(class_name);
  }
  for (const std::string& c : keras::layers::registered_layer_classes()) {
    EXPECT_TRUE(written_classes.count(c)) << c << " was not written back from any sample.";
  }
}

// Writing does not depend on how a layer was made: a layer read back from
// what its writer wrote writes the same config again.
TEST(LayerConfigWriter, WriterOutputReadsBackToTheSameConfig) {
  for (const json& sample : samples()) {
    const std::string class_name = sample.at("class_name").get<std::string>();
    if (!registered(class_name)) continue;
    SCOPED_TRACE(sample.at("name").get<std::string>());
    const Written once = write_back(sample.at("object"));
    ASSERT_TRUE(once.object) << once.error;
    const Written twice = write_back(*once.object);
    ASSERT_TRUE(twice.object) << twice.error;
    EXPECT_EQ(keras::config_testing::difference(*twice.object, *once.object), "");
  }
}

// A user's own layer class, which has no config writer (as a Keras custom
// layer without get_config and registration cannot be saved).
class Doubler : public keras::LayerImpl {
 public:
  Doubler() : LayerImpl("Doubler", "doubler") {}
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    return {keras::ops::multiply(inputs.at(0), 2.0)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }
};

TEST(LayerConfigWriter, UnwritableLayerNamesItself) {
  const Written alone = write_layer(Doubler());
  ASSERT_FALSE(alone.object);
  EXPECT_NE(alone.error.find("Doubler \"doubler\" cannot be saved: kerascpp has no config writer"),
            std::string::npos)
      << alone.error;
  // Inside a wrapper, the message still names the layer that cannot be written.
  const keras::layers::TimeDistributed wrapper(keras::Layer(std::make_shared<Doubler>()));
  const Written wrapped = write_layer(wrapper.impl());
  ASSERT_FALSE(wrapped.object);
  EXPECT_NE(wrapped.error.find("Doubler \"doubler"), std::string::npos) << wrapped.error;
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
