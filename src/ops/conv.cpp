// The convolution ops (see conv.hpp): window arithmetic as Keras computes it
// and the fused NHWC op with its hand-written backward (the wrappers that
// take Keras' arguments are in conv_nd.cpp).
#include "ops/conv.hpp"

#include <type_traits>

#include "backend/cpu/conv.hpp"
#include "backend/cpu/parallel.hpp"
#include "backend/cpu/reduce.hpp"
#include "keras/activations.hpp"
#include "ops/activation_functions.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;
namespace act = activation_functions;

std::string str(std::int64_t v) { return std::to_string(v); }

std::int64_t effective_kernel(std::int64_t kernel, std::int64_t dilation) {
  return (kernel - 1) * dilation + 1;
}

// Python's floor division (Keras computes window counts with np.floor).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

AxisWindow conv_axis_window(const std::string& op, std::int64_t size, std::int64_t kernel,
                            std::int64_t stride, std::int64_t dilation,
                            const std::string& padding) {
  const std::int64_t k = effective_kernel(kernel, dilation);
  if (padding == "valid") {
    const std::int64_t out = floor_div(size - k, stride) + 1;
    if (out <= 0) {
      throw Error(op + ": the computed output size would be zero or negative: an input of size " +
                  str(size) + " is smaller than the kernel's extent " + str(k) + " (kernel_size " +
                  str(kernel) + ", dilation_rate " + str(dilation) +
                  ") with padding=\"valid\". Use a larger input or padding=\"same\".");
    }
    return {out, 0};
  }
  if (padding == "same" || padding == "causal") {
    const std::int64_t out = floor_div(size - 1, stride) + 1;
    if (padding == "causal") return {out, k - 1};
    const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + k - size, 0);
    return {out, total / 2};
  }
  throw Error(op + ": padding must be \"valid\" or \"same\", got \"" + padding + "\".");
}

AxisWindow conv_transpose_axis_window(std::int64_t size, std::int64_t kernel, std::int64_t stride,
                                      std::int64_t dilation, const std::string& padding,
                                      std::int64_t output_padding) {
  // The padding JAX's conv_transpose gets from Keras
  // (_convert_conv_transpose_padding_args_from_keras_to_jax), around the
  // input dilated by the stride.
  const std::int64_t k = effective_kernel(kernel, dilation);
  std::int64_t left = 0, right = 0;
  if (padding == "valid") {
    const std::int64_t extra = output_padding < 0 ? std::max(k, stride) - k : output_padding;
    left = k - 1;
    right = k - 1 + extra;
  } else {
    const std::int64_t total = output_padding < 0 ? stride + k - 2 : k + k % 2 - 2 + output_padding;
    left = std::min(total / 2 + total % 2, k - 1);
    right = total - left;
  }
  const std::int64_t out = (size - 1) * stride + 1 + left + right - (k - 1);
  // Seen as the convolution that maps the result back to x, the result is
  // padded by k - 1 - left before its first window.
  return {out, k - 1 - left};
}

// ---- the fused NHWC op ----

namespace {

cpu::ConvShape conv_shape(const ConvGeometry& g, std::int64_t batch, std::int64_t in_c,
                          std::int64_t out_c, std::int64_t groups) {
  cpu::ConvShape s;
  s.batch = batch;
  s.in_h = g.in_h;
  s.in_w = g.in_w;
  s.in_c = in_c;
  s.out_h = g.out_h;
  s.out_w = g.out_w;
  s.out_c = out_c;
  s.kernel_h = g.kernel_h;
  s.kernel_w = g.kernel_w;
  s.stride_h = g.stride_h;
  s.stride_w = g.stride_w;
  s.dilation_h = g.dilation_h;
  s.dilation_w = g.dilation_w;
  s.pad_top = g.pad_top;
  s.pad_left = g.pad_left;
  s.groups = groups;
  return s;
}

// forward: y = conv(x, kernel) (transposed: y = the adjoint, from the output
// side). A plain convolution adds the bias and applies ReLU in its own pass;
// returns whether it did.
template <class T>
bool run_forward(const cpu::ConvShape& s, bool transposed, const T* x, const T* k, T* y,
                 const T* bias, bool relu) {
  if (transposed) {
    cpu::conv2d_backward_data(s, x, k, y);
    return false;
  }
  cpu::conv2d_forward(s, x, k, y, bias, relu);
  return true;
}

// dz -> (dx, dkernel) for the op above.
template <class T>
void run_backward_input(const cpu::ConvShape& s, bool transposed, const T* dz, const T* k, T* dx) {
  if (transposed) {
    cpu::conv2d_forward(s, dz, k, dx);
  } else {
    cpu::conv2d_backward_data(s, dz, k, dx);
  }
}

// dbias, when not null, gets the bias gradient on the way (the sums of dz
// per channel, which the kernel gradient's pass reads anyway); only for a
// plain convolution, whose dz is the convolution's output side.
template <class T>
void run_backward_kernel(const cpu::ConvShape& s, bool transposed, const T* x, const T* dz, T* dk,
                         T* dbias) {
  if (transposed) {
    cpu::conv2d_backward_filter(s, dz, x, dk);  // the result plays the convolution's input
  } else {
    cpu::conv2d_backward_filter(s, x, dz, dk, dbias);
  }
}

template <class A>
Tensor conv_fused(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                  const cpu::ConvShape& s, bool transposed, const Shape& out_shape, A a) {
  const std::int64_t channels = out_shape[-1];
  const std::int64_t rows = out_shape.num_elements() / std::max<std::int64_t>(1, channels);
  const bool recording = autodiff::is_recording();
  constexpr bool kIdentity = std::is_same_v<A, act::Linear>;
  const bool keep_z = recording && A::uses_input && !kIdentity;
  Tensor z = Tensor::empty(out_shape, x.dtype());
  Tensor y = keep_z ? Tensor::empty(out_shape, x.dtype()) : z;
  // The epilogue runs inside the convolution when it is all there is to do:
  // a bias and at most a ReLU whose input the backward does not need.
  constexpr bool kRelu = std::is_same_v<A, act::Relu>;
  visit_float(x.dtype(), "conv", [&]<class T>() {
    const T* pb = bias.defined() ? bias.data<T>() : nullptr;
    if constexpr (kIdentity || kRelu) {
      if (run_forward(s, transposed, x.data<T>(), kernel.data<T>(), z.data<T>(), pb, kRelu)) {
        return;
      }
    } else {
      run_forward<T>(s, transposed, x.data<T>(), kernel.data<T>(), z.data<T>(), nullptr, false);
    }
    if (kIdentity && pb == nullptr) return;
    T* pz = z.data<T>();
    T* py = y.data<T>();
    cpu::parallel_for(rows, channels * A::cost, [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        T* zr = pz + r * channels;
        T* yr = py + r * channels;
        if (pb != nullptr) {
#pragma omp simd
          for (std::int64_t j = 0; j < channels; ++j) zr[j] += pb[j];
        }
        if constexpr (!kIdentity) {
          for (std::int64_t j = 0; j < channels; ++j) yr[j] = a.forward(zr[j]);
        }
      }
    });
  });
  if (!recording) return y;
  autodiff::TensorList inputs{x, kernel, bias};
  autodiff::record(
      inputs, {y},
      [x, kernel, z, y, a, s, transposed, rows, channels](const Grads& g, const Needs& needs) {
        Grads out(3);
        Tensor dz = g[0];
        visit_float(x.dtype(), "conv", [&]<class T>() {
          if constexpr (!kIdentity) {
            dz = Tensor::empty(y.shape(), y.dtype());
            const T* pg = g[0].data<T>();
            const T* pz = z.data<T>();
            const T* py = y.data<T>();
            T* pd = dz.data<T>();
            cpu::parallel_for(rows * channels, A::cost, [&](std::int64_t i0, std::int64_t i1) {
              for (std::int64_t i = i0; i < i1; ++i) pd[i] = a.backward(pg[i], pz[i], py[i]);
            });
          }
          const T* pdz = dz.data<T>();
          if (needs[0]) {
            out[0] = Tensor::empty(x.shape(), x.dtype());
            run_backward_input(s, transposed, pdz, kernel.data<T>(), out[0].data<T>());
          }
          const bool bias_with_kernel = needs[1] && needs[2] && !transposed;
          if (needs[1]) {
            out[1] = Tensor::empty(kernel.shape(), kernel.dtype());
            if (bias_with_kernel) out[2] = Tensor::empty(Shape{channels}, x.dtype());
            run_backward_kernel(s, transposed, x.data<T>(), pdz, out[1].data<T>(),
                                bias_with_kernel ? out[2].data<T>() : nullptr);
          }
          if (needs[2] && !bias_with_kernel) {  // column sums of dz
            out[2] = Tensor::empty(Shape{channels}, x.dtype());
            const cpu::ReducePlan plan = cpu::plan_reduce(Shape{rows, channels}, 1u);
            cpu::reduce<cpu::SumReducer>(plan, pdz, out[2].data<T>());
          }
        });
        return out;
      });
  return y;
}

// Runs conv_fused with the activation's functor when it is element-wise;
// other activations (softmax, ...) are applied afterwards as their own op.
Tensor fused_with_activation(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                             const cpu::ConvShape& s, bool transposed, const Shape& out_shape,
                             const std::string& activation) {
  Tensor y;
  const bool fused = act::visit_elementwise(
      activation, [&](auto a) { y = conv_fused(x, kernel, bias, s, transposed, out_shape, a); });
  if (fused) return y;
  const activations::ActivationFn fn = activations::get(activation);  // throws if unknown
  return fn(conv_fused(x, kernel, bias, s, transposed, out_shape, act::Linear{}));
}

void check_operands(const char* op, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                    std::int64_t filters) {
  check_defined(op, x);
  check_defined(op, kernel);
  if (x.rank() != 4 || kernel.rank() != 4) {
    throw Error(std::string(op) +
                " needs an input of rank 4 (N, H, W, C) and a kernel of rank 4, "
                "got shapes " +
                x.shape().to_string() + " and " + kernel.shape().to_string() + ".");
  }
  if (!is_floating(x.dtype()) || x.dtype() != kernel.dtype()) {
    throw Error(std::string(op) + " needs a floating input and a kernel of the same dtype, got " +
                std::string(dtype_name(x.dtype())) + " and " +
                std::string(dtype_name(kernel.dtype())) + ".");
  }
  if (bias.defined() && (bias.shape() != Shape{filters} || bias.dtype() != x.dtype())) {
    throw Error(std::string(op) + " needs a bias of shape (" + str(filters) + ",) and dtype " +
                std::string(dtype_name(x.dtype())) + ", got shape " + bias.shape().to_string() +
                " and dtype " + std::string(dtype_name(bias.dtype())) + ".");
  }
}

void check_geometry(const char* op, const ConvGeometry& g, const Tensor& kernel, std::int64_t in_h,
                    std::int64_t in_w) {
  if (kernel.shape()[0] != g.kernel_h || kernel.shape()[1] != g.kernel_w || in_h != g.in_h ||
      in_w != g.in_w) {
    throw Error(std::string(op) + ": the geometry (input " + str(g.in_h) + "x" + str(g.in_w) +
                ", kernel " + str(g.kernel_h) + "x" + str(g.kernel_w) +
                ") does not fit the input and kernel shapes given.");
  }
  for (std::int64_t v : {g.stride_h, g.stride_w, g.dilation_h, g.dilation_w}) {
    if (v <= 0) throw Error(std::string(op) + ": strides and dilation rates must be positive.");
  }
}

}  // namespace

Tensor conv2d_nhwc(const Tensor& x, const Tensor& kernel, const Tensor& bias, const ConvGeometry& g,
                   const std::string& activation) {
  check_operands("conv", x, kernel, bias,
                 kernel.defined() && kernel.rank() == 4 ? kernel.shape()[3] : 0);
  const Shape& xs = x.shape();
  const Shape& ks = kernel.shape();
  check_geometry("conv", g, kernel, xs[1], xs[2]);
  const std::int64_t channels = xs[3], per_group = ks[2], filters = ks[3];
  if (per_group <= 0 || channels % per_group != 0) {
    throw Error("ops.conv: the number of input channels (" + str(channels) + ", input shape " +
                xs.to_string() + ") must be a multiple of the kernel's input channels (" +
                str(per_group) + ", kernel shape " + ks.to_string() + ").");
  }
  const std::int64_t groups = channels / per_group;
  if (filters % groups != 0) {
    throw Error("ops.conv: the number of filters (" + str(filters) +
                ") must be a multiple of the number of groups (" + str(groups) + ").");
  }
  const cpu::ConvShape s = conv_shape(g, xs[0], channels, filters, groups);
  return fused_with_activation(x, kernel, bias, s, false, Shape{xs[0], g.out_h, g.out_w, filters},
                               activation);
}

Tensor conv2d_transpose_nhwc(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                             const ConvGeometry& g, const std::string& activation) {
  check_operands("conv_transpose", x, kernel, bias,
                 kernel.defined() && kernel.rank() == 4 ? kernel.shape()[2] : 0);
  const Shape& xs = x.shape();
  const Shape& ks = kernel.shape();
  if (kernel.shape()[0] != g.kernel_h || kernel.shape()[1] != g.kernel_w || xs[1] != g.out_h ||
      xs[2] != g.out_w) {
    throw Error("ops.conv_transpose: the geometry does not fit the input and kernel shapes " +
                xs.to_string() + " and " + ks.to_string() + ".");
  }
  if (ks[3] != xs[3]) {
    throw Error("ops.conv_transpose: the kernel's last axis (" + str(ks[3]) + ", kernel shape " +
                ks.to_string() + ") must equal the input channels (" + str(xs[3]) +
                ", input shape " + xs.to_string() + ").");
  }
  const std::int64_t filters = ks[2];
  const cpu::ConvShape s = conv_shape(g, xs[0], filters, xs[3], 1);
  return fused_with_activation(x, kernel, bias, s, true, Shape{xs[0], g.in_h, g.in_w, filters},
                               activation);
}

}  // namespace keras::ops
