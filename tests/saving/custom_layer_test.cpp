// keras::register_layer: a C++ layer class registered under the name a Keras
// user registered their Python class with loads the .keras file Keras saved
// (tests/fixtures/saving_keras/custom/, reference/make_saving_fixtures.py),
// predicts as Keras, prints Keras' summary, and round-trips through save.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/saving.hpp"
#include "saving/config_testing.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace fs = std::filesystem;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

// The Python class of the fixture: y = x * w * factor, w of shape (features,).
class ScaleImpl : public keras::LayerImpl {
 public:
  explicit ScaleImpl(double factor, const std::string& name = "")
      : LayerImpl("Scale", name), factor_(factor) {}

  void build(const std::vector<keras::Shape>& shapes) override {
    w_ = add_weight("w", keras::Shape{shapes[0][-1]}, "ones");
  }
  std::vector<keras::Tensor> call(const std::vector<keras::Tensor>& inputs,
                                  const keras::CallContext&) override {
    return {keras::ops::multiply(keras::ops::multiply(inputs[0], w_.value()), factor_)};
  }
  std::vector<keras::Shape> compute_output_shape(const std::vector<keras::Shape>& s) override {
    return s;
  }

  void get_config(keras::Config& config) const override { config.set("factor", factor_); }
  static std::shared_ptr<ScaleImpl> from_config(const keras::Config& config) {
    return std::make_shared<ScaleImpl>(config.number("factor"), config.name());
  }

 private:
  double factor_;
  keras::Variable w_;
};

keras::Layer Scale(double factor, const std::string& name = "") {
  return keras::Layer(std::make_shared<ScaleImpl>(factor, name));
}

fs::path custom_fixture() {
  return fs::path(KERASCPP_FIXTURES_DIR) / "saving_keras" / "custom" / "custom_layer_scale";
}

class CustomLayer : public ::testing::Test {
 protected:
  void SetUp() override { keras::register_layer<ScaleImpl>("my_package>Scale"); }
};

TEST_F(CustomLayer, LoadsWhatKerasSavedAndPredictsAsKeras) {
  const fs::path dir = custom_fixture();
  keras::Model model = keras::load_model((dir / "model.keras").string());
  expect_close(model.predict(numbered_npy(dir, "x_")).at(0), numbered_npy(dir, "y_").at(0), 1e-5,
               "y_0");
  EXPECT_EQ(model.summary_string({.line_length = 76, .console_width = 80}),
            read_text(dir / "summary.txt"));
}

TEST_F(CustomLayer, WritesTheConfigKerasWrites) {
  keras::Model model = keras::load_model((custom_fixture() / "model.keras").string());
  TempDir tmp;
  model.save(tmp.file("again.keras"));
  const auto ours =
      nlohmann::ordered_json::parse(read_member(tmp.file("again.keras"), "config.json"));
  const auto keras_config = nlohmann::ordered_json::parse(
      read_member((custom_fixture() / "model.keras").string(), "config.json"));
  auto our_scale = ours["config"]["layers"][2];
  auto keras_scale = keras_config["config"]["layers"][2];
  // Keras writes the module of the Python class: None for a script's class,
  // "builtins" for one made by exec() as the fixture script does. Loading
  // goes by registered_name.
  EXPECT_TRUE(our_scale["module"].is_null());
  our_scale.erase("module");
  keras_scale.erase("module");
  EXPECT_EQ(keras::config_testing::difference(our_scale, keras_scale), "");
}

TEST_F(CustomLayer, RoundTripsThroughSave) {
  keras::Sequential model({keras::Input({4}), keras::layers::Dense(3), Scale(0.5, "half")});
  const keras::Tensor x = ramp({2, 4});
  TempDir tmp;
  model.save(tmp.file("m.keras"));
  keras::Model again = keras::load_model(tmp.file("m.keras"));
  EXPECT_EQ(again.layers().at(1).name(), "half");
  expect_close(again.predict(x), model.predict(x), 0, "predict");
}

TEST(CustomLayerErrors, AnUnregisteredClassNamesItsRegisteredName) {
  // A name nobody registered (the fixture's is registered by the tests above).
  auto config = nlohmann::ordered_json::parse(
      read_member((custom_fixture() / "model.keras").string(), "config.json"));
  config["config"]["layers"][2]["registered_name"] = "other_package>Scale2";
  config["config"]["layers"][2]["class_name"] = "Scale2";
  const std::string e = error_of([&] { keras::models::model_from_json(config.dump()); });
  EXPECT_NE(e.find("Unknown layer class \"Scale2\" (registered as \"other_package>Scale2\")"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("keras::register_layer<Scale2Impl>(\"other_package>Scale2\")"),
            std::string::npos)
      << e;
}

TEST(CustomLayerErrors, ABuiltInNameCannotBeTaken) {
  const std::string e = error_of([] { keras::register_layer<ScaleImpl>("Dense"); });
  EXPECT_NE(e.find("\"Dense\" is a built-in layer class"), std::string::npos) << e;
}

TEST(CustomLayerErrors, TheLayerMustCarryTheConfigName) {
  struct Nameless : ScaleImpl {
    Nameless() : ScaleImpl(1.0) {}
    static std::shared_ptr<Nameless> from_config(const keras::Config&) {
      return std::make_shared<Nameless>();
    }
  };
  keras::register_layer<Nameless>("test>Nameless");
  keras::Sequential model({keras::Input({4}), keras::Layer(std::make_shared<Nameless>())});
  TempDir tmp;
  model.save(tmp.file("m.keras"));
  // Saved under its automatic name; loading names the layer anew.
  const std::string e = error_of([&] { keras::load_model(tmp.file("m.keras")); });
  EXPECT_NE(e.find("pass config.name() to the layer's constructor"), std::string::npos) << e;
}

TEST(CustomLayerConfig, TypedFieldsAndErrors) {
  keras::Config c("Scale");
  c.set("factor", 2.5).set("units", 3).set("flag", true).set("mode", "fast");
  c.set("sizes", std::vector<std::int64_t>{1, 2}).set("names", std::vector<std::string>{"a"});
  c.set_null("none");
  EXPECT_EQ(c.number("factor"), 2.5);
  EXPECT_EQ(c.integer("units"), 3);
  EXPECT_TRUE(c.boolean("flag"));
  EXPECT_EQ(c.string("mode"), "fast");
  EXPECT_EQ(c.integers("sizes"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(c.strings("names"), std::vector<std::string>{"a"});
  EXPECT_FALSE(c.has("none"));
  EXPECT_EQ(c.number("none", 7.0), 7.0);
  EXPECT_EQ(
      c.to_json(),
      R"({"factor":2.5,"units":3,"flag":true,"mode":"fast","sizes":[1,2],"names":["a"],"none":null})");
  EXPECT_NE(error_of([&] { c.string("factor"); }).find("Scale config field \"factor\""),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.numbers("names"); }).find("must be a list of numbers"),
            std::string::npos);
  EXPECT_NE(error_of([&] { c.number("missing"); }).find("missing"), std::string::npos);
  EXPECT_EQ(keras::Config::from_json("Scale", c.to_json()).to_json(), c.to_json());
  EXPECT_NE(error_of([] { keras::Config::from_json("Scale", "[1]"); }).find("not a JSON object"),
            std::string::npos);
}

}  // namespace
