// model_from_json: Keras configs of Functional and Sequential models, nested
// and shared, and the errors for broken configs (each names the JSON path).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"

using keras::Shape;
using keras::Tensor;
using keras::models::model_from_json;
using json = nlohmann::ordered_json;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kTestData = std::string(KERASCPP_FIXTURES_DIR) + "/../models/testdata/";
const std::string kCore = std::string(KERASCPP_FIXTURES_DIR) + "/core/";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string summary80(const keras::Model& m) {
  setenv("COLUMNS", "80", 1);
  std::string s = m.summary_string();
  unsetenv("COLUMNS");
  return s;
}

json branch_config() { return json::parse(read(kCore + "functional_branch_concat/model.json")); }

}  // namespace

TEST(ModelFromJson, NestedFunctionalOutputUsesKerasNodeOffset) {
  keras::Model m = keras::models::model_from_json_file(kTestData + "nested_functional_output.json");
  EXPECT_EQ(m.name(), "outer");
  EXPECT_EQ(summary80(m), read(kTestData + "nested_functional_output.summary.txt"));
  auto y = m.predict(std::vector<Tensor>{Tensor::ones({2, 4})});
  ASSERT_EQ(y.size(), 2u);
  EXPECT_EQ(y[0].shape(), Shape({2, 3}));
  EXPECT_EQ(y[1].shape(), Shape({2, 2}));
}

TEST(ModelFromJson, SequentialCalledTwiceWithMaskKwargs) {
  keras::Model m = keras::models::model_from_json_file(kTestData + "shared_twice_nested.json");
  EXPECT_EQ(summary80(m), read(kTestData + "shared_twice_nested.summary.txt"));
  EXPECT_EQ(m.count_params(), 12);
  // The two calls share one tower: tower(a) + tower(b) == tower(a + b) - bias.
  m.set_weights({Tensor::ones({5, 2}), Tensor({2}, {0.5f, -1.0f})});
  auto y = m.predict({Tensor::ones({1, 5}), Tensor::full({1, 5}, 2.0)});
  EXPECT_EQ(y[0].to_vector<float>(), (std::vector<float>{16.0f, 13.0f}));
}

TEST(ModelFromJson, KeepsTheConfigNamesAndConsumesNoLayerNames) {
  keras::backend::clear_session();
  keras::Model m = keras::models::model_from_json_file(kCore + "sequential_named/model.json");
  EXPECT_EQ(m.name(), "my_model");
  EXPECT_EQ(m.layers()[0].name(), "encoder");
  EXPECT_EQ(m.inputs()[0].layer().name(), "features");
  EXPECT_EQ(keras::backend::unique_object_name("Dense"), "dense");
}

TEST(ModelFromJson, LegacyInboundNodeLists) {
  json config = branch_config();
  // Keras 2 wrote each call as [[layer, node_index, tensor_index, kwargs], ...].
  for (auto& layer : config["config"]["layers"]) {
    json legacy = json::array();
    for (auto& node : layer["inbound_nodes"]) {
      json call = json::array();
      const json& first = node["args"][0];
      const json tensors = first.is_array() ? first : json::array({first});
      for (const auto& t : tensors) {
        json h = t["config"]["keras_history"];
        h.push_back(json::object());
        call.push_back(h);
      }
      legacy.push_back(call);
    }
    layer["inbound_nodes"] = legacy;
  }
  keras::Model m = model_from_json(config.dump());
  EXPECT_EQ(summary80(m), read(kCore + "functional_branch_concat/summary.txt"));
}

TEST(ModelFromJson, NotJson) {
  EXPECT_NE(error_of([] {
              model_from_json("{ nope");
            }).find("model_from_json: the text is not valid JSON"),
            std::string::npos);
}

TEST(ModelFromJson, NotAModel) {
  EXPECT_EQ(error_of([] { model_from_json(R"({"class_name": "Dense", "config": {}})"); }),
            "model_from_json: model.class_name is \"Dense\"; a model (Sequential or Functional) "
            "is needed.");
  EXPECT_EQ(error_of([] { model_from_json("[1, 2]"); }),
            "model_from_json: model must be an object, got a list.");
}

TEST(ModelFromJson, MissingFieldNamesItsPath) {
  json config = branch_config();
  config["config"]["layers"][1].erase("inbound_nodes");
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.layers[1].inbound_nodes is missing.");
  config = branch_config();
  config["config"].erase("output_layers");
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.output_layers is missing.");
}

TEST(ModelFromJson, IllTypedFieldNamesItsPath) {
  json config = branch_config();
  config["config"]["name"] = 3;
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.name must be a string, got a number.");
  config = branch_config();
  config["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"][1] = "0";
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.layers[1].inbound_nodes[0].args[0].config."
            "keras_history[1] must be an integer, got a string.");
}

TEST(ModelFromJson, UnknownLayerClass) {
  json config = branch_config();
  config["config"]["layers"][2]["class_name"] = "Frobnicate";
  const std::string msg = error_of([&] { model_from_json(config.dump()); });
  EXPECT_EQ(msg.rfind("model_from_json: model.config.layers[2] (Frobnicate \"dense_1\"): Unknown "
                      "layer class \"Frobnicate\"",
                      0),
            0u)
      << msg;
}

TEST(ModelFromJson, UnknownAndUnresolvableInbound) {
  json config = branch_config();
  config["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"][0] =
      "ghost";
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.layers[1].inbound_nodes[0].args[0].config."
            "keras_history[0] names an unknown layer \"ghost\".");
  config = branch_config();
  config["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"][1] = 4;
  const std::string msg = error_of([&] { model_from_json(config.dump()); });
  EXPECT_NE(msg.find("the graph has loops or disconnected nodes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model.config.layers[1].inbound_nodes[0]"), std::string::npos) << msg;
}

TEST(ModelFromJson, ShapeErrorsNameTheCall) {
  json config = branch_config();
  // dense_2 was saved after Flatten: (None, 96); give it a kernel for 95.
  auto& layers = config["config"]["layers"];
  for (auto& l : layers) {
    if (l["name"] == "dense_2") l["build_config"]["input_shape"] = json::array({nullptr, 95});
  }
  const std::string msg = error_of([&] { model_from_json(config.dump()); });
  EXPECT_NE(msg.find("(calling Dense \"dense_2\"): Dense \"dense_2\" expects inputs whose last "
                     "dimension is 95, got shape (None, 96)."),
            std::string::npos)
      << msg;
}

TEST(ModelFromJson, TensorKeywordArgumentsAreRefused) {
  json config = branch_config();
  // mask= and initial_state= tensors are read (see mask_graph_test.cpp); others are not.
  config["config"]["layers"][1]["inbound_nodes"][0]["kwargs"]["constants"] =
      config["config"]["layers"][1]["inbound_nodes"][0]["args"][0];
  EXPECT_EQ(error_of([&] { model_from_json(config.dump()); }),
            "model_from_json: model.config.layers[1].inbound_nodes[0].kwargs.constants passes a "
            "tensor as a keyword argument, which kerascpp does not support.");
}

TEST(ModelFromJson, MissingFile) {
  EXPECT_EQ(error_of([] { keras::models::model_from_json_file("/nonexistent/model.json"); }),
            "model_from_json_file: cannot open \"/nonexistent/model.json\".");
}
