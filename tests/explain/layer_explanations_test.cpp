// Every layer explains itself: each sample of
// tests/fixtures/saving_keras/layer_configs.json (a config Keras wrote for
// every class layer_from_config reads) is built, called on symbolic inputs
// and explained. A registered class without its own LayerImpl::explain fails
// here, as does an explanation whose formula does not index the output with
// one letter per axis.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_factory.hpp"

namespace {

using json = nlohmann::ordered_json;
using keras::None;
using keras::Shape;

const json& samples() {
  static const json all = [] {
    std::ifstream in(std::string(KERASCPP_FIXTURES_DIR) + "/saving_keras/layer_configs.json");
    return json::parse(in);
  }();
  return all;
}

// Input shapes for the samples whose config has no build_config (layers that
// Keras builds at construction): shapes such a layer takes.
const std::map<std::string, std::vector<Shape>>& default_inputs() {
  static const std::map<std::string, std::vector<Shape>> shapes = {
      {"Activation", {{None, 4, 3}}},
      {"ActivityRegularization", {{None, 4, 3}}},
      {"Dropout", {{None, 4, 3}}},
      {"GaussianNoise", {{None, 4, 3}}},
      {"LeakyReLU", {{None, 4, 3}}},
      {"ReLU", {{None, 4, 3}}},
      {"Softmax", {{None, 4, 3}}},
      {"UnitNormalization", {{None, 4, 3}}},
      {"Reshape", {{None, 3, 4}}},
      {"Masking", {{None, 5, 4}}},
      {"SpatialDropout1D", {{None, 5, 4}}},
      {"SpatialDropout2D", {{None, 6, 6, 3}}},
      {"AveragePooling1D", {{None, 6, 3}}},
      {"MaxPooling1D", {{None, 6, 3}}},
      {"GlobalAveragePooling1D", {{None, 6, 3}}},
      {"GlobalMaxPooling1D", {{None, 6, 3}}},
      {"AveragePooling2D", {{None, 6, 6, 3}}},
      {"MaxPooling2D", {{None, 6, 6, 3}}},
      {"GlobalAveragePooling2D", {{None, 6, 6, 3}}},
      {"GlobalMaxPooling2D", {{None, 6, 6, 3}}},
  };
  return shapes;
}

Shape shape_from(const json& dims) {
  std::vector<std::int64_t> out;
  for (const json& d : dims) out.push_back(d.is_null() ? None : d.get<std::int64_t>());
  return Shape(out);
}

// The sample's input shapes: its build_config's, else the default above.
std::vector<Shape> input_shapes(const json& sample) {
  const json& object = sample.at("object");
  if (object.contains("build_config") && object.at("build_config").contains("shapes_dict")) {
    // A recurrent layer called with initial states: the sequences, then the states.
    const json& shapes = object.at("build_config").at("shapes_dict");
    std::vector<Shape> out{shape_from(shapes.at("sequences_shape"))};
    for (const json& s : shapes.at("initial_state_shape")) out.push_back(shape_from(s));
    return out;
  }
  if (object.contains("build_config")) {
    const json& shape = object.at("build_config").at("input_shape");
    if (!shape.empty() && shape[0].is_array()) {
      std::vector<Shape> out;
      for (const json& s : shape) out.push_back(shape_from(s));
      return out;
    }
    return {shape_from(shape)};
  }
  const auto found = default_inputs().find(sample.at("class_name").get<std::string>());
  if (found == default_inputs().end()) return {};
  return found->second;
}

struct Explained {
  std::string text;
  bool explained = false;
  bool has_formula = false;
  std::string first_line;  // the first line under the header
  Shape output;
};

// Builds the sample's layer, calls it on symbolic inputs of its shapes and
// explains that call.
Explained explain_sample(const json& sample) {
  std::shared_ptr<keras::LayerImpl> layer = keras::layers::layer_from_config(sample.at("object"));
  keras::detail::CallShapes call;
  if (auto* input = dynamic_cast<keras::layers::InputLayerImpl*>(layer.get())) {
    call.outputs = {input->batch_shape()};
  } else {
    std::vector<keras::KerasTensor> inputs;
    for (const Shape& s : input_shapes(sample)) inputs.push_back(keras::Input(s.without_batch()));
    if (inputs.empty()) {
      ADD_FAILURE() << "no input shape for sample " << sample.at("name")
                    << ": add one to default_inputs()";
      return {};
    }
    const keras::Layer handle(layer);
    const std::vector<keras::KerasTensor> outputs = handle(inputs);
    call.inputs = input_shapes(sample);
    for (const auto& y : outputs) call.outputs.push_back(y.shape());
  }
  const keras::detail::ExplainWriter w = keras::detail::explain_call(*layer, call);
  Explained out;
  out.text = w.text();
  out.explained = w.explained();
  out.has_formula = w.has_formula();
  out.output = call.outputs.at(0);
  const std::size_t first = out.text.find('\n') + 1;
  out.first_line = out.text.substr(first, out.text.find('\n', first) - first);
  return out;
}

// How many indices the first tensor of a formula line has: "y[b, i*3 + j] = ..." -> 2.
int leading_indices(const std::string& line) {
  const std::size_t open = line.find('[');
  if (open == std::string::npos) return -1;
  int depth = 0;
  int count = 1;
  for (std::size_t i = open + 1; i < line.size(); ++i) {
    if (line[i] == '[') ++depth;
    if (line[i] == ']' && depth-- == 0) return count;
    if (line[i] == ',' && depth == 0) ++count;
  }
  return -1;
}

TEST(LayerExplanations, EveryRegisteredClassExplainsItself) {
  std::set<std::string> explained;
  for (const json& sample : samples()) {
    const std::string class_name = sample.at("class_name").get<std::string>();
    SCOPED_TRACE("sample " + sample.at("name").get<std::string>() + " (" + class_name + ")");
    const Explained e = explain_sample(sample);
    EXPECT_TRUE(e.explained) << class_name
                             << " has no LayerImpl::explain: add one next to its call().\n"
                             << e.text;
    EXPECT_TRUE(e.has_formula) << class_name << "'s explanation has no formula line:\n" << e.text;
    EXPECT_EQ(e.text.find("cannot explain"), std::string::npos) << e.text;
    // The formula indexes the output with one index per axis.
    EXPECT_EQ(leading_indices(e.first_line), e.output.rank()) << e.text;
    if (e.explained && e.has_formula) explained.insert(class_name);
  }
  for (const std::string& c : keras::layers::registered_layer_classes()) {
    EXPECT_TRUE(explained.count(c)) << c << " was not explained by any sample";
  }
}

TEST(LayerExplanations, TheDefaultSaysTheClassCannotBeExplained) {
  // A layer without its own explain (a user's layer) is still listed, saying so.
  class Plain : public keras::LayerImpl {
   public:
    Plain() : LayerImpl("Plain") {}
    std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                    const keras::CallContext&) override {
      return inputs;
    }
    std::vector<Shape> compute_output_shape(const std::vector<Shape>& shapes) override {
      return shapes;
    }
  };
  auto layer = std::make_shared<Plain>();
  const auto w = keras::detail::explain_call(*layer, {{Shape{None, 3}}, {Shape{None, 3}}});
  EXPECT_FALSE(w.explained());
  EXPECT_EQ(w.text(),
            "plain (Plain): (None, 3) -> (None, 3)\n"
            "  (kerascpp cannot explain Plain layers yet)\n"
            "  params: none yet (the layer is not built)\n");
}

TEST(LayerExplanations, AFailingExplanationDoesNotStopTheModel) {
  // A layer whose explain throws is reported as such; the others still are.
  class Failing : public keras::LayerImpl {
   public:
    Failing() : LayerImpl("Failing") {}
    std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                    const keras::CallContext&) override {
      return inputs;
    }
    std::vector<Shape> compute_output_shape(const std::vector<Shape>& shapes) override {
      return shapes;
    }
    void explain(keras::detail::ExplainWriter&) const override {
      throw keras::Error("no formula for this");
    }
  };
  keras::backend::clear_session();
  auto x = keras::Input({3});
  auto y = keras::Layer(std::make_shared<Failing>())(x);
  keras::Model model(x, y);
  const std::string text = model.explain_string();
  EXPECT_NE(text.find("failing (Failing): (None, 3) -> (None, 3)\n"
                      "  (explaining this call failed: no formula for this)\n"
                      "  params: none\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("input_layer (InputLayer): (None, 3)\n  x[b,c]: the model's input"),
            std::string::npos)
      << text;
}

}  // namespace
