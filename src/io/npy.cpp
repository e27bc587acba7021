#include "keras/io/npy.hpp"

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "io/python_literal.hpp"

// The format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// "\x93NUMPY", major and minor version bytes, the header length (2 bytes little-endian
// in 1.0, 4 bytes in 2.0 and 3.0), the header (a Python dict literal padded with
// spaces and ended by '\n'), then the raw array data.

namespace keras::io {

namespace {

using detail::PyValue;

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// Headers of plain arrays are about 100 bytes; numpy itself refuses more than
// 10000 by default. A generous cap keeps hostile files from costing memory.
constexpr std::size_t kMaxHeaderSize = 1 << 20;
// numpy pads the preamble so the data starts on a 64-byte boundary.
constexpr std::size_t kAlignment = 64;
constexpr bool kHostLittleEndian = std::endian::native == std::endian::little;

// Where the bytes come from: a file on disk or a buffer in memory.
class Source {
 public:
  virtual ~Source() = default;
  virtual std::uint64_t size() const = 0;
  // Reads exactly n bytes at offset into dst (the caller checked the range).
  virtual void read(std::uint64_t offset, std::size_t n, void* dst) = 0;
};

class MemorySource : public Source {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  void read(std::uint64_t offset, std::size_t n, void* dst) override {
    if (n > 0) std::memcpy(dst, bytes_.data() + offset, n);
  }

 private:
  std::string_view bytes_;
};

class FileSource : public Source {
 public:
  FileSource(std::ifstream& in, std::uint64_t size, const std::string& context)
      : in_(in), size_(size), context_(context) {}
  std::uint64_t size() const override { return size_; }
  void read(std::uint64_t offset, std::size_t n, void* dst) override {
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
    if (!in_ || static_cast<std::size_t>(in_.gcount()) != n) {
      throw Error(context_ + ": reading " + std::to_string(n) + " bytes at offset " +
                  std::to_string(offset) + " failed (the file changed while being read?)");
    }
  }

 private:
  std::ifstream& in_;
  std::uint64_t size_;
  const std::string& context_;
};

// What the header says about the array.
struct Header {
  DType dtype = DType::float32;
  bool byte_swap = false;
  bool fortran_order = false;
  Shape shape;
  std::uint64_t data_offset = 0;
  std::uint64_t data_bytes = 0;
};

// The header text for an error message: printable, and not too long.
std::string quote_header(std::string_view text) {
  constexpr std::size_t kMaxShown = 120;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out + "\"";
}

std::uint64_t read_little_endian(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// descr: '<f4', '>i8', '|u1', '|b1', ... ('=' is the machine's order).
void parse_descr(const std::string& context, const PyValue& value, Header& header) {
  const std::string field = context + ": header field 'descr' ";
  if (value.kind == PyValue::Kind::list) {
    throw Error(field +
                "is a list, i.e. a structured dtype; only plain float32, float64, "
                "int32, int64, uint8 and bool arrays are supported");
  }
  if (value.kind != PyValue::Kind::string) {
    throw Error(field + "must be a string such as '<f4', got " +
                std::string(detail::describe(value.kind)));
  }
  const std::string& d = value.text;
  struct Known {
    std::string_view code;
    DType dtype;
  };
  static constexpr Known kKnown[] = {{"f4", DType::float32}, {"f8", DType::float64},
                                     {"i4", DType::int32},   {"i8", DType::int64},
                                     {"u1", DType::uint8},   {"b1", DType::bool_}};
  if (d.size() == 3 && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    for (const Known& k : kKnown) {
      if (std::string_view(d).substr(1) != k.code) continue;
      header.dtype = k.dtype;
      // numpy reads '|' ("not applicable", meant for bytes) like '=': machine order.
      const bool native = d[0] == '=' || d[0] == '|';
      const bool file_little = d[0] == '<' || (native && kHostLittleEndian);
      header.byte_swap = dtype_size(k.dtype) > 1 && file_little != kHostLittleEndian;
      return;
    }
  }
  throw Error(field + "is '" + d +
              "', which is not supported; supported are '<f4', '<f8', "
              "'<i4', '<i8', '|u1', '|b1' (and the big-endian '>f4', '>f8', '>i4', '>i8')");
}

void parse_shape(const std::string& context, const PyValue& value, Header& header) {
  const std::string field = context + ": header field 'shape' ";
  if (value.kind != PyValue::Kind::tuple) {
    throw Error(field + "must be a tuple of integers such as (2, 3), got " +
                std::string(detail::describe(value.kind)));
  }
  if (value.items.size() > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error(field + "has " + std::to_string(value.items.size()) + " dimensions; at most " +
                std::to_string(Shape::kMaxRank) + " are supported");
  }
  std::vector<std::int64_t> dims;
  // The product of the non-zero dimensions must fit even when another dimension is 0,
  // so that code computing partial products never overflows.
  std::int64_t nonzero_product = 1;
  for (const PyValue& dim : value.items) {
    if (dim.kind != PyValue::Kind::integer) {
      throw Error(field + "must hold only integers, got " +
                  std::string(detail::describe(dim.kind)));
    }
    if (dim.integer_overflows || dim.integer < 0) {
      throw Error(field + "has the dimension " + dim.text +
                  "; dimensions must be between 0 and 2^63-1");
    }
    if (dim.integer > 0 && __builtin_mul_overflow(nonzero_product, dim.integer, &nonzero_product)) {
      throw Error(field + "is absurd: the number of elements overflows 64 bits");
    }
    dims.push_back(dim.integer);
  }
  header.shape = Shape(dims);
}

// Parses and checks the header dict, which must have exactly numpy's three keys.
void parse_header_dict(const std::string& context, std::string_view text, Header& header) {
  PyValue dict;
  try {
    dict = detail::parse_python_literal(text);
  } catch (const Error& e) {
    throw Error(context + ": the header is not a valid Python dict literal (" + e.what() +
                "): " + quote_header(text));
  }
  if (dict.kind != PyValue::Kind::dict) {
    throw Error(context + ": the header must be a dict, got " +
                std::string(detail::describe(dict.kind)) + ": " + quote_header(text));
  }
  const PyValue* descr = nullptr;
  const PyValue* fortran = nullptr;
  const PyValue* shape = nullptr;
  for (std::size_t i = 0; i < dict.keys.size(); ++i) {
    const std::string& key = dict.keys[i];
    const PyValue** slot = key == "descr"           ? &descr
                           : key == "fortran_order" ? &fortran
                           : key == "shape"         ? &shape
                                                    : nullptr;
    if (slot == nullptr) {
      throw Error(context + ": header field '" + key +
                  "' is unknown; a .npy header has exactly 'descr', 'fortran_order' and "
                  "'shape'");
    }
    if (*slot != nullptr) throw Error(context + ": header field '" + key + "' appears twice");
    *slot = &dict.items[i];
  }
  for (auto [value, name] : {std::pair{descr, "descr"}, std::pair{fortran, "fortran_order"},
                             std::pair{shape, "shape"}}) {
    if (value == nullptr) {
      throw Error(context + ": header field '" + name + "' is missing: " + quote_header(text));
    }
  }
  parse_descr(context, *descr, header);
  if (fortran->kind != PyValue::Kind::boolean) {
    throw Error(context + ": header field 'fortran_order' must be True or False, got " +
                std::string(detail::describe(fortran->kind)));
  }
  header.fortran_order = fortran->boolean;
  parse_shape(context, *shape, header);
}

Header read_header(const std::string& context, Source& source) {
  const std::uint64_t file_size = source.size();
  if (file_size < 10) {
    throw Error(context + ": " + std::to_string(file_size) +
                " bytes is too short for a .npy file (truncated, or not a .npy file)");
  }
  unsigned char preamble[12] = {};
  source.read(0, 10, preamble);
  if (std::memcmp(preamble, kMagic, kMagicSize) != 0) {
    throw Error(context + ": not a .npy file: the magic string is " +
                quote_header(std::string_view(reinterpret_cast<char*>(preamble), kMagicSize)) +
                ", expected \"\\x93NUMPY\"");
  }
  const int major = preamble[6];
  const int minor = preamble[7];
  if (major < 1 || major > 3 || minor != 0) {
    throw Error(context + ": format version " + std::to_string(major) + "." +
                std::to_string(minor) + " is not supported (1.0, 2.0 and 3.0 are)");
  }
  std::uint64_t prefix = 10;
  std::uint64_t header_len = read_little_endian(preamble + 8, 2);
  if (major >= 2) {
    if (file_size < 12) throw Error(context + ": the file ends inside the header length");
    source.read(10, 2, preamble + 10);
    prefix = 12;
    header_len = read_little_endian(preamble + 8, 4);
  }
  if (header_len > file_size - prefix) {
    throw Error(context + ": the header length " + std::to_string(header_len) +
                " runs past the end of the file (" + std::to_string(file_size) +
                " bytes); the file is truncated or corrupt");
  }
  if (header_len > kMaxHeaderSize) {
    throw Error(context + ": the header length " + std::to_string(header_len) +
                " is larger than the " + std::to_string(kMaxHeaderSize) + " bytes allowed");
  }
  std::string text(static_cast<std::size_t>(header_len), '\0');
  source.read(prefix, text.size(), text.data());

  Header header;
  parse_header_dict(context, text, header);
  header.data_offset = prefix + header_len;
  // parse_shape checked that the element count fits; the byte count may not.
  const std::uint64_t count = static_cast<std::uint64_t>(header.shape.num_elements());
  const std::uint64_t item = dtype_size(header.dtype);
  if (count > UINT64_MAX / item) {
    throw Error(context + ": header field 'shape' " + header.shape.to_string() +
                " is absurd: its size in bytes overflows 64 bits");
  }
  header.data_bytes = count * item;
  const std::uint64_t available = file_size - header.data_offset;
  if (header.data_bytes != available) {
    throw Error(context + ": header field 'shape' " + header.shape.to_string() + " of " +
                std::string(dtype_name(header.dtype)) + " needs " +
                std::to_string(header.data_bytes) + " bytes of data, but the file holds " +
                std::to_string(available) +
                (header.data_bytes > available ? " (the file is truncated)"
                                               : " (trailing bytes after the array)"));
  }
  return header;
}

template <class T>
void swap_bytes(T* data, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    auto* b = reinterpret_cast<unsigned char*>(data + i);
    for (std::size_t j = 0; j < sizeof(T) / 2; ++j) std::swap(b[j], b[sizeof(T) - 1 - j]);
  }
}

// Column-major (Fortran) data of `shape` into row-major order.
template <class T>
void fortran_to_c(const T* src, T* dst, const Shape& shape) {
  const int rank = shape.rank();
  std::int64_t strides[Shape::kMaxRank];  // Fortran strides, in elements
  std::int64_t stride = 1;
  for (int k = 0; k < rank; ++k) {
    strides[k] = stride;
    stride *= shape[k];
  }
  std::int64_t index[Shape::kMaxRank] = {};
  std::int64_t offset = 0;
  const std::int64_t n = shape.num_elements();
  for (std::int64_t i = 0; i < n; ++i) {
    dst[i] = src[offset];
    // Advance the row-major multi-index (last axis fastest), tracking the Fortran offset.
    for (int k = rank - 1; k >= 0; --k) {
      offset += strides[k];
      if (++index[k] < shape[k]) break;
      offset -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
}

// Fixes byte order and memory order of freshly read data in place.
template <class T>
void finish_data(Tensor& tensor, const Header& header) {
  T* data = static_cast<T*>(tensor.raw_data());
  const auto count = static_cast<std::size_t>(tensor.size());
  if (header.byte_swap) swap_bytes(data, count);
  if (header.fortran_order && header.shape.rank() > 1 && count > 0) {
    std::vector<T> column_major(data, data + count);
    fortran_to_c(column_major.data(), data, header.shape);
  }
}

Tensor read_npy(const std::string& context, Source& source) {
  const Header header = read_header(context, source);
  Tensor tensor = Tensor::empty(header.shape, header.dtype);
  if (header.dtype == DType::bool_) {
    // Read bools as bytes: any byte other than 0 is True (as numpy reads it), and
    // a bool object never holds a value other than 0 or 1.
    std::vector<unsigned char> bytes(static_cast<std::size_t>(header.data_bytes));
    source.read(header.data_offset, bytes.size(), bytes.data());
    bool* out = static_cast<bool*>(tensor.raw_data());
    for (std::size_t i = 0; i < bytes.size(); ++i) out[i] = bytes[i] != 0;
  } else {
    source.read(header.data_offset, static_cast<std::size_t>(header.data_bytes), tensor.raw_data());
  }
  switch (dtype_size(header.dtype)) {
    case 1: finish_data<std::uint8_t>(tensor, header); break;
    case 4: finish_data<std::uint32_t>(tensor, header); break;
    case 8: finish_data<std::uint64_t>(tensor, header); break;
    default: break;
  }
  return tensor;
}

std::string descr_of(DType dtype) {
  const char order = kHostLittleEndian ? '<' : '>';
  switch (dtype) {
    case DType::float32: return std::string(1, order) + "f4";
    case DType::float64: return std::string(1, order) + "f8";
    case DType::int32: return std::string(1, order) + "i4";
    case DType::int64: return std::string(1, order) + "i8";
    case DType::uint8: return "|u1";
    case DType::bool_: return "|b1";
  }
  throw Error("save_npy: unknown dtype");
}

// The preamble and header numpy.save writes for this tensor, byte for byte: the
// dict, spaces so the first dimension can grow in place (numpy leaves room for
// 21 digits), then spaces and '\n' up to the next multiple of kAlignment.
std::string make_preamble(const Tensor& tensor) {
  const Shape& dims = tensor.shape();
  std::string shape = "(";
  for (int i = 0; i < dims.rank(); ++i) {
    shape += std::to_string(dims[i]);
    shape += dims.rank() == 1 ? "," : (i + 1 < dims.rank() ? ", " : "");
  }
  shape += ")";
  std::string header = "{'descr': '" + descr_of(tensor.dtype()) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  constexpr std::size_t kGrowthDigits = 21;
  if (dims.rank() > 0) header.append(kGrowthDigits - std::to_string(dims[0]).size(), ' ');
  // Version 1.0 stores the header length in 2 bytes; 2.0 (for huge headers) in 4.
  auto padded_length = [&](std::size_t prefix) {
    const std::size_t with_newline = header.size() + 1;
    return with_newline + kAlignment - (prefix + with_newline) % kAlignment;
  };
  const bool v1 = padded_length(10) <= 65535;
  const std::size_t prefix = v1 ? 10 : 12;
  const std::size_t length = padded_length(prefix);
  header.append(length - header.size() - 1, ' ');
  header.push_back('\n');
  std::string out(kMagic, kMagicSize);
  out.push_back(static_cast<char>(v1 ? 1 : 2));
  out.push_back(0);
  for (std::size_t i = 0; i < prefix - 8; ++i) {
    out.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  }
  return out + header;
}

void check_defined(const char* function, const Tensor& tensor) {
  if (!tensor.defined()) throw Error(std::string(function) + ": the tensor is undefined");
}

}  // namespace

Tensor decode_npy(std::string_view bytes, const std::string& source) {
  MemorySource memory(bytes);
  return read_npy("decode_npy(\"" + source + "\")", memory);
}

Tensor load_npy(const std::string& path) {
  const std::string context = "load_npy(\"" + path + "\")";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(context + ": cannot open the file: " + std::strerror(errno));
  }
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_regular_file(status)) {
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(context + ": cannot get the file size: " + ec.message());
    FileSource file(in, size, context);
    return read_npy(context, file);
  }
  // A pipe or device has no size: read it whole, then decode from memory.
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  MemorySource memory(bytes);
  return read_npy(context, memory);
}

std::string encode_npy(const Tensor& tensor) {
  check_defined("encode_npy", tensor);
  std::string out = make_preamble(tensor);
  const auto* data = static_cast<const char*>(tensor.raw_data());
  out.append(data, tensor.nbytes());
  return out;
}

void save_npy(const std::string& path, const Tensor& tensor) {
  check_defined("save_npy", tensor);
  const std::string context = "save_npy(\"" + path + "\")";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(context + ": cannot open the file for writing: " + std::strerror(errno));
  const std::string preamble = make_preamble(tensor);
  out.write(preamble.data(), static_cast<std::streamsize>(preamble.size()));
  out.write(static_cast<const char*>(tensor.raw_data()),
            static_cast<std::streamsize>(tensor.nbytes()));
  out.close();
  if (!out) throw Error(context + ": writing failed: " + std::strerror(errno));
}

}  // namespace keras::io
