// The plain convolution loops, written straight from the definition (one
// multiply-add per input pixel, kernel tap and channel pair, accumulated in
// double): what the fast kernels in conv.cpp are tested against.
#include <vector>

#include "backend/cpu/conv.hpp"

namespace keras::backend::cpu {

namespace {

// Calls f(x_index, kernel_index, y_index) for every multiply-add of the
// convolution, skipping the taps that fall into the zero padding.
template <class F>
void for_each_tap(const ConvShape& s, F&& f) {
  const std::int64_t cin_g = s.in_c_per_group(), cout_g = s.out_c_per_group();
  for (std::int64_t n = 0; n < s.batch; ++n) {
    for (std::int64_t oh = 0; oh < s.out_h; ++oh) {
      for (std::int64_t ow = 0; ow < s.out_w; ++ow) {
        for (std::int64_t kh = 0; kh < s.kernel_h; ++kh) {
          const std::int64_t ih = oh * s.stride_h - s.pad_top + kh * s.dilation_h;
          if (ih < 0 || ih >= s.in_h) continue;
          for (std::int64_t kw = 0; kw < s.kernel_w; ++kw) {
            const std::int64_t iw = ow * s.stride_w - s.pad_left + kw * s.dilation_w;
            if (iw < 0 || iw >= s.in_w) continue;
            for (std::int64_t g = 0; g < s.groups; ++g) {
              for (std::int64_t ci = 0; ci < cin_g; ++ci) {
                const std::int64_t xi = ((n * s.in_h + ih) * s.in_w + iw) * s.in_c + g * cin_g + ci;
                for (std::int64_t co = 0; co < cout_g; ++co) {
                  const std::int64_t oc = g * cout_g + co;
                  const std::int64_t ki = ((kh * s.kernel_w + kw) * cin_g + ci) * s.out_c + oc;
                  const std::int64_t yi = ((n * s.out_h + oh) * s.out_w + ow) * s.out_c + oc;
                  f(xi, ki, yi);
                }
              }
            }
          }
        }
      }
    }
  }
}

template <class T>
void store(const std::vector<double>& acc, T* out) {
  for (std::size_t i = 0; i < acc.size(); ++i) out[i] = static_cast<T>(acc[i]);
}

}  // namespace

template <class T>
void reference_conv2d_forward(const ConvShape& s, const T* x, const T* kernel, T* y) {
  std::vector<double> acc(static_cast<std::size_t>(s.output_size()), 0.0);
  for_each_tap(s, [&](std::int64_t xi, std::int64_t ki, std::int64_t yi) {
    acc[yi] += static_cast<double>(x[xi]) * kernel[ki];
  });
  store(acc, y);
}

template <class T>
void reference_conv2d_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx) {
  std::vector<double> acc(static_cast<std::size_t>(s.input_size()), 0.0);
  for_each_tap(s, [&](std::int64_t xi, std::int64_t ki, std::int64_t yi) {
    acc[xi] += static_cast<double>(dy[yi]) * kernel[ki];
  });
  store(acc, dx);
}

template <class T>
void reference_conv2d_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel) {
  std::vector<double> acc(static_cast<std::size_t>(s.kernel_size()), 0.0);
  for_each_tap(s, [&](std::int64_t xi, std::int64_t ki, std::int64_t yi) {
    acc[ki] += static_cast<double>(x[xi]) * dy[yi];
  });
  store(acc, dkernel);
}

template void reference_conv2d_forward<float>(const ConvShape&, const float*, const float*, float*);
template void reference_conv2d_forward<double>(const ConvShape&, const double*, const double*,
                                               double*);
template void reference_conv2d_backward_data<float>(const ConvShape&, const float*, const float*,
                                                    float*);
template void reference_conv2d_backward_data<double>(const ConvShape&, const double*, const double*,
                                                     double*);
template void reference_conv2d_backward_filter<float>(const ConvShape&, const float*, const float*,
                                                      float*);
template void reference_conv2d_backward_filter<double>(const ConvShape&, const double*,
                                                       const double*, double*);

}  // namespace keras::backend::cpu
