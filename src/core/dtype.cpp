#include "keras/dtype.hpp"

#include "keras/error.hpp"

namespace keras {

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::uint8: return "uint8";
    case DType::bool_: return "bool";
  }
  return "unknown";
}

DType dtype_from_name(std::string_view name) {
  for (DType d : {DType::float32, DType::float64, DType::int32, DType::int64, DType::uint8,
                  DType::bool_}) {
    if (dtype_name(d) == name) return d;
  }
  throw Error("Unknown dtype \"" + std::string(name) +
              "\"; expected one of float32, float64, int32, int64, uint8, bool.");
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::float32: return 4;
    case DType::float64: return 8;
    case DType::int32: return 4;
    case DType::int64: return 8;
    case DType::uint8: return 1;
    case DType::bool_: return 1;
  }
  return 0;
}

bool is_floating(DType dtype) { return dtype == DType::float32 || dtype == DType::float64; }

}  // namespace keras
