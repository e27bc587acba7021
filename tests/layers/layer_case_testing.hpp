#pragma once
// Reading the single-layer fixture cases (tests/fixtures/core/<case>/, made
// by reference/make_core_fixtures.py with real Keras) and checking a layer
// against one.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "keras/layer.hpp"

namespace keras::testing {

using json = nlohmann::ordered_json;

struct WeightSpec {
  std::string name;  // the last component of Keras' path ("kernel")
  Shape shape;
  bool trainable = true;
};

struct LayerCase {
  std::string name;
  json info;                    // case.json
  json layer_object;            // the case's only layer, as model.json holds it
  Tensor x;                     // x_0.npy
  Tensor y;                     // y_0.npy; undefined when Keras could not compute it
  std::vector<Tensor> weights;  // weights_NN.npy in order
  Shape input_shape;            // with the batch dimension None
  Shape output_shape;
  std::string layer_name;
  std::string layer_class;
  std::int64_t count_params = 0;
  std::vector<WeightSpec> weight_specs;
};

std::string fixture_path(const std::string& case_name, const std::string& file);
bool case_exists(const std::string& case_name);
// Loads a single-layer case (a Sequential of Input + one layer).
LayerCase load_case(const std::string& case_name);
// Every case directory whose name starts with prefix, sorted.
std::vector<std::string> case_names(const std::string& prefix);

// |actual - expected| <= atol + rtol * |expected| everywhere, shapes equal.
void expect_allclose(const Tensor& actual, const Tensor& expected, double rtol = 1e-5,
                     double atol = 1e-6);

// Checks layer against the case: name and class; output shape for the
// symbolic input shape; weights (names, shapes, count) after building; the
// output for x_0 with the case's weights set, against y_0.
void check_layer_against_case(const Layer& layer, const LayerCase& c);

// The message of the keras::Error fn throws ("" and a test failure if none).
template <class Fn>
std::string error_message(Fn&& fn);

}  // namespace keras::testing

#include <gtest/gtest.h>

namespace keras::testing {
template <class Fn>
std::string error_message(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a keras::Error";
  return "";
}
}  // namespace keras::testing
