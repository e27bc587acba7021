#include "conv/conv_fixture_testing.hpp"

#include <cstdint>
#include <utility>

namespace kerascpp_testing::conv {

namespace fs = std::filesystem;

const fs::path& fixtures_dir() {
  static const fs::path dir = fs::path(KERASCPP_FIXTURES_DIR) / "conv";
  return dir;
}

std::vector<std::string> case_names(const std::string& kind) {
  return common::case_names(fixtures_dir(), common::of_kind(kind));
}

keras::Shape shape_from_json(const nlohmann::json& dims) {
  std::vector<std::int64_t> out;
  for (const auto& d : dims) out.push_back(d.is_null() ? keras::None : d.get<std::int64_t>());
  return keras::Shape(out);
}

LossGradients loss_gradients(const keras::Model& model, const keras::Tensor& x,
                             const keras::Tensor& r) {
  common::LossGradients all = common::loss_gradients(model, {x}, {r}, /*training=*/false);
  return {std::move(all.weights), all.inputs[0]};
}

}  // namespace kerascpp_testing::conv
