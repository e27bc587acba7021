#include "keras/datasets/idx.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "keras/datasets/fashion_mnist.hpp"

namespace {

std::string header(unsigned char type, std::vector<std::uint32_t> dims) {
  std::string h = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (auto d : dims) {
    for (int s = 24; s >= 0; s -= 8) h += static_cast<char>((d >> s) & 0xFF);
  }
  return h;
}

TEST(Idx, ParsesBytesAndInts) {
  keras::Tensor t = keras::datasets::parse_idx(header(0x08, {2, 3}) + "abcdef", "mem");
  EXPECT_EQ(t.shape(), (keras::Shape{2, 3}));
  EXPECT_EQ(t.dtype(), keras::DType::uint8);
  EXPECT_EQ(t.data<std::uint8_t>()[5], 'f');
  std::string ints = header(0x0C, {1});
  ints += std::string{0, 0, 1, 2};
  keras::Tensor i = keras::datasets::parse_idx(ints, "mem");
  EXPECT_EQ(i.item<std::int32_t>(), 258);
}

TEST(Idx, RejectsMalformedInput) {
  auto expect_error = [](const std::string& bytes, const std::string& fragment) {
    try {
      keras::datasets::parse_idx(bytes, "bad.idx");
      FAIL() << "no error for " << fragment;
    } catch (const keras::Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bad.idx"), std::string::npos) << e.what();
    }
  };
  expect_error("ab", "too short");
  expect_error(std::string("\x01\x00\x08\x01", 4), "not an IDX file");
  expect_error(header(0x0D, {1}) + "abcd", "element type");
  expect_error(header(0x08, {2, 3}) + "abc", "announces 6 bytes");
  // Absurd dimensions must fail on the size check, not by allocating.
  expect_error(header(0x08, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}) + "x", "");
  expect_error(std::string("\x00\x00\x08\x03\x00", 5), "truncated");
}

TEST(FashionMnist, MissingFilesNameThePackage) {
  try {
    keras::datasets::fashion_mnist::load_data("/nonexistent-folder");
    FAIL();
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("dataset-fashion-mnist"), std::string::npos);
  }
}

TEST(FashionMnist, LoadsAsKerasDoes) {
  if (!std::filesystem::exists(keras::datasets::fashion_mnist::kDefaultDirectory)) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  }
  auto [train, test] = keras::datasets::fashion_mnist::load_data();
  EXPECT_EQ(train.first.shape(), (keras::Shape{60000, 28, 28}));
  EXPECT_EQ(train.second.shape(), (keras::Shape{60000}));
  EXPECT_EQ(test.first.shape(), (keras::Shape{10000, 28, 28}));
  EXPECT_EQ(test.second.dtype(), keras::DType::uint8);
  // Keras' y_train starts 9, 0, 0, 3 and every class has 6000 samples.
  const std::uint8_t* y = train.second.data<std::uint8_t>();
  EXPECT_EQ(y[0], 9);
  EXPECT_EQ(y[1], 0);
  EXPECT_EQ(y[3], 3);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 60000; ++i) counts.at(y[i]) += 1;
  for (int c : counts) EXPECT_EQ(c, 6000);
}

}  // namespace
