// Reading and writing the configs of losses, metrics and learning-rate
// schedules (Keras' get_config / from_config for objects that are not layers).
#include "saving/object_config.hpp"

#include <cmath>
#include <limits>

#include "keras/error.hpp"
#include "layers/custom_layers.hpp"

namespace keras::saving {

namespace {

using json = nlohmann::ordered_json;

std::string show(const json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

// The value of a field that is present and not null, else nullptr.
const json* present(const Config& config, const std::string& key) {
  const json& value = config_value(config);
  auto it = value.find(key);
  return it == value.end() || it->is_null() ? nullptr : &*it;
}

[[noreturn]] void wrong(const Config& config, const std::string& key, const std::string& expected) {
  throw Error(field_name(config, key) + " must be " + expected + ", got " +
              show(config_value(config).at(key)) + ".");
}

double finite(const Config& config, const std::string& key, const json& v) {
  if (!v.is_number()) wrong(config, key, "a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) wrong(config, key, "a finite number");
  return d;
}

bool is_count(double value) { return value == std::floor(value) && std::fabs(value) < 9.0e15; }

}  // namespace

const json& config_value(const Config& config) { return config.fields().value; }

Config config_from_value(const std::string& class_name, const json& value) {
  if (!value.is_object()) {
    throw Error(class_name + " config must be a JSON object, got " + show(value) + ".");
  }
  Config config(class_name);
  config.fields().value = value;
  return config;
}

std::string field_name(const Config& config, const std::string& key) {
  return config.class_name() + " config field \"" + key + "\"";
}

void check_fields(const Config& config, std::initializer_list<const char*> known) {
  for (const auto& [key, value] : config_value(config).items()) {
    bool found = false;
    for (const char* k : known) found = found || key == k;
    if (found) continue;
    std::string list;
    for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
    throw Error(config.class_name() + " config has the field \"" + key + "\", which " +
                config.class_name() + " does not take; it takes " + list + ".");
  }
}

double finite_number(const Config& config, const std::string& key, double fallback) {
  const json* v = present(config, key);
  return v == nullptr ? fallback : finite(config, key, *v);
}

double finite_number(const Config& config, const std::string& key) {
  const json* v = present(config, key);
  if (v == nullptr) throw Error(field_name(config, key) + " is missing (or null).");
  return finite(config, key, *v);
}

int bounded_integer(const Config& config, const std::string& key, int fallback, int min, int max) {
  const std::optional<std::int64_t> v = optional_integer(config, key, min, max);
  return v ? static_cast<int>(*v) : fallback;
}

std::optional<std::int64_t> optional_integer(const Config& config, const std::string& key,
                                             std::int64_t min, std::int64_t max) {
  const json* v = present(config, key);
  if (v == nullptr) return std::nullopt;
  const std::string range = "[" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!v->is_number_integer()) wrong(config, key, "an integer in " + range);
  // Non-negative JSON integers are unsigned and may not fit an int64.
  if (v->is_number_unsigned() &&
      v->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    wrong(config, key, "an integer in " + range);
  }
  const std::int64_t value = v->get<std::int64_t>();
  if (value < min || value > max) wrong(config, key, "an integer in " + range);
  return value;
}

std::vector<double> number_or_numbers(const Config& config, const std::string& key) {
  const json* v = present(config, key);
  if (v == nullptr) return {};
  if (!v->is_array()) return {finite(config, key, *v)};
  return finite_numbers(config, key);
}

std::vector<double> finite_numbers(const Config& config, const std::string& key) {
  const json* v = present(config, key);
  if (v == nullptr) throw Error(field_name(config, key) + " is missing (or null).");
  if (!v->is_array()) wrong(config, key, "a list of numbers");
  std::vector<double> out;
  for (const json& item : *v) {
    if (!item.is_number() || !std::isfinite(item.get<double>())) {
      wrong(config, key, "a list of finite numbers");
    }
    out.push_back(item.get<double>());
  }
  return out;
}

void set_count(Config& config, const std::string& key, double value) {
  if (is_count(value)) {
    config.set(key, static_cast<std::int64_t>(value));
  } else {
    config.set(key, value);
  }
}

void set_counts(Config& config, const std::string& key, const std::vector<double>& values) {
  bool counts = true;
  for (double v : values) counts = counts && is_count(v);
  json list = json::array();
  for (double v : values) {
    if (counts) {
      list.push_back(static_cast<std::int64_t>(v));
    } else {
      list.push_back(v);
    }
  }
  config.fields().value[key] = std::move(list);
}

}  // namespace keras::saving
