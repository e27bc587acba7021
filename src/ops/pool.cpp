// The pooling ops (see pool.hpp).
#include "ops/pool.hpp"

#include <limits>

#include "backend/cpu/pool.hpp"
#include "ops/conv.hpp"
#include "ops/op_utils.hpp"

namespace keras::ops {

namespace {

using autodiff::Grads;
using autodiff::Needs;
using namespace detail;
namespace cpu = backend::cpu;

std::string str(std::int64_t v) { return std::to_string(v); }

// Python's floor division, as Keras' np.floor in the output-size formulas.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct PoolAxis {
  std::int64_t out = 0, pad_before = 0;
};

// One spatial axis: "valid" keeps whole windows; "same" gives ceil(size /
// stride) windows with the total padding split as JAX's reduce_window does
// (the extra one after).
PoolAxis pool_axis(const std::string& op, std::int64_t size, std::int64_t pool, std::int64_t stride,
                   const std::string& padding) {
  if (padding == "valid") {
    const std::int64_t out = floor_div(size - pool, stride) + 1;
    if (out <= 0) {
      throw Error(op + ": the computed output size would be zero or negative: an input of size " +
                  str(size) + " is smaller than pool_size " + str(pool) +
                  " with padding=\"valid\". Use a larger input or padding=\"same\".");
    }
    return {out, 0};
  }
  if (padding == "same") {
    const std::int64_t out = floor_div(size - 1, stride) + 1;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + pool - size, 0);
    return {out, total / 2};
  }
  throw Error(op + ": padding must be \"valid\" or \"same\", got \"" + padding + "\".");
}

struct Plan {
  int spatial = 2;
  bool channels_first = false;
  std::vector<std::int64_t> pool, strides;
};

Plan make_plan(const std::string& op, const Shape& input, const PoolArgs& args) {
  Plan p;
  p.spatial = spatial_rank(op, input);
  p.channels_first = is_channels_first(op, args.data_format);
  p.pool = per_axis(op, "pool_size", args.pool_size, p.spatial);
  p.strides = args.strides.empty() ? p.pool : per_axis(op, "strides", args.strides, p.spatial);
  return p;
}

cpu::PoolShape pool_shape(const std::string& op, const Shape& nhwc, const Plan& p,
                          const std::string& padding) {
  cpu::PoolShape s;
  s.batch = nhwc[0];
  s.in_h = nhwc[1];
  s.in_w = nhwc[2];
  s.channels = nhwc[3];
  if (p.spatial == 2) {
    s.pool_h = p.pool[0];
    s.stride_h = p.strides[0];
    const PoolAxis h = pool_axis(op, s.in_h, s.pool_h, s.stride_h, padding);
    s.out_h = h.out;
    s.pad_top = h.pad_before;
  }
  s.pool_w = p.pool[p.spatial - 1];
  s.stride_w = p.strides[p.spatial - 1];
  const PoolAxis w = pool_axis(op, s.in_w, s.pool_w, s.stride_w, padding);
  s.out_w = w.out;
  s.pad_left = w.pad_before;
  return s;
}

Tensor max_pool_nhwc(const std::string& op, const Tensor& x, const cpu::PoolShape& s) {
  const Shape out_shape{s.batch, s.out_h, s.out_w, s.channels};
  Tensor y = Tensor::empty(out_shape, x.dtype());
  const bool recording = autodiff::is_recording();
  if (recording && s.in_h * s.in_w * s.channels > std::numeric_limits<std::int32_t>::max()) {
    throw Error(op + ": an image of " + str(s.in_h * s.in_w * s.channels) +
                " values is too large to differentiate through max pooling.");
  }
  Tensor argmax = recording ? Tensor::empty(out_shape, DType::int32) : Tensor();
  visit_float(x.dtype(), "max_pool", [&]<class T>() {
    cpu::max_pool2d_forward(s, x.data<T>(), y.data<T>(),
                            recording ? argmax.data<std::int32_t>() : nullptr);
  });
  if (recording) {
    autodiff::record({x}, {y}, [x, argmax, s](const Grads& g, const Needs&) {
      Tensor dx = Tensor::empty(x.shape(), x.dtype());
      visit_float(x.dtype(), "max_pool", [&]<class T>() {
        cpu::max_pool2d_backward(s, g[0].data<T>(), argmax.data<std::int32_t>(), dx.data<T>());
      });
      return Grads{dx};
    });
  }
  return y;
}

Tensor average_pool_nhwc(const Tensor& x, const cpu::PoolShape& s) {
  Tensor y = Tensor::empty(Shape{s.batch, s.out_h, s.out_w, s.channels}, x.dtype());
  visit_float(x.dtype(), "average_pool",
              [&]<class T>() { cpu::average_pool2d_forward(s, x.data<T>(), y.data<T>()); });
  if (autodiff::is_recording()) {
    const Shape in_shape = x.shape();
    const DType dtype = x.dtype();
    autodiff::record({x}, {y}, [in_shape, dtype, s](const Grads& g, const Needs&) {
      Tensor dx = Tensor::empty(in_shape, dtype);
      visit_float(dtype, "average_pool", [&]<class T>() {
        cpu::average_pool2d_backward(s, g[0].data<T>(), dx.data<T>());
      });
      return Grads{dx};
    });
  }
  return y;
}

template <class F>
Tensor pool_nd(const std::string& op, const Tensor& x, const PoolArgs& args, F&& pool) {
  check_defined(op.c_str(), x);
  const Plan p = make_plan(op, x.shape(), args);
  Tensor in = x;
  if (!is_floating(in.dtype())) in = cast(in, DType::float32);
  const Tensor xt = to_nhwc(in, p.channels_first);
  const cpu::PoolShape s = pool_shape(op, xt.shape(), p, args.padding);
  return from_nhwc(pool(xt, s), p.channels_first, p.spatial);
}

}  // namespace

Tensor max_pool_nd(const std::string& op, const Tensor& x, const PoolArgs& args) {
  return pool_nd(op, x, args, [&](const Tensor& xt, const cpu::PoolShape& s) {
    return max_pool_nhwc(op, xt, s);
  });
}

Tensor average_pool_nd(const std::string& op, const Tensor& x, const PoolArgs& args) {
  return pool_nd(op, x, args, [](const Tensor& xt, const cpu::PoolShape& s) {
    return average_pool_nhwc(xt, s);
  });
}

Shape pool_output_shape(const std::string& op, const Shape& input, const PoolArgs& args) {
  const Plan p = make_plan(op, input, args);
  std::vector<std::int64_t> dims{input[0]};
  if (p.channels_first) dims.push_back(input[1]);
  for (int i = 0; i < p.spatial; ++i) {
    const std::int64_t size = input[p.channels_first ? 2 + i : 1 + i];
    dims.push_back(size == None ? None
                                : pool_axis(op, size, p.pool[i], p.strides[i], args.padding).out);
  }
  if (!p.channels_first) dims.push_back(input[-1]);
  return Shape(dims);
}

// ---- keras::ops (include/keras/ops.hpp) ----

Tensor max_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                const std::vector<std::int64_t>& strides, const std::string& padding,
                const std::string& data_format) {
  return max_pool_nd(
      "ops.max_pool", inputs,
      {.pool_size = pool_size, .strides = strides, .padding = padding, .data_format = data_format});
}

Tensor average_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                    const std::vector<std::int64_t>& strides, const std::string& padding,
                    const std::string& data_format) {
  return average_pool_nd(
      "ops.average_pool", inputs,
      {.pool_size = pool_size, .strides = strides, .padding = padding, .data_format = data_format});
}

}  // namespace keras::ops
