#pragma once
// Process-wide settings, as keras.utils / keras.backend give them.
#include <cstdint>
#include <random>
#include <string>

namespace keras::utils {

// Seeds every random draw kerascpp makes (initializers, dropout, shuffling).
void set_random_seed(std::uint64_t seed);
// The generator behind all draws; advanced by each draw.
std::mt19937_64& random_generator();

}  // namespace keras::utils

namespace keras::backend {

// Resets the automatic names (dense, dense_1, ...) as keras.backend.clear_session().
void clear_session();
// Keras' auto_name: snake_case of the class name, made unique per process:
// "Dense" -> "dense", then "dense_1", "dense_2", ...
std::string unique_object_name(const std::string& class_name);
// Keras' snake_case rule: "BatchNormalization" -> "batch_normalization",
// "Conv2D" -> "conv2d", "LSTM" -> "lstm".
std::string to_snake_case(const std::string& class_name);

}  // namespace keras::backend
