#pragma once
// Element types of tensors, named as Keras names them ("float32", "int32", ...).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keras {

enum class DType : std::uint8_t { float32, float64, int32, int64, uint8, bool_ };

// "float32", "float64", "int32", "int64", "uint8", "bool".
std::string_view dtype_name(DType dtype);
// Parses a Keras dtype string; throws keras::Error for an unknown name.
DType dtype_from_name(std::string_view name);
std::size_t dtype_size(DType dtype);
bool is_floating(DType dtype);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::float32; }
template <>
constexpr DType dtype_of<double>() { return DType::float64; }
template <>
constexpr DType dtype_of<std::int32_t>() { return DType::int32; }
template <>
constexpr DType dtype_of<std::int64_t>() { return DType::int64; }
template <>
constexpr DType dtype_of<std::uint8_t>() { return DType::uint8; }
template <>
constexpr DType dtype_of<bool>() { return DType::bool_; }

}  // namespace keras
