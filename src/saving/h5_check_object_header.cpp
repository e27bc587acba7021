#include "saving/h5_check_object_header.hpp"

#include <string>

namespace keras::saving::h5check {

namespace {

constexpr std::string_view kHeaderSignature = "OHDR";
constexpr std::string_view kChunkSignature = "OCHK";
// Version 1: messages start after a 16-byte prefix, each message header
// takes 8 bytes and each message's data is padded to 8 bytes.
constexpr std::uint64_t kV1Prefix = 16;
constexpr std::uint64_t kV1MessageHeader = 8;
constexpr std::uint64_t kChecksum = 4;

// A chunk's messages: where they are and how their headers are laid out.
struct Chunk {
  std::uint64_t begin = 0;  // the first message
  std::uint64_t end = 0;    // past the last byte messages may use
  int version = 1;
  bool creation_order = false;  // version 2: messages carry a 2-byte index
};

struct Continuation {
  std::uint64_t address;
  std::uint64_t length;
};

// Appends the messages of one chunk, and the continuation chunks it names.
void read_messages(const Image& image, const Chunk& chunk, ObjectHeader& header,
                   std::vector<Continuation>& continuations) {
  Cursor cursor(image, chunk.begin, chunk.end, "the object header chunk");
  const std::uint64_t message_header =
      chunk.version == 1 ? kV1MessageHeader : (chunk.creation_order ? 6 : 4);
  while (cursor.left() > 0) {
    if (cursor.left() < message_header) {
      // Version 2 chunks may end in a gap too small for a message; version 1
      // chunks are padded to whole messages.
      if (chunk.version == 2) break;
      cursor.damaged("ends in " + std::to_string(cursor.left()) +
                     " bytes too few for a message header");
    }
    const std::uint64_t message_at = cursor.position();
    Message message;
    message.type = chunk.version == 1 ? cursor.u16() : cursor.u8();
    const std::uint16_t size = cursor.u16();
    message.flags = cursor.u8();
    if (chunk.version == 1) {
      cursor.skip(3);
      if (size % 8 != 0) {
        cursor.damaged("has a message" + at_byte(message_at) + " whose size " +
                       std::to_string(size) + " is not a multiple of 8");
      }
    } else if (chunk.creation_order) {
      cursor.skip(2);
    }
    if (size > cursor.left()) {
      cursor.damaged("has a message of type " + std::to_string(message.type) + at_byte(message_at) +
                     " whose " + std::to_string(size) + " bytes run past the chunk's end" +
                     at_byte(chunk.end));
    }
    message.at = cursor.position();
    message.size = size;
    cursor.skip(size);
    if ((message.flags & kSharedMessage) != 0) {
      image.unsupported("a shared object header message (type " + std::to_string(message.type) +
                        at_byte(message_at) + ")");
    }
    if (message.type == kContinuation) {
      Cursor data = message.data(image, "the object header continuation message");
      const std::uint64_t address = data.address();
      const std::uint64_t length = data.length();
      continuations.push_back({address, length});
    } else {
      header.messages.push_back(message);
    }
  }
}

// Version 2: "OHDR", version, flags, optional times and attribute storage
// limits, the size of chunk 0, then its messages and a checksum.
Chunk read_v2_prefix(const Image& image, Extents& extents, std::uint64_t at) {
  Cursor prefix(image, at, image.end, "the object header");
  prefix.skip(4);
  const std::uint8_t version = prefix.u8();
  if (version != 2) prefix.damaged("has version " + std::to_string(version) + ", not 2");
  const std::uint8_t flags = prefix.u8();
  if ((flags & 0xC0) != 0) prefix.damaged("has unknown flags " + std::to_string(flags));
  if ((flags & 0x20) != 0) prefix.skip(16);  // access, modification, change, birth times
  if ((flags & 0x10) != 0) prefix.skip(4);   // attribute storage phase change values
  const std::uint64_t size = prefix.number(1 << (flags & 0x03));
  Chunk chunk;
  chunk.version = 2;
  chunk.creation_order = (flags & 0x04) != 0;
  chunk.begin = prefix.position();
  if (size > image.end - chunk.begin || kChecksum > image.end - chunk.begin - size) {
    prefix.damaged("has a first chunk of " + std::to_string(size) +
                   " bytes that runs past the end of the file");
  }
  chunk.end = chunk.begin + size;
  extents.claim(at, chunk.end + kChecksum - at, "an object header");
  return chunk;
}

// Version 1: version, reserved, message count, reference count, the size
// of chunk 0, padding to 16 bytes, then its messages.
Chunk read_v1_prefix(const Image& image, Extents& extents, std::uint64_t at) {
  Cursor prefix(image, at, image.end, "the object header");
  prefix.skip(1 + 1 + 2 + 4);  // version, reserved, message count, reference count
  const std::uint32_t size = prefix.u32();
  prefix.skip(4);
  if (size > image.end - prefix.position()) {
    prefix.damaged("has a first chunk of " + std::to_string(size) +
                   " bytes that runs past the end of the file");
  }
  Chunk chunk;
  chunk.begin = at + kV1Prefix;
  chunk.end = chunk.begin + size;
  extents.claim(at, kV1Prefix + size, "an object header");
  return chunk;
}

Chunk read_continuation(const Image& image, Extents& extents, const Continuation& next, int version,
                        bool creation_order) {
  const std::uint64_t at =
      image.locate(next.address, next.length, "an object header continuation chunk");
  const std::uint64_t minimum = version == 1 ? kV1MessageHeader : 4 + kChecksum;
  if (next.length < minimum) {
    image.damaged("the object header continuation chunk" + at_byte(at) + " has " +
                  std::to_string(next.length) + " bytes, fewer than any chunk needs");
  }
  extents.claim(at, next.length, "an object header continuation chunk");
  Chunk chunk;
  chunk.version = version;
  chunk.creation_order = creation_order;
  chunk.begin = at;
  chunk.end = at + next.length;
  if (version == 2) {
    if (image.bytes.substr(at, 4) != kChunkSignature) {
      image.damaged("the object header continuation chunk" + at_byte(at) +
                    " does not start with OCHK");
    }
    chunk.begin += 4;
    chunk.end -= kChecksum;
  }
  return chunk;
}

}  // namespace

ObjectHeader read_object_header(const Image& image, Extents& extents, std::uint64_t address) {
  // Room for the signature or version; the prefixes check the rest.
  const std::uint64_t at = image.locate(address, 4, "an object header");
  ObjectHeader header;
  header.at = at;
  Chunk chunk;
  if (image.bytes.substr(at, 4) == kHeaderSignature) {
    chunk = read_v2_prefix(image, extents, at);
  } else if (image.bytes[at] == 1) {
    chunk = read_v1_prefix(image, extents, at);
  } else {
    image.damaged("the object header" + at_byte(at) + " has neither version 1 nor OHDR");
  }
  const int version = chunk.version;
  const bool creation_order = chunk.creation_order;
  std::vector<Continuation> continuations;
  read_messages(image, chunk, header, continuations);
  // Each chunk claims its bytes, so a chunk named twice (a loop) is refused.
  for (std::size_t i = 0; i < continuations.size(); ++i) {
    const Chunk next = read_continuation(image, extents, continuations[i], version, creation_order);
    read_messages(image, next, header, continuations);
  }
  return header;
}

}  // namespace keras::saving::h5check
