#include "saving/config_checks.hpp"

#include <cstdint>

#include "keras/error.hpp"

namespace keras::saving {

namespace {

using json = nlohmann::ordered_json;

constexpr int kMaxJsonDepth = 64;
constexpr std::int64_t kMaxConfigInteger = std::int64_t{1} << 31;
// The most elements a symbolic tensor of a loaded model may have per sample.
constexpr std::int64_t kMaxElementsPerSample = std::int64_t{1} << 40;

}  // namespace

void check_config_values(const json& v, const std::string& path, int depth) {
  if (depth > kMaxJsonDepth) {
    throw Error(path + " is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep.");
  }
  if (v.is_number_integer()) {
    const bool negative = v.is_number_unsigned() ? false : v.get<std::int64_t>() < 0;
    const bool too_big =
        v.is_number_unsigned()
            ? v.get<std::uint64_t>() >= static_cast<std::uint64_t>(kMaxConfigInteger)
            : (negative ? v.get<std::int64_t>() < -kMaxConfigInteger
                        : v.get<std::int64_t>() >= kMaxConfigInteger);
    if (too_big) throw Error(path + " holds " + v.dump() + ", an absurd size for a Keras config.");
    return;
  }
  if (v.is_object()) {
    for (const auto& [key, item] : v.items()) {
      if (key == "seed" || key == "shared_object_id") continue;
      check_config_values(item, path + "." + key, depth + 1);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      check_config_values(v[i], path + "[" + std::to_string(i) + "]", depth + 1);
    }
  }
}

void check_tensor_sizes(const detail::FunctionalImpl& model, const std::string& context) {
  if (!model.has_graph()) return;
  for (const auto& step : model.graph().steps) {
    for (const Shape& shape : step.node->output_shapes) {
      std::int64_t elements = 1;
      for (int i = 1; i < shape.rank(); ++i) {
        const std::int64_t d = shape[i];
        if (d == None) continue;
        if (d < 0 || __builtin_mul_overflow(elements, d, &elements) ||
            elements > kMaxElementsPerSample) {
          throw Error(context + ": " + step.node->layer->describe() + " outputs tensors of shape " +
                      shape.to_string() + ", absurdly large per sample.");
        }
      }
    }
  }
}

}  // namespace keras::saving
