#include "saving/config_testing.hpp"

#include <set>

namespace keras::config_testing {

namespace {

using json = nlohmann::ordered_json;

std::string kind(const json& v) {
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "integer";
  return v.type_name();
}

std::string show(const json& v) {
  std::string s = v.dump();
  return s.size() > 200 ? s.substr(0, 197) + "..." : s;
}

}  // namespace

std::string difference(const json& got, const json& want, const std::string& path) {
  const std::string here = path + ": got " + show(got) + ", want " + show(want);
  if (kind(got) != kind(want)) return here + " (" + kind(got) + " vs " + kind(want) + ")";
  if (got.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : got.items()) keys.insert(k);
    for (const auto& [k, v] : want.items()) keys.insert(k);
    for (const std::string& k : keys) {
      if (k == "shared_object_id") continue;
      if (!got.contains(k)) return path + "." + k + ": missing (want " + show(want.at(k)) + ")";
      if (!want.contains(k)) return path + "." + k + ": unexpected (got " + show(got.at(k)) + ")";
      std::string d = difference(got.at(k), want.at(k), path + "." + k);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (got.is_array()) {
    if (got.size() != want.size()) return here + " (lengths differ)";
    for (std::size_t i = 0; i < got.size(); ++i) {
      std::string d = difference(got[i], want[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (got.is_number_float()) {
    return got.get<double>() == want.get<double>() ? "" : here;
  }
  return got == want ? "" : here;
}

}  // namespace keras::config_testing
