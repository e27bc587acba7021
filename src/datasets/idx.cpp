#include "keras/datasets/idx.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <vector>

namespace keras::datasets {

namespace {

// The largest file we agree to inflate: Fashion-MNIST's largest is 47 MB.
constexpr std::size_t kMaxInflatedBytes = std::size_t{1} << 31;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("load_idx(\"" + path + "\"): cannot open the file.");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(const std::string& compressed, const std::string& path) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip wrapper.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    throw Error("load_idx(\"" + path + "\"): zlib could not start.");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw Error("load_idx(\"" + path + "\"): the gzip data is corrupt or truncated (" +
                  (stream.msg ? stream.msg : "zlib error " + std::to_string(status)) + ").");
    }
    out.append(buffer, sizeof(buffer) - stream.avail_out);
    if (out.size() > kMaxInflatedBytes) {
      inflateEnd(&stream);
      throw Error("load_idx(\"" + path + "\"): inflates to more than 2 GiB; refusing.");
    }
    if (status != Z_STREAM_END && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      throw Error("load_idx(\"" + path + "\"): the gzip data is truncated.");
    }
  }
  inflateEnd(&stream);
  return out;
}

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

}  // namespace

Tensor parse_idx(const std::string& bytes, const std::string& source) {
  const std::string where = "load_idx(\"" + source + "\"): ";
  if (bytes.size() < 4) throw Error(where + "the file is too short for an IDX header.");
  if (bytes[0] != 0 || bytes[1] != 0) {
    throw Error(where + "not an IDX file (the magic number must start with two zero bytes).");
  }
  const unsigned char type = static_cast<unsigned char>(bytes[2]);
  const int rank = static_cast<unsigned char>(bytes[3]);
  std::size_t element_size = 0;
  DType dtype = DType::uint8;
  if (type == 0x08) {
    element_size = 1;
  } else if (type == 0x0C) {
    element_size = 4;
    dtype = DType::int32;
  } else {
    throw Error(where + "element type 0x" + std::to_string(type) +
                " is not supported (only unsigned bytes 0x08 and int32 0x0C).");
  }
  if (rank == 0 || rank > Shape::kMaxRank) {
    throw Error(where + "rank " + std::to_string(rank) + " is not supported (1 to " +
                std::to_string(Shape::kMaxRank) + ").");
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (bytes.size() < header) throw Error(where + "the header is truncated.");
  std::vector<std::int64_t> dims;
  std::uint64_t count = 1;
  // The product of the non-zero dimensions must fit too, even when another
  // dimension is 0 (an empty array), so that code computing partial products
  // of the shape (Shape::num_elements) never overflows.
  std::int64_t nonzero_product = 1;
  for (int i = 0; i < rank; ++i) {
    const std::uint32_t d = big_endian_u32(bytes, 4 + 4 * i);
    dims.push_back(d);
    if (d != 0 && __builtin_mul_overflow(nonzero_product, std::int64_t{d}, &nonzero_product)) {
      throw Error(where + "the dimensions overflow.");
    }
    count *= d;
  }
  // count * element_size may overflow too (2^31 x 2^31 int32s would wrap to 0
  // bytes and match an empty payload).
  if (count > std::numeric_limits<std::uint64_t>::max() / element_size) {
    throw Error(where + "the dimensions overflow.");
  }
  const std::uint64_t data_bytes = count * element_size;
  if (bytes.size() - header != data_bytes) {
    throw Error(where + "the header announces " + std::to_string(data_bytes) +
                " bytes of data, the file holds " + std::to_string(bytes.size() - header) + ".");
  }
  Tensor t = Tensor::empty(Shape(dims), dtype);
  if (dtype == DType::uint8) {
    std::memcpy(t.raw_data(), bytes.data() + header, data_bytes);
  } else {
    std::int32_t* out = t.data<std::int32_t>();
    for (std::uint64_t i = 0; i < count; ++i) {
      out[i] = static_cast<std::int32_t>(big_endian_u32(bytes, header + 4 * i));
    }
  }
  return t;
}

Tensor load_idx(const std::string& path) {
  std::string bytes = read_file(path);
  if (is_gzip(bytes)) bytes = gunzip(bytes, path);
  return parse_idx(bytes, path);
}

}  // namespace keras::datasets
