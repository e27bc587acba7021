#pragma once
// Object headers for the HDF5 pre-check (h5_precheck.cpp): the first chunk
// (version 1, or version 2 "OHDR") and every continuation chunk (version 2:
// "OCHK"), each message's size checked against its chunk, each chunk
// against the file and against every other structure walked.
#include <cstdint>
#include <vector>

#include "saving/h5_check_format.hpp"

namespace keras::saving::h5check {

// The object header message types the pre-check knows.
enum MessageType : std::uint16_t {
  kNil = 0x00,
  kDataspace = 0x01,
  kLinkInfo = 0x02,
  kDatatype = 0x03,
  kFillValueOld = 0x04,
  kFillValue = 0x05,
  kLink = 0x06,
  kExternalFiles = 0x07,
  kLayout = 0x08,
  kGroupInfo = 0x0A,
  kFilterPipeline = 0x0B,
  kAttribute = 0x0C,
  kComment = 0x0D,
  kModificationTimeOld = 0x0E,
  kSharedMessageTable = 0x0F,
  kContinuation = 0x10,
  kSymbolTable = 0x11,
  kModificationTime = 0x12,
  kBtreeK = 0x13,
  kDriverInfo = 0x14,
  kAttributeInfo = 0x15,
  kReferenceCount = 0x16,
};

// Message flag: the data is a reference to a message stored elsewhere.
inline constexpr std::uint8_t kSharedMessage = 0x02;

struct Message {
  std::uint16_t type = 0;
  std::uint8_t flags = 0;
  std::uint64_t at = 0;    // the first byte of its data
  std::uint64_t size = 0;  // bytes of data

  // A cursor over the message's data.
  Cursor data(const Image& image, const char* what) const {
    return Cursor(image, at, at + size, what);
  }
};

struct ObjectHeader {
  std::uint64_t at = 0;  // the byte where it starts
  std::vector<Message> messages;
};

// The messages of the object header at `address`, in file order, through
// its continuation chunks (which are not listed themselves).
ObjectHeader read_object_header(const Image& image, Extents& extents, std::uint64_t address);

}  // namespace keras::saving::h5check
