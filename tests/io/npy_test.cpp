#include "keras/io/npy.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keras::io {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(KERASCPP_FIXTURES_DIR) / "npy";

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A folder for this test process's files, removed when the tests end.
class TempDir : public ::testing::Environment {
 public:
  static const fs::path& path() {
    static const fs::path dir =
        fs::temp_directory_path() / ("kerascpp_npy_test_" + std::to_string(getpid()));
    return dir;
  }
  void SetUp() override { fs::create_directories(path()); }
  void TearDown() override { fs::remove_all(path()); }
};
const auto* const kTempDir = ::testing::AddGlobalTestEnvironment(new TempDir);

fs::path temp_path(const std::string& name) { return TempDir::path() / name; }

fs::path write_file(const std::string& name, const std::string& bytes) {
  const fs::path path = temp_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// A .npy file with the given header dict, built by hand as numpy lays it out.
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict;
  const std::size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back(0);
  for (std::size_t i = 0; i < prefix - 8; ++i) {
    out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  }
  return out + header + data;
}

template <class T>
std::string raw(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// load_npy on the bytes must fail with a message containing every one of `parts`.
void expect_load_error(const std::string& name, const std::string& bytes,
                       const std::vector<std::string>& parts) {
  const fs::path path = write_file(name, bytes);
  try {
    load_npy(path.string());
    ADD_FAILURE() << name << ": load_npy did not throw";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("load_npy(\"" + path.string() + "\")"), std::string::npos)
        << "the message does not name the file: " << message;
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos)
          << name << ": expected \"" << part << "\" in: " << message;
    }
  }
}

DType dtype_of_descr(const std::string& descr) {
  const std::string code = descr.substr(1);
  if (code == "f4") return DType::float32;
  if (code == "f8") return DType::float64;
  if (code == "i4") return DType::int32;
  if (code == "i8") return DType::int64;
  if (code == "u1") return DType::uint8;
  return DType::bool_;
}

// --- Files written by real numpy (reference/make_npy_fixtures.py) ---

TEST(NpyFixtures, EveryCaseLoadsWithNumpysDtypeShapeAndValues) {
  std::ifstream in(kFixtures / "npy_cases.json");
  ASSERT_TRUE(in) << "missing " << (kFixtures / "npy_cases.json");
  const nlohmann::json cases = nlohmann::json::parse(in);
  ASSERT_GE(cases.size(), 8u);
  for (const auto& [name, expected] : cases.items()) {
    SCOPED_TRACE(name);
    const Tensor t = load_npy((kFixtures / (name + ".npy")).string());
    EXPECT_EQ(t.dtype(), dtype_of_descr(expected["dtype"]));
    EXPECT_EQ(t.shape(), Shape(expected["shape"].get<std::vector<std::int64_t>>()));
    const auto& values = expected["values"];
    ASSERT_EQ(static_cast<std::size_t>(t.size()), values.size());
    if (t.dtype() == DType::bool_) {
      EXPECT_EQ(t.to_vector<bool>(), values.get<std::vector<bool>>());
    } else if (is_floating(t.dtype())) {
      // float32 values widen to double exactly, so exact equality is right.
      EXPECT_EQ(t.to_vector<double>(), values.get<std::vector<double>>());
    } else {
      EXPECT_EQ(t.to_vector<std::int64_t>(), values.get<std::vector<std::int64_t>>());
    }
  }
}

TEST(NpyFixtures, SavedFilesAreByteForByteWhatNumpyWrites) {
  const nlohmann::json cases = nlohmann::json::parse(std::ifstream(kFixtures / "npy_cases.json"));
  int compared = 0;
  for (const auto& [name, expected] : cases.items()) {
    const std::string descr = expected["dtype"];
    if (expected["fortran_order"].get<bool>() || descr[0] == '>') continue;
    SCOPED_TRACE(name);
    const std::string original = read_bytes(kFixtures / (name + ".npy"));
    const Tensor t = load_npy((kFixtures / (name + ".npy")).string());
    EXPECT_EQ(encode_npy(t), original);
    const fs::path path = temp_path(name + "_resaved.npy");
    save_npy(path.string(), t);
    EXPECT_EQ(read_bytes(path), original);
    ++compared;
  }
  EXPECT_GE(compared, 6);
}

TEST(NpyFixtures, FortranOrderIsTransposedIntoRowMajor) {
  const Tensor t = load_npy((kFixtures / "f64_fortran_3x4.npy").string());
  ASSERT_EQ(t.shape(), Shape({3, 4}));
  // numpy: np.arange(12).reshape(3, 4) * 0.5 - 1, so row-major element i is i/2 - 1.
  const std::vector<double> v = t.to_vector<double>();
  for (int i = 0; i < 12; ++i) EXPECT_EQ(v[i], i * 0.5 - 1.0) << i;
}

TEST(NpyFixtures, BigEndianIsByteSwapped) {
  const Tensor t = load_npy((kFixtures / "f32_big_endian_2x2.npy").string());
  EXPECT_EQ(t.dtype(), DType::float32);
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{1.0f, -2.0f, 0.5f, 1e10f}));
}

// --- Round trips ---

template <class T>
void expect_round_trip(const Tensor& t, const std::string& name) {
  SCOPED_TRACE(name);
  const fs::path path = temp_path(name + ".npy");
  save_npy(path.string(), t);
  const Tensor back = load_npy(path.string());
  EXPECT_EQ(back.dtype(), t.dtype());
  EXPECT_EQ(back.shape(), t.shape());
  EXPECT_EQ(back.to_vector<T>(), t.to_vector<T>());
  // The data starts on a 64-byte boundary, as numpy aligns it.
  EXPECT_EQ((fs::file_size(path) - t.nbytes()) % 64, 0u);
  const Tensor decoded = decode_npy(encode_npy(t));
  EXPECT_EQ(decoded.to_vector<T>(), t.to_vector<T>());
}

TEST(NpyRoundTrip, EveryDtype) {
  expect_round_trip<float>(Tensor({2, 3}, {1.5f, -0.0f, 3e38f, -1e-40f, 0.1f, 7.f}), "f32");
  expect_round_trip<double>(Tensor({3}, std::vector<double>{1e300, -2.5, 1e-310}), "f64");
  expect_round_trip<std::int32_t>(
      Tensor({2, 2}, std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min(), -1, 0,
                                               std::numeric_limits<std::int32_t>::max()}),
      "i32");
  expect_round_trip<std::int64_t>(
      Tensor({1, 1, 2}, std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(),
                                                  std::numeric_limits<std::int64_t>::max()}),
      "i64");
  expect_round_trip<std::uint8_t>(Tensor({4}, std::vector<std::uint8_t>{0, 1, 127, 255}), "u8");
  expect_round_trip<bool>(Tensor({2, 2}, std::vector<bool>{true, false, false, true}), "bool");
}

TEST(NpyRoundTrip, ScalarEmptyAndHighRank) {
  expect_round_trip<float>(Tensor::scalar(-4.5), "scalar");
  expect_round_trip<float>(Tensor::zeros({0, 3}), "empty_0x3");
  expect_round_trip<std::int64_t>(Tensor::zeros({5, 0}, DType::int64), "empty_5x0");
  Tensor high = Tensor::empty({1, 2, 1, 2, 1, 2, 1, 2}, DType::int32);
  for (int i = 0; i < 16; ++i) high.data<std::int32_t>()[i] = i * 7 - 3;
  expect_round_trip<std::int32_t>(high, "rank8");
}

TEST(NpyRoundTrip, HeaderMatchesNumpysLayout) {
  const std::string bytes = encode_npy(Tensor({5}, {1, 2, 3, 4, 5}));
  const std::string header = bytes.substr(10, bytes.size() - 10 - 20);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", 0), 0u);
  EXPECT_EQ(header.back(), '\n');
  const std::string scalar = encode_npy(Tensor::scalar(1));
  EXPECT_EQ(scalar.substr(10, 55), "{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
  EXPECT_EQ(scalar.size(), 128u + 4u);  // as np.save(f, np.float32(1)) writes
}

TEST(NpyRoundTrip, ViewsSaveOnlyTheirRows) {
  const Tensor t({3, 2}, {1, 2, 3, 4, 5, 6});
  const Tensor back = decode_npy(encode_npy(t.slice_rows(1, 3)));
  EXPECT_EQ(back.shape(), Shape({2, 2}));
  EXPECT_EQ(back.to_vector<float>(), (std::vector<float>{3, 4, 5, 6}));
}

// --- Other valid layouts ---

const std::string kF32Dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
const std::string kTwoFloats = raw<float>({1.0f, 2.0f});

TEST(NpyVariants, Versions2And3HaveA4ByteHeaderLength) {
  const std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
  for (int major : {2, 3}) {
    const Tensor t = decode_npy(npy_bytes(dict, raw<std::int32_t>({7, -8, 9}), major));
    EXPECT_EQ(t.to_vector<std::int32_t>(), (std::vector<std::int32_t>{7, -8, 9})) << major;
  }
}

TEST(NpyVariants, BigEndianIntegersAndDoubles) {
  std::string be64 = raw<std::int64_t>({1, -2});
  for (std::size_t i = 0; i < be64.size(); i += 8) std::reverse(&be64[i], &be64[i + 8]);
  const Tensor i64 =
      decode_npy(npy_bytes("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", be64));
  EXPECT_EQ(i64.to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, -2}));

  std::string be32 = raw<std::int32_t>({0x01020304});
  std::reverse(be32.begin(), be32.end());
  const Tensor i32 =
      decode_npy(npy_bytes("{'descr': '>i4', 'fortran_order': False, 'shape': (), }", be32));
  EXPECT_EQ(i32.item<std::int32_t>(), 0x01020304);

  const Tensor u8 = decode_npy(
      npy_bytes("{'descr': '<u1', 'fortran_order': False, 'shape': (2,), }", "\x05\xff"));
  EXPECT_EQ(u8.to_vector<std::int64_t>(), (std::vector<std::int64_t>{5, 255}));
}

TEST(NpyVariants, FortranOrderRank3) {
  // Column-major data of shape (2, 3, 4): element (i, j, k) at i + 2*j + 6*k.
  std::vector<std::int32_t> column_major(24);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) column_major[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
  const Tensor t = decode_npy(npy_bytes(
      "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", raw(column_major)));
  const std::vector<std::int32_t> v = t.to_vector<std::int32_t>();
  for (int n = 0; n < 24; ++n) EXPECT_EQ(v[n], 100 * (n / 12) + 10 * (n / 4 % 3) + n % 4) << n;
}

TEST(NpyVariants, LenientSpellingsPythonAccepts) {
  // Double quotes, other key order, no trailing comma, Python 2 long integers.
  const Tensor t = decode_npy(npy_bytes(
      "{\"shape\":(2L,1L),\"fortran_order\":False,\"descr\":\"<f8\"}", raw<double>({1.0, 2.0})));
  EXPECT_EQ(t.shape(), Shape({2, 1}));
  EXPECT_EQ(t.to_vector<double>(), (std::vector<double>{1.0, 2.0}));
}

TEST(NpyVariants, NoByteOrderMeansMachineOrderAsInNumpy) {
  const Tensor t = decode_npy(
      npy_bytes("{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }", kTwoFloats));
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{1.0f, 2.0f}));
}

TEST(NpyVariants, NonZeroBoolBytesReadAsTrue) {
  const Tensor t = decode_npy(npy_bytes("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                                        std::string("\x00\x02\xff", 3)));
  EXPECT_EQ(t.to_vector<bool>(), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(t.to_vector<std::int32_t>(), (std::vector<std::int32_t>{0, 1, 1}));
}

// --- Malformed files: each gives an error naming the file and what is wrong ---

std::string with_shape(const std::string& shape) {
  return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
}

TEST(NpyErrors, MissingFile) {
  try {
    load_npy("/nonexistent/dir/x.npy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("load_npy(\"/nonexistent/dir/x.npy\"): cannot open"),
              std::string::npos)
        << e.what();
  }
}

TEST(NpyErrors, TruncatedFiles) {
  const std::string good = npy_bytes(kF32Dict, kTwoFloats);
  expect_load_error("empty.npy", "", {"0 bytes is too short"});
  expect_load_error("magic_only.npy", good.substr(0, 8), {"too short"});
  expect_load_error("in_header.npy", good.substr(0, 40), {"header length 118", "past the end"});
  expect_load_error("in_data.npy", good.substr(0, good.size() - 1),
                    {"'shape' (2,)", "needs 8 bytes", "holds 7", "truncated"});
  expect_load_error("no_data.npy", npy_bytes(kF32Dict, ""), {"needs 8 bytes", "holds 0"});
}

TEST(NpyErrors, HeaderLiesAboutTheSize) {
  expect_load_error("trailing.npy", npy_bytes(kF32Dict, kTwoFloats + "junk"),
                    {"'shape' (2,)", "holds 12", "trailing bytes"});
  expect_load_error("big_shape.npy", npy_bytes(with_shape("(1000, 1000)"), kTwoFloats),
                    {"'shape' (1000, 1000)", "needs 4000000 bytes", "holds 8"});
}

TEST(NpyErrors, BadMagicAndVersion) {
  std::string bytes = npy_bytes(kF32Dict, kTwoFloats);
  bytes[1] = 'X';
  expect_load_error("magic.npy", bytes, {"not a .npy file", "magic", "\\x93XUMPY"});
  expect_load_error("text.npy", std::string(100, 'a'), {"not a .npy file"});
  bytes = npy_bytes(kF32Dict, kTwoFloats);
  bytes[6] = 4;
  expect_load_error("version.npy", bytes, {"format version 4.0 is not supported"});
  bytes[6] = 1;
  bytes[7] = 1;
  expect_load_error("minor.npy", bytes, {"format version 1.1"});
}

TEST(NpyErrors, AbsurdShapes) {
  expect_load_error("overflow.npy", npy_bytes(with_shape("(4294967296, 4294967296)"), kTwoFloats),
                    {"header field 'shape'", "overflows"});
  // Overflow is refused even when another dimension is 0.
  expect_load_error("overflow0.npy", npy_bytes(with_shape("(0, 4294967296, 4294967296)"), ""),
                    {"header field 'shape'", "overflows"});
  expect_load_error("bytes_overflow.npy",
                    npy_bytes(with_shape("(4611686018427387904,)"), kTwoFloats),
                    {"header field 'shape'", "overflows"});
  expect_load_error("huge_int.npy", npy_bytes(with_shape("(99999999999999999999,)"), ""),
                    {"header field 'shape'", "99999999999999999999"});
  expect_load_error("negative.npy", npy_bytes(with_shape("(-1, 2)"), ""),
                    {"header field 'shape'", "-1"});
  expect_load_error("rank9.npy", npy_bytes(with_shape("(1, 1, 1, 1, 1, 1, 1, 1, 1)"), ""),
                    {"header field 'shape'", "9 dimensions"});
  expect_load_error("not_tuple.npy", npy_bytes(with_shape("(2)"), kTwoFloats),
                    {"header field 'shape'", "tuple", "an integer"});
  expect_load_error("list.npy", npy_bytes(with_shape("[2]"), kTwoFloats),
                    {"header field 'shape'", "a list"});
  expect_load_error("str_dim.npy", npy_bytes(with_shape("('2',)"), kTwoFloats),
                    {"header field 'shape'", "a string"});
}

TEST(NpyErrors, BadDescrAndFortranOrder) {
  expect_load_error("f2.npy",
                    npy_bytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", "abcd"),
                    {"header field 'descr'", "'<f2'", "not supported"});
  expect_load_error(
      "structured.npy",
      npy_bytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", kTwoFloats),
      {"header field 'descr'", "structured"});
  expect_load_error("object.npy",
                    npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", ""),
                    {"header field 'descr'", "'|O'"});
  expect_load_error("fortran.npy",
                    npy_bytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", kTwoFloats),
                    {"header field 'fortran_order'", "True or False"});
}

TEST(NpyErrors, BadHeaderDicts) {
  expect_load_error("missing.npy", npy_bytes("{'descr': '<f4', 'shape': (2,), }", kTwoFloats),
                    {"header field 'fortran_order' is missing"});
  expect_load_error(
      "extra.npy",
      npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", kTwoFloats),
      {"header field 'x' is unknown"});
  expect_load_error(
      "twice.npy",
      npy_bytes("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
                kTwoFloats),
      {"header field 'descr' appears twice"});
  expect_load_error("not_dict.npy", npy_bytes("[1, 2]", kTwoFloats), {"must be a dict"});
  expect_load_error("syntax.npy",
                    npy_bytes("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", kTwoFloats),
                    {"not a valid Python dict literal", "expected ',' or '}'", "offset 16"});
  expect_load_error("unterminated.npy", npy_bytes("{'descr: '<f4'}", kTwoFloats),
                    {"not a valid Python dict literal"});
  expect_load_error("name.npy", npy_bytes(with_shape("(2,)") + " os.system", kTwoFloats),
                    {"not a valid Python dict literal", "after the literal"});
  expect_load_error("call.npy",
                    npy_bytes("{'descr': eval('1'), 'fortran_order': False, 'shape': (2,)}", ""),
                    {"not a valid Python dict literal", "unknown name 'eval'"});
  expect_load_error("deep.npy", npy_bytes(std::string(5000, '(') + std::string(5000, ')'), ""),
                    {"nested deeper"});
  expect_load_error("binary.npy", npy_bytes(std::string("{\x01}", 3), ""), {"byte 0x01", "\\x01"});
}

TEST(NpyErrors, SaveToAnUnwritablePath) {
  try {
    save_npy("/nonexistent/dir/out.npy", Tensor({1}, {1}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("save_npy(\"/nonexistent/dir/out.npy\")"),
              std::string::npos);
  }
  EXPECT_THROW(save_npy(temp_path("undefined.npy").string(), Tensor()), Error);
}

TEST(NpyErrors, DecodeNamesItsSource) {
  try {
    decode_npy("garbage", "archive.zip:x.npy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("decode_npy(\"archive.zip:x.npy\")"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace keras::io
