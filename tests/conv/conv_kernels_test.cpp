// The fast convolution and pooling kernels (im2col + GEMM, direct depthwise
// loops, vectorised pooling; several threads, several patch blocks per
// thread) against the plain reference loops, on shapes that reach every
// path: padding on each side, strides, dilation, groups, depthwise
// multipliers, 1x1 kernels, a single image and batches large enough to split.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/conv.hpp"
#include "backend/cpu/pool.hpp"

namespace keras::backend::cpu {
namespace {

template <class T>
std::vector<T> random_values(std::int64_t n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<T> v(static_cast<std::size_t>(n));
  for (T& x : v) x = static_cast<T>(u(g));
  return v;
}

template <class T>
void expect_near_all(const std::vector<T>& got, const std::vector<T>& want, double tol,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  int bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double err = std::abs(static_cast<double>(got[i]) - static_cast<double>(want[i]));
    if (err > tol * (1.0 + std::abs(static_cast<double>(want[i]))) && bad++ < 5) {
      ADD_FAILURE() << what << " element " << i << ": fast " << got[i] << ", reference " << want[i];
    }
  }
}

// Output size of one axis for "same"-like padding: as many windows as fit.
std::int64_t out_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d,
                      std::int64_t pad_before, std::int64_t pad_after) {
  return (in + pad_before + pad_after - ((k - 1) * d + 1)) / s + 1;
}

struct ConvCase {
  std::string label;
  std::int64_t batch, in_h, in_w, in_c, out_c, kh, kw, sh, sw, dh, dw, groups;
  std::int64_t pt, pb, pl, pr;  // padding before/after on each axis
};

ConvShape make_shape(const ConvCase& c) {
  ConvShape s;
  s.batch = c.batch;
  s.in_h = c.in_h;
  s.in_w = c.in_w;
  s.in_c = c.in_c;
  s.out_c = c.out_c;
  s.kernel_h = c.kh;
  s.kernel_w = c.kw;
  s.stride_h = c.sh;
  s.stride_w = c.sw;
  s.dilation_h = c.dh;
  s.dilation_w = c.dw;
  s.pad_top = c.pt;
  s.pad_left = c.pl;
  s.groups = c.groups;
  s.out_h = out_size(c.in_h, c.kh, c.sh, c.dh, c.pt, c.pb);
  s.out_w = out_size(c.in_w, c.kw, c.sw, c.dw, c.pl, c.pr);
  return s;
}

std::vector<ConvCase> conv_cases() {
  return {
      {"3x3 valid", 2, 7, 6, 3, 4, 3, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0},
      {"3x3 same", 3, 7, 6, 3, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
      {"strides 2 asymmetric padding", 2, 9, 8, 2, 3, 3, 4, 2, 2, 1, 1, 1, 1, 1, 1, 2},
      {"dilation 2", 2, 9, 10, 2, 3, 3, 2, 1, 1, 2, 3, 1, 2, 2, 1, 2},
      {"groups 2", 2, 6, 7, 4, 6, 3, 3, 1, 1, 1, 1, 2, 1, 1, 1, 1},
      {"groups 3 strides 2", 3, 7, 7, 6, 3, 3, 2, 2, 2, 1, 1, 3, 0, 0, 0, 0},
      {"1x1", 4, 5, 4, 3, 5, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
      {"1x1 strides 2", 2, 5, 4, 3, 5, 1, 1, 2, 2, 1, 1, 1, 0, 0, 0, 0},
      {"kernel wider than input", 2, 4, 3, 2, 2, 5, 6, 1, 1, 1, 1, 1, 2, 2, 2, 3},
      {"1-D", 3, 1, 11, 3, 4, 1, 4, 1, 2, 1, 1, 1, 0, 0, 1, 2},
      {"depthwise", 2, 7, 6, 3, 3, 3, 3, 1, 1, 1, 1, 3, 1, 1, 1, 1},
      {"depthwise multiplier 2 strides 2", 3, 7, 8, 3, 6, 3, 2, 2, 2, 1, 1, 3, 1, 1, 0, 1},
      {"depthwise dilation 2", 2, 8, 7, 4, 4, 3, 3, 1, 1, 2, 2, 4, 2, 2, 2, 2},
      {"one image, many threads' worth", 1, 30, 28, 8, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
      // Several patch blocks per thread: 4 * 56 * 56 rows of 27 values.
      {"several blocks", 4, 56, 56, 3, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
      {"several blocks depthwise", 4, 40, 40, 16, 16, 3, 3, 1, 1, 1, 1, 16, 1, 1, 1, 1},
      {"the CNN's second layer", 6, 13, 13, 32, 64, 3, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0},
  };
}

// tol is per term of a sum: a float32 sum of n terms is allowed tol * sqrt(n)
// (the reference sums in double).
template <class T>
void check_conv(const ConvCase& c, double tol) {
  const ConvShape s = make_shape(c);
  const auto scaled = [tol](std::int64_t n) { return tol * std::sqrt(static_cast<double>(n)); };
  ASSERT_GT(s.out_h, 0) << c.label;
  ASSERT_GT(s.out_w, 0) << c.label;
  const auto x = random_values<T>(s.input_size(), 1);
  const auto k = random_values<T>(s.kernel_size(), 2);
  const auto dy = random_values<T>(s.output_size(), 3);
  std::vector<T> fast(static_cast<std::size_t>(s.output_size()), T(7));
  std::vector<T> ref(fast.size());
  conv2d_forward(s, x.data(), k.data(), fast.data());
  reference_conv2d_forward(s, x.data(), k.data(), ref.data());
  expect_near_all(fast, ref, scaled(c.kh * c.kw * c.in_c / c.groups), c.label + " forward");

  std::vector<T> dx(static_cast<std::size_t>(s.input_size()), T(7)), dx_ref(dx.size());
  conv2d_backward_data(s, dy.data(), k.data(), dx.data());
  reference_conv2d_backward_data(s, dy.data(), k.data(), dx_ref.data());
  expect_near_all(dx, dx_ref, scaled(c.kh * c.kw * c.out_c / c.groups), c.label + " backward data");

  std::vector<T> dk(static_cast<std::size_t>(s.kernel_size()), T(7)), dk_ref(dk.size());
  conv2d_backward_filter(s, x.data(), dy.data(), dk.data());
  reference_conv2d_backward_filter(s, x.data(), dy.data(), dk_ref.data());
  expect_near_all(dk, dk_ref, scaled(s.batch * s.out_h * s.out_w), c.label + " backward filter");
}

TEST(ConvKernels, FastMatchesReferenceFloat) {
  for (const ConvCase& c : conv_cases()) check_conv<float>(c, 2e-6);
}

TEST(ConvKernels, FastMatchesReferenceDouble) {
  for (const ConvCase& c : conv_cases()) check_conv<double>(c, 1e-13);
}

TEST(ConvKernels, ReferenceIsTheDefinition) {
  // One 3x3 "same" convolution of a 3x3 image, one channel: the centre output
  // is the full dot product, the corner sees 4 taps.
  ConvCase c{"tiny", 1, 3, 3, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  const ConvShape s = make_shape(c);
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> k{1, 0, 0, 0, 1, 0, 0, 0, 2};
  std::vector<float> y(9);
  reference_conv2d_forward(s, x.data(), k.data(), y.data());
  EXPECT_FLOAT_EQ(y[4], 1 * 1 + 5 * 1 + 9 * 2);
  EXPECT_FLOAT_EQ(y[0], 1 * 1 + 5 * 2);  // x[-1][-1] is padding
  std::vector<float> fast(9);
  conv2d_forward(s, x.data(), k.data(), fast.data());
  EXPECT_EQ(fast, y);
}

// ---- pooling ----

struct PoolCase {
  std::string label;
  std::int64_t batch, in_h, in_w, channels, ph, pw, sh, sw, pt, pb, pl, pr;
};

PoolShape make_pool(const PoolCase& c) {
  PoolShape s;
  s.batch = c.batch;
  s.in_h = c.in_h;
  s.in_w = c.in_w;
  s.channels = c.channels;
  s.pool_h = c.ph;
  s.pool_w = c.pw;
  s.stride_h = c.sh;
  s.stride_w = c.sw;
  s.pad_top = c.pt;
  s.pad_left = c.pl;
  s.out_h = out_size(c.in_h, c.ph, c.sh, 1, c.pt, c.pb);
  s.out_w = out_size(c.in_w, c.pw, c.sw, 1, c.pl, c.pr);
  return s;
}

std::vector<PoolCase> pool_cases() {
  return {
      {"2x2", 2, 7, 9, 3, 2, 2, 2, 2, 0, 0, 0, 0},
      {"3x3 strides 2 same", 3, 7, 8, 3, 3, 3, 2, 2, 1, 1, 1, 1},
      {"overlapping", 2, 5, 7, 2, 2, 3, 1, 1, 0, 0, 0, 0},
      {"asymmetric padding", 2, 6, 7, 5, 3, 2, 2, 3, 1, 1, 0, 1},
      {"1-D", 4, 1, 10, 3, 1, 3, 1, 2, 0, 0, 1, 1},
      {"large", 16, 26, 26, 32, 2, 2, 2, 2, 0, 0, 0, 0},
  };
}

template <class T>
void check_pool(const PoolCase& c, double tol) {
  const PoolShape s = make_pool(c);
  const auto x = random_values<T>(s.input_size(), 4);
  const auto dy = random_values<T>(s.output_size(), 5);
  const auto n_out = static_cast<std::size_t>(s.output_size());
  const auto n_in = static_cast<std::size_t>(s.input_size());

  std::vector<T> y(n_out), y_ref(n_out), y_no_argmax(n_out);
  std::vector<std::int32_t> argmax(n_out);
  max_pool2d_forward(s, x.data(), y.data(), argmax.data());
  max_pool2d_forward(s, x.data(), y_no_argmax.data(), nullptr);
  reference_max_pool2d_forward(s, x.data(), y_ref.data());
  expect_near_all(y, y_ref, 0.0, c.label + " max forward");
  expect_near_all(y_no_argmax, y_ref, 0.0, c.label + " max forward without argmax");
  std::vector<T> dx(n_in, T(7)), dx_ref(n_in);
  max_pool2d_backward(s, dy.data(), argmax.data(), dx.data());
  reference_max_pool2d_backward(s, x.data(), dy.data(), dx_ref.data());
  expect_near_all(dx, dx_ref, tol, c.label + " max backward");

  average_pool2d_forward(s, x.data(), y.data());
  reference_average_pool2d_forward(s, x.data(), y_ref.data());
  expect_near_all(y, y_ref, tol, c.label + " average forward");
  average_pool2d_backward(s, dy.data(), dx.data());
  reference_average_pool2d_backward(s, dy.data(), dx_ref.data());
  expect_near_all(dx, dx_ref, tol, c.label + " average backward");
}

TEST(PoolKernels, FastMatchesReference) {
  for (const PoolCase& c : pool_cases()) {
    check_pool<float>(c, 1e-6);
    check_pool<double>(c, 1e-14);
  }
}

TEST(PoolKernels, TiesGoToTheFirstMaximum) {
  // JAX's gradient of a max pool routes to the first maximum in window order.
  PoolCase c{"ties", 1, 2, 2, 1, 2, 2, 2, 2, 0, 0, 0, 0};
  const PoolShape s = make_pool(c);
  const std::vector<float> x{1, 3, 3, 3};
  std::vector<float> y(1), dx(4);
  std::vector<std::int32_t> argmax(1);
  max_pool2d_forward(s, x.data(), y.data(), argmax.data());
  EXPECT_EQ(y[0], 3.0f);
  EXPECT_EQ(argmax[0], 1);
  const std::vector<float> dy{1};
  max_pool2d_backward(s, dy.data(), argmax.data(), dx.data());
  EXPECT_EQ(dx, (std::vector<float>{0, 1, 0, 0}));
}

TEST(PoolKernels, AverageLeavesPaddingOutOfTheCount) {
  // A 2x2 window at the corner of a "same"-padded 3x3 pool covers 4 values.
  PoolCase c{"corner", 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1};
  const PoolShape s = make_pool(c);
  const std::vector<float> x{1, 2, 3, 4};
  std::vector<float> y(4);
  average_pool2d_forward(s, x.data(), y.data());
  EXPECT_FLOAT_EQ(y[0], 2.5f);
}

}  // namespace
}  // namespace keras::backend::cpu
