#pragma once
// Helpers the .keras tests share: the fixtures Keras saved, reading members
// of an archive, comparing tensors.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keras/error.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/tensor.hpp"

namespace keras::keras_file_testing {

// tests/fixtures/saving_keras/models/<name>.
std::string fixture(const std::string& name);
// Every case folder there, sorted.
std::vector<std::filesystem::path> fixture_cases();
// <prefix>0.npy, <prefix>1.npy, ... (or <prefix>00.npy, ...) in order.
std::vector<Tensor> numbered_npy(const std::filesystem::path& dir, const std::string& prefix);
std::string read_text(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);
// One member of a zip archive, read with libzip directly.
std::string read_member(const std::string& archive, const std::string& member);
// "name:stored" or "name:deflated" per entry, in archive order.
std::vector<std::string> archive_entries(const std::string& archive);
// |got - want| <= tol * max(1, |want|) everywhere, shapes equal.
void expect_close(const Tensor& got, const Tensor& want, double tol, const std::string& what);
Tensor ramp(const Shape& shape, float scale = 0.1f);
// An optimizer's Keras config, and a fresh optimizer made from one.
nlohmann::ordered_json optimizer_config(const optimizers::Optimizer& optimizer);
optimizers::Optimizer optimizer_from(const nlohmann::ordered_json& config);

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

}  // namespace keras::keras_file_testing
