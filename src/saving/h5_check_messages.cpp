#include "saving/h5_check_messages.hpp"

#include <string>

#include "saving/h5_check_types.hpp"

namespace keras::saving::h5check {

namespace {

std::uint64_t align8(std::uint64_t n) { return (n + 7) & ~std::uint64_t{7}; }

void check_version(Cursor& cursor, unsigned lowest, unsigned highest) {
  const unsigned version = cursor.u8();
  if (version < lowest || version > highest) {
    cursor.damaged("has version " + std::to_string(version));
  }
}

// Each value is (length, global heap collection address, object index).
void check_variable_length_values(const Image& image, std::uint64_t at, std::uint64_t count,
                                  const Datatype& type, GlobalHeaps& heaps) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t value_at = at + i * type.size;
    Cursor value(image, value_at, value_at + type.size, "a variable-length value");
    const std::uint32_t length = value.u32();
    const std::uint64_t address = value.address();
    const std::uint32_t index = value.u32();
    heaps.check_value(value_at, length, type.element_size, address, index);
  }
}

}  // namespace

// Version, flags (reserved in version 1), the sizes of the name, datatype
// and dataspace, the name's character set (version 3), the three fields
// (padded to 8 bytes in version 1), then the values.
void check_attribute(const Image& image, const Message& message, GlobalHeaps& heaps) {
  Cursor cursor = message.data(image, "the attribute message");
  const std::uint8_t version = cursor.u8();
  if (version < 1 || version > 3) cursor.damaged("has version " + std::to_string(version));
  const std::uint8_t flags = cursor.u8();
  if (version >= 2 && (flags & 0x03) != 0) {
    image.unsupported("an attribute with a shared datatype or dataspace" + at_byte(message.at));
  }
  if (version >= 2 && flags != 0) cursor.damaged("has unknown flags");
  const std::uint16_t name_size = cursor.u16();
  const std::uint16_t type_size = cursor.u16();
  const std::uint16_t space_size = cursor.u16();
  if (version == 3 && cursor.u8() > 1) cursor.damaged("has an unknown character set");
  const auto field = [&](std::uint64_t n) { return version == 1 ? align8(n) : n; };

  // The size counts a NUL, the first in the name: HDF5 copies up to it.
  const std::string_view name = cursor.take(field(name_size)).substr(0, name_size);
  if (name_size == 0 || name.find('\0') != name.size() - 1) {
    cursor.damaged("has a name field of " + std::to_string(name_size) +
                   " bytes that does not end with the name's only NUL");
  }
  Cursor type_field = cursor.sub(type_size, "the datatype of the attribute message");
  cursor.skip(field(type_size) - type_size);
  const Datatype type = read_datatype(type_field);
  Cursor space_field = cursor.sub(space_size, "the dataspace of the attribute message");
  cursor.skip(field(space_size) - space_size);
  const Dataspace space = read_dataspace(space_field);

  const std::uint64_t bytes = checked_product(image, space.elements, type.size, "an attribute");
  if (bytes > cursor.left()) {
    cursor.damaged("holds " + std::to_string(space.elements) + " values of " +
                   std::to_string(type.size) + " bytes, but only " + std::to_string(cursor.left()) +
                   " bytes follow its name and types");
  }
  if (type.type_class == kVariableLength) {
    check_variable_length_values(image, cursor.position(), space.elements, type, heaps);
  } else if (type.holds_variable_length) {
    image.unsupported("an attribute of variable-length values inside another type" +
                      at_byte(message.at));
  }
}

FillValue read_fill_value(const Image& image, const Message& message) {
  Cursor cursor = message.data(image, "the fill value message");
  FillValue fill;
  if (message.type == kFillValueOld) {
    fill.size = cursor.u32();
    cursor.skip(fill.size);
    fill.has_value = fill.size > 0;
    return fill;
  }
  const std::uint8_t version = cursor.u8();
  if (version < 1 || version > 3) cursor.damaged("has version " + std::to_string(version));
  if (version <= 2) {
    // Allocation time, fill time, whether a value is defined.
    const std::uint8_t allocation = cursor.u8();
    const std::uint8_t when = cursor.u8();
    const std::uint8_t defined = cursor.u8();
    if (allocation > 3 || when > 2 || defined > 1) cursor.damaged("has unknown settings");
    fill.has_value = version == 1 || defined == 1;
  } else {
    const std::uint8_t flags = cursor.u8();
    const bool undefined = (flags & 0x10) != 0;
    fill.has_value = (flags & 0x20) != 0;
    if ((flags & 0xC0) != 0 || ((flags >> 2) & 0x03) > 2 || (undefined && fill.has_value)) {
      cursor.damaged("has unknown flags " + std::to_string(flags));
    }
  }
  if (fill.has_value) {
    fill.size = cursor.u32();
    cursor.skip(fill.size);
    fill.has_value = fill.size > 0;
  }
  return fill;
}

// Version, filter count (version 1: 6 reserved bytes), then per filter: id,
// name length (version 2: only for ids from 256), flags, number of client
// values, the name (NUL-terminated; padded in version 1), the values
// (version 1: padded to 8 bytes).
Pipeline read_filter_pipeline(const Image& image, const Message& message) {
  Cursor cursor = message.data(image, "the filter pipeline message");
  const std::uint8_t version = cursor.u8();
  if (version != 1 && version != 2) cursor.damaged("has version " + std::to_string(version));
  Pipeline pipeline;
  pipeline.filters = cursor.u8();
  if (pipeline.filters == 0 || pipeline.filters > 32) {
    cursor.damaged("lists " + std::to_string(pipeline.filters) + " filters (HDF5 allows 1 to 32)");
  }
  if (version == 1) cursor.skip(6);
  for (int i = 0; i < pipeline.filters; ++i) {
    const std::uint16_t id = cursor.u16();
    const std::uint16_t name_size = version == 1 || id >= 256 ? cursor.u16() : 0;
    cursor.skip(2);  // flags
    const std::uint16_t values = cursor.u16();
    if (name_size > 0 && cursor.take(name_size).find('\0') == std::string_view::npos) {
      cursor.damaged("has a filter name that does not end");
    }
    cursor.skip(4 * std::uint64_t{values});
    if (version == 1 && values % 2 == 1) cursor.skip(4);
    // 1: deflate (gzip), 2: shuffle, 3: Fletcher-32 checksums.
    if (id < 1 || id > 3 || (id == 1 && pipeline.gzip >= 0)) {
      image.unsupported("the HDF5 filter " + std::to_string(id) + at_byte(message.at) +
                        " (compression other than gzip, or gzip twice)");
    }
    if (id == 1) pipeline.gzip = i;
    if (id == 3) ++pipeline.checksums;
  }
  return pipeline;
}

// Version 1, flags, [link type], [creation order], [name character set],
// name length (1 to 8 bytes), name, then the link's target.
std::uint64_t read_link(const Image& image, const Message& message) {
  Cursor cursor = message.data(image, "the link message");
  check_version(cursor, 1, 1);
  const std::uint8_t flags = cursor.u8();
  if ((flags & 0xE0) != 0) cursor.damaged("has unknown flags");
  const std::uint8_t type = (flags & 0x08) != 0 ? cursor.u8() : 0;
  if ((flags & 0x04) != 0) cursor.skip(8);  // creation order
  if ((flags & 0x10) != 0 && cursor.u8() > 1) cursor.damaged("has an unknown character set");
  const std::uint64_t name_size = cursor.number(1 << (flags & 0x03));
  if (name_size == 0) cursor.damaged("has an empty name");
  cursor.skip(name_size);
  if (type == 0) return cursor.address();
  if (type == 1) {  // soft: a path, resolved through the hard links walked anyway
    cursor.skip(cursor.u16());
    return kUndefined;
  }
  if (type == 64) image.unsupported("an external link (to another file)" + at_byte(message.at));
  image.unsupported("a link of type " + std::to_string(type) + at_byte(message.at));
}

namespace {

// Link info and attribute info messages share one layout: version 0, flags,
// [maximum creation index, max_index_size bytes], fractal heap address, name
// index B-tree address, [creation order index address]. A defined heap
// address means dense storage, which kerascpp does not read.
void check_storage_info(const Image& image, const Message& message, const char* name,
                        std::uint64_t max_index_size, const std::string& dense_storage) {
  Cursor cursor = message.data(image, name);
  check_version(cursor, 0, 0);
  const std::uint8_t flags = cursor.u8();
  if ((flags & ~0x03) != 0) cursor.damaged("has unknown flags");
  if ((flags & 0x01) != 0) cursor.skip(max_index_size);
  const std::uint64_t heap = cursor.address();
  cursor.address();
  if ((flags & 0x02) != 0) cursor.address();
  if (heap != kUndefined) image.unsupported(dense_storage + at_byte(message.at));
}

}  // namespace

void check_link_info(const Image& image, const Message& message) {
  check_storage_info(image, message, "the link info message", 8,
                     "dense link storage (a group of many links, as written with "
                     "libver=\"latest\" or track_order=True)");
}

void check_attribute_info(const Image& image, const Message& message) {
  check_storage_info(image, message, "the attribute info message", 2,
                     "dense attribute storage (many or large attributes, as written with "
                     "libver=\"latest\")");
}

void check_fixed_message(const Image& image, const Message& message) {
  switch (message.type) {
    case kGroupInfo: {
      Cursor cursor = message.data(image, "the group info message");
      check_version(cursor, 0, 0);
      const std::uint8_t flags = cursor.u8();
      if ((flags & ~0x03) != 0) cursor.damaged("has unknown flags");
      if ((flags & 0x01) != 0) cursor.skip(4);  // link phase change
      if ((flags & 0x02) != 0) cursor.skip(4);  // estimated entries and name length
      break;
    }
    case kModificationTimeOld: message.data(image, "the modification time message").skip(14); break;
    case kModificationTime: {
      Cursor cursor = message.data(image, "the modification time message");
      check_version(cursor, 1, 1);
      cursor.skip(3 + 4);
      break;
    }
    case kComment: {
      if (image.bytes.substr(message.at, message.size).find('\0') == std::string_view::npos) {
        image.damaged("the comment message" + at_byte(message.at) + " does not end");
      }
      break;
    }
    case kReferenceCount: {
      Cursor cursor = message.data(image, "the reference count message");
      check_version(cursor, 0, 0);
      cursor.skip(4);
      break;
    }
    case kBtreeK: {
      Cursor cursor = message.data(image, "the B-tree K values message");
      check_version(cursor, 0, 0);
      cursor.skip(6);
      break;
    }
    default: break;
  }
}

}  // namespace keras::saving::h5check
