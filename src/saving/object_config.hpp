#pragma once
// Reading and writing the config of a serialized Keras object that is not a
// layer — a loss, a metric, a learning-rate schedule — held in a keras::Config
// (keras/saving/object_registration.hpp). Keras rebuilds these objects with
// cls(**config), so a field the class does not take is an error there, and
// here. Errors name the class and the field: `Huber config field "delta"`.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/saving/object_registration.hpp"

namespace keras::saving {

// The JSON object behind a Config, and a Config holding a JSON object
// (class_name names it in errors).
const nlohmann::ordered_json& config_value(const Config& config);
Config config_from_value(const std::string& class_name, const nlohmann::ordered_json& value);

// `Class config field "key"`: how errors name a field.
std::string field_name(const Config& config, const std::string& key);

// Throws unless every field of config is one of known (which lists them in
// the message).
void check_fields(const Config& config, std::initializer_list<const char*> known);

// A finite number; fallback when missing or null.
double finite_number(const Config& config, const std::string& key, double fallback);
// The same, required.
double finite_number(const Config& config, const std::string& key);
// An integer in [min, max]; fallback when missing or null.
int bounded_integer(const Config& config, const std::string& key, int fallback, int min, int max);
// An integer in [min, max], or nullopt when missing or null.
std::optional<std::int64_t> optional_integer(const Config& config, const std::string& key,
                                             std::int64_t min, std::int64_t max);
// A number or a list of numbers (Keras' thresholds), each finite; empty
// when missing or null.
std::vector<double> number_or_numbers(const Config& config, const std::string& key);
// A list of finite numbers (required).
std::vector<double> finite_numbers(const Config& config, const std::string& key);

// A step count, written as an integer when it is one (Keras' configs hold
// the Python int the user gave: "decay_steps": 100).
void set_count(Config& config, const std::string& key, double value);
// A list of step counts (PiecewiseConstantDecay's boundaries), the same way.
void set_counts(Config& config, const std::string& key, const std::vector<double>& values);

}  // namespace keras::saving
