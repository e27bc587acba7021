#include "saving/h5_check_types.hpp"

#include <string>

namespace keras::saving::h5check {

namespace {

// Types nest (compound members, array and variable-length elements); real
// files nest two or three deep.
constexpr int kMaxTypeDepth = 8;
constexpr int kMaxRank = 32;  // H5S_MAX_RANK

std::uint64_t align8(std::uint64_t n) { return (n + 7) & ~std::uint64_t{7}; }

// The significant bits [offset, offset + precision) of a number type must
// lie within its size: HDF5's conversions address them unchecked.
void check_bits(Cursor& cursor, std::uint64_t size, unsigned offset, unsigned precision) {
  if (precision == 0 || offset + precision > 8 * size) {
    cursor.damaged("describes a number of " + std::to_string(size) + " bytes whose " +
                   std::to_string(precision) + " bits start at bit " + std::to_string(offset));
  }
}

void check_float_fields(Cursor& cursor, std::uint64_t size, std::uint32_t bits) {
  const unsigned offset = cursor.u16();
  const unsigned precision = cursor.u16();
  const unsigned exponent_at = cursor.u8();
  const unsigned exponent_bits = cursor.u8();
  const unsigned mantissa_at = cursor.u8();
  const unsigned mantissa_bits = cursor.u8();
  cursor.skip(4);  // exponent bias
  check_bits(cursor, size, offset, precision);
  const unsigned sign_at = (bits >> 8) & 0xFF;
  const unsigned normalization = (bits >> 4) & 0x03;
  const unsigned end = offset + precision;
  const bool inside = exponent_bits > 0 && mantissa_bits > 0 && exponent_bits <= 64 &&
                      mantissa_bits <= 64 && exponent_at >= offset &&
                      exponent_at + exponent_bits <= end && mantissa_at >= offset &&
                      mantissa_at + mantissa_bits <= end && sign_at < end;
  if (!inside || normalization == 3) {
    cursor.damaged(
        "describes a floating-point number whose sign, exponent or mantissa lies "
        "outside its bits");
  }
}

// A NUL-terminated name in a compound or enumeration type; versions 1 and
// 2 pad it to a multiple of 8 bytes.
void skip_name(Cursor& cursor, int version) {
  const std::string_view rest = cursor.image().bytes.substr(cursor.position(), cursor.left());
  const std::size_t nul = rest.find('\0');
  if (nul == std::string_view::npos) cursor.damaged("has a member name that does not end");
  cursor.skip(version >= 3 ? nul + 1 : align8(nul + 1));
}

// Bytes HDF5 uses to store a member's offset in a version 3 compound type.
int offset_width(std::uint64_t size) {
  int width = 1;
  while (width < 4 && (size >> (8 * width)) != 0) ++width;
  return width;
}

Datatype read_compound(Cursor& cursor, int version, std::uint64_t size, std::uint32_t bits,
                       int depth) {
  const unsigned members = bits & 0xFFFF;
  if (members == 0) cursor.damaged("describes a compound type with no members");
  Datatype type;
  for (unsigned i = 0; i < members; ++i) {
    skip_name(cursor, version);
    const std::uint64_t offset = version >= 3 ? cursor.number(offset_width(size)) : cursor.u32();
    std::uint64_t count = 1;
    if (version == 1) {
      // An old-style array member: up to 4 dimensions.
      const unsigned dims = cursor.u8();
      cursor.skip(3 + 4 + 4);  // reserved, permutation, reserved
      if (dims > 4)
        cursor.damaged("has a compound member of " + std::to_string(dims) + " dimensions");
      for (unsigned d = 0; d < 4; ++d) {
        const std::uint32_t extent = cursor.u32();
        if (d < dims) count = checked_product(cursor.image(), count, extent, "a compound member");
      }
    }
    const Datatype member = read_datatype(cursor, depth + 1);
    const std::uint64_t member_size =
        checked_product(cursor.image(), count, member.size, "a compound member");
    if (offset > size || member_size > size - offset) {
      cursor.damaged("has a compound member of " + std::to_string(member_size) +
                     " bytes at offset " + std::to_string(offset) + " of a " +
                     std::to_string(size) + "-byte type");
    }
    type.holds_variable_length |= member.holds_variable_length;
  }
  return type;
}

Datatype read_enumerated(Cursor& cursor, int version, std::uint64_t size, std::uint32_t bits,
                         int depth) {
  const Datatype base = read_datatype(cursor, depth + 1);
  if (base.type_class != kFixedPoint || base.size != size) {
    cursor.damaged("describes an enumeration whose values are not integers of its size");
  }
  const unsigned members = bits & 0xFFFF;
  for (unsigned i = 0; i < members; ++i) skip_name(cursor, version);
  cursor.skip(checked_product(cursor.image(), members, base.size, "an enumeration"));
  return Datatype{};
}

Datatype read_variable_length(Cursor& cursor, std::uint64_t size, int depth) {
  const Datatype base = read_datatype(cursor, depth + 1);
  if (base.holds_variable_length) {
    cursor.image().unsupported("a variable-length type of variable-length values" +
                               at_byte(cursor.begin()));
  }
  // In the file each value is a length, a global heap address and an index.
  const auto stored = static_cast<std::uint64_t>(4 + cursor.image().offsets + 4);
  if (size != stored) {
    cursor.damaged("describes variable-length values of " + std::to_string(size) +
                   " bytes; they take " + std::to_string(stored));
  }
  Datatype type;
  type.element_size = base.size;
  type.holds_variable_length = true;
  return type;
}

Datatype read_array(Cursor& cursor, int version, std::uint64_t size, int depth) {
  if (version < 2) cursor.damaged("describes an array type in datatype version 1");
  const unsigned dims = cursor.u8();
  if (dims == 0 || dims > kMaxRank) {
    cursor.damaged("describes an array of " + std::to_string(dims) + " dimensions");
  }
  if (version == 2) cursor.skip(3);
  std::uint64_t count = 1;
  for (unsigned d = 0; d < dims; ++d) {
    count = checked_product(cursor.image(), count, cursor.u32(), "an array type");
  }
  if (version == 2) cursor.skip(4 * dims);  // permutation
  const Datatype base = read_datatype(cursor, depth + 1);
  if (checked_product(cursor.image(), count, base.size, "an array type") != size) {
    cursor.damaged("describes an array of " + std::to_string(count) + " values of " +
                   std::to_string(base.size) + " bytes as " + std::to_string(size) + " bytes");
  }
  Datatype type;
  type.holds_variable_length = base.holds_variable_length;
  return type;
}

}  // namespace

// Class and version, 24 bits of class-specific flags, size, properties.
Datatype read_datatype(Cursor& cursor, int depth) {
  if (depth > kMaxTypeDepth) {
    cursor.damaged("has datatypes nested more than " + std::to_string(kMaxTypeDepth) + " deep");
  }
  const std::uint8_t class_and_version = cursor.u8();
  const std::uint8_t type_class = class_and_version & 0x0F;
  const int version = class_and_version >> 4;
  if (version == 0) cursor.damaged("has a datatype of version 0");
  if (version > 3) {
    // Versions 4 and 5 come from HDF5 1.12 and 2.0 with libver="latest".
    cursor.image().unsupported("a datatype of version " + std::to_string(version) +
                               at_byte(cursor.begin()) +
                               " (HDF5 1.12 or newer, libver=\"latest\")");
  }
  const auto bits = static_cast<std::uint32_t>(cursor.number(3));
  const std::uint64_t size = cursor.u32();
  if (size == 0) cursor.damaged("has a datatype of 0 bytes");
  Datatype type;
  switch (type_class) {
    case kFixedPoint:
    case kBitfield: {
      const unsigned offset = cursor.u16();
      const unsigned precision = cursor.u16();
      check_bits(cursor, size, offset, precision);
      break;
    }
    case kFloatingPoint: check_float_fields(cursor, size, bits); break;
    case kTime: check_bits(cursor, size, 0, cursor.u16()); break;
    case kString:
    case kReference: break;
    case kOpaque: cursor.skip(bits & 0xFF); break;  // the tag
    case kCompound: type = read_compound(cursor, version, size, bits, depth); break;
    case kEnumerated: type = read_enumerated(cursor, version, size, bits, depth); break;
    case kVariableLength: type = read_variable_length(cursor, size, depth); break;
    case kArray: type = read_array(cursor, version, size, depth); break;
    default: cursor.damaged("has a datatype of unknown class " + std::to_string(type_class));
  }
  type.type_class = type_class;
  type.size = size;
  return type;
}

// Version 1: rank, flags, 5 reserved bytes; version 2: rank, flags, type
// (scalar, simple, null). Then the dimensions and, when flagged, their
// maxima.
Dataspace read_dataspace(Cursor& cursor) {
  const std::uint8_t version = cursor.u8();
  if (version != 1 && version != 2) {
    cursor.damaged("has a dataspace of version " + std::to_string(version));
  }
  Dataspace space;
  space.rank = cursor.u8();
  const std::uint8_t flags = cursor.u8();
  if (space.rank > kMaxRank) {
    cursor.damaged("has a dataspace of rank " + std::to_string(space.rank) + ", more than 32");
  }
  if ((flags & ~1) != 0) cursor.damaged("has a dataspace with unknown flags");
  bool null_space = false;
  if (version == 1) {
    cursor.skip(5);
  } else {
    const std::uint8_t kind = cursor.u8();
    if (kind > 2 || (kind == 1) != (space.rank > 0)) {
      cursor.damaged("has a dataspace of type " + std::to_string(kind) + " and rank " +
                     std::to_string(space.rank));
    }
    null_space = kind == 2;
  }
  auto& dims = space.dims;
  space.elements = 1;
  for (int d = 0; d < space.rank; ++d) {
    dims[d] = cursor.length();
    space.elements = checked_product(cursor.image(), space.elements, dims[d], "a dataspace");
  }
  space.max_dims = dims;
  if ((flags & 1) != 0) {
    const int L = cursor.image().lengths;
    const std::uint64_t unlimited = L >= 8 ? kUndefined : (std::uint64_t{1} << (8 * L)) - 1;
    for (int d = 0; d < space.rank; ++d) {
      const std::uint64_t max = cursor.length();
      if (max != unlimited && max < dims[d]) {
        cursor.damaged("has dimension " + std::to_string(d) + " (" + std::to_string(dims[d]) +
                       ") larger than its maximum " + std::to_string(max));
      }
      space.max_dims[d] = max == unlimited ? kUndefined : max;
    }
  }
  if (null_space) space.elements = 0;
  return space;
}

}  // namespace keras::saving::h5check
