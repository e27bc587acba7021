#pragma once
// Datatype and dataspace encodings (in datatype, dataspace and attribute
// messages), for the HDF5 pre-check (h5_precheck.cpp). HDF5 1.10.8 decodes
// them without checking them against the message that holds them, and
// converts values with bit positions it does not check against the type's
// size; both are checked here.
#include <array>
#include <cstdint>

#include "saving/h5_check_format.hpp"

namespace keras::saving::h5check {

// HDF5 datatype classes.
enum TypeClass : std::uint8_t {
  kFixedPoint = 0,
  kFloatingPoint = 1,
  kTime = 2,
  kString = 3,
  kBitfield = 4,
  kOpaque = 5,
  kCompound = 6,
  kReference = 7,
  kEnumerated = 8,
  kVariableLength = 9,
  kArray = 10,
};

struct Datatype {
  std::uint8_t type_class = 0;
  std::uint64_t size = 0;  // bytes per value in the file
  // Variable-length types: bytes per element of the sequence (1 for strings).
  std::uint64_t element_size = 0;
  // Whether a variable-length type occurs anywhere in it.
  bool holds_variable_length = false;
};

// Reads a datatype at the cursor; `depth` counts the enclosing types.
Datatype read_datatype(Cursor& cursor, int depth = 0);

struct Dataspace {
  int rank = 0;
  std::uint64_t elements = 0;  // 0 for a null dataspace
  std::array<std::uint64_t, 32> dims{};
  std::array<std::uint64_t, 32> max_dims{};  // kUndefined: unlimited
};

Dataspace read_dataspace(Cursor& cursor);

}  // namespace keras::saving::h5check
