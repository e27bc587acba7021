#include "norm/norm_fixture_testing.hpp"

namespace fs = std::filesystem;

namespace kerascpp_testing::norm {

const fs::path& fixtures_dir() {
  static const fs::path dir = fs::path(KERASCPP_FIXTURES_DIR) / "norm";
  return dir;
}

std::vector<std::string> case_names(const std::string& with_key) {
  if (with_key.empty()) return common::case_names(fixtures_dir());
  return common::case_names(
      fixtures_dir(), [&with_key](const nlohmann::json& info) { return info.contains(with_key); });
}

std::vector<keras::Tensor> load_all(const fs::path& dir, const nlohmann::json& files) {
  std::vector<keras::Tensor> out;
  for (const auto& f : files) out.push_back(load(dir, f.get<std::string>()));
  return out;
}

}  // namespace kerascpp_testing::norm
