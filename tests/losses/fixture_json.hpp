#pragma once
// Tensors stored in the loss and metric JSON fixtures
// (reference/make_loss_metric_fixtures.py): {"shape": [...], "dtype": "float32",
// "data": [...]}, and the comparisons the tests make against them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::testing {

inline nlohmann::json load_fixture(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(KERASCPP_FIXTURES_DIR) / relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path.string());
  return nlohmann::json::parse(in);
}

// The stored tensor (undefined for null), float data as `float_dtype`.
inline Tensor tensor_from_json(const nlohmann::json& j, DType float_dtype = DType::float32) {
  if (j.is_null()) return {};
  Shape shape(j["shape"].get<std::vector<std::int64_t>>());
  const std::string dtype = j["dtype"];
  if (dtype == "bool") return Tensor(shape, j["data"].get<std::vector<bool>>());
  if (dtype.rfind("int", 0) == 0) return Tensor(shape, j["data"].get<std::vector<std::int64_t>>());
  std::vector<double> data;
  for (const auto& v : j["data"]) data.push_back(v.is_null() ? NAN : v.get<double>());
  return Tensor(shape, data).astype(float_dtype);
}

// Stored values; NaN for Python's NaN (which nlohmann reads as a float NaN).
inline std::vector<double> values_from_json(const nlohmann::json& j) {
  std::vector<double> out;
  for (const auto& v : j["data"]) out.push_back(v.is_null() ? NAN : v.get<double>());
  return out;
}

// |actual - expected| <= rtol * max(1, |expected|) element-wise, same shape;
// NaN expected values are not compared (Keras' gradient at a zero vector).
inline void expect_close_to_json(const Tensor& actual, const nlohmann::json& expected, double rtol,
                                 const std::string& what) {
  ASSERT_TRUE(actual.defined()) << what;
  EXPECT_EQ(actual.shape(), Shape(expected["shape"].get<std::vector<std::int64_t>>())) << what;
  const std::vector<double> a = actual.to_vector<double>();
  const std::vector<double> e = values_from_json(expected);
  ASSERT_EQ(a.size(), e.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(e[i])) continue;
    EXPECT_NEAR(a[i], e[i], rtol * std::max(1.0, std::fabs(e[i]))) << what << ", element " << i;
  }
}

}  // namespace keras::testing
