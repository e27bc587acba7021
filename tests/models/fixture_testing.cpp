#include "fixture_testing.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace kerascpp_testing {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string json_difference(const nlohmann::ordered_json& got, const nlohmann::ordered_json& want,
                            const std::string& path) {
  auto kind = [](const nlohmann::ordered_json& v) -> std::string {
    return v.is_number_float() ? "float" : v.is_number() ? "integer" : v.type_name();
  };
  if (kind(got) != kind(want)) return path + ": " + got.dump() + " vs " + want.dump();
  if (got.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : got.items()) keys.insert(k);
    for (const auto& [k, v] : want.items()) keys.insert(k);
    for (const auto& k : keys) {
      if (k == "shared_object_id") continue;
      if (!got.contains(k) || !want.contains(k)) return path + "." + k + ": present on one side";
      std::string d = json_difference(got.at(k), want.at(k), path + "." + k);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (got.is_array()) {
    if (got.size() != want.size()) return path + ": lengths differ";
    for (std::size_t i = 0; i < got.size(); ++i) {
      std::string d = json_difference(got[i], want[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (got.is_number_float()) {
    return got.get<double>() == want.get<double>()
               ? ""
               : path + ": " + got.dump() + " vs " + want.dump();
  }
  return got == want ? "" : path + ": " + got.dump() + " vs " + want.dump();
}

std::vector<fs::path> numbered(const fs::path& dir, const std::string& prefix) {
  std::vector<std::pair<int, fs::path>> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".npy") {
      found.emplace_back(std::stoi(name.substr(prefix.size())), entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace kerascpp_testing
