// oneDNN convolutions (see conv_onednn.hpp). Activations stay in kerascpp's
// NHWC layout; the kernel (kh, kw, in_c / groups, out_c) is described to
// oneDNN as hwio (hwigo with groups) and reordered, per call, into whatever
// blocked layout the chosen implementation wants -- the kernels are small.
#include "backend/cpu/conv_onednn.hpp"

#include <array>
#include <dnnl.hpp>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace keras::backend::cpu {

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

using Key = std::array<std::int64_t, 17>;

Key key_of(const ConvShape& s) {
  return {s.batch,      s.in_h,     s.in_w,     s.in_c,     s.out_h,    s.out_w,
          s.out_c,      s.kernel_h, s.kernel_w, s.stride_h, s.stride_w, s.dilation_h,
          s.dilation_w, s.pad_top,  s.pad_left, s.groups,   0};
}

// The descriptors of one convolution shape, as oneDNN wants them.
struct Geometry {
  memory::desc src, dst, user_weights, any_weights, bias;
  memory::dims strides, dilates, pad_l, pad_r;
};

Geometry geometry(const ConvShape& s) {
  Geometry g;
  const auto dt = memory::data_type::f32;
  g.src = memory::desc({s.batch, s.in_c, s.in_h, s.in_w}, dt, tag::nhwc);
  g.dst = memory::desc({s.batch, s.out_c, s.out_h, s.out_w}, dt, tag::nhwc);
  if (s.groups == 1) {
    const memory::dims w{s.out_c, s.in_c, s.kernel_h, s.kernel_w};
    g.user_weights = memory::desc(w, dt, tag::hwio);
    g.any_weights = memory::desc(w, dt, tag::any);
  } else {
    const memory::dims w{s.groups, s.out_c_per_group(), s.in_c_per_group(), s.kernel_h, s.kernel_w};
    g.user_weights = memory::desc(w, dt, tag::hwigo);
    g.any_weights = memory::desc(w, dt, tag::any);
  }
  g.bias = memory::desc({s.out_c}, dt, tag::a);
  g.strides = {s.stride_h, s.stride_w};
  g.dilates = {s.dilation_h - 1, s.dilation_w - 1};  // oneDNN counts the gaps
  g.pad_l = {s.pad_top, s.pad_left};
  // The padding after the input that makes out_h windows (never negative:
  // oneDNN floors (in + pads - extent) / stride as we do).
  const auto after = [](std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t stride,
                        std::int64_t dilation, std::int64_t before) {
    return std::max<std::int64_t>(0, (out - 1) * stride + (k - 1) * dilation + 1 - in - before);
  };
  g.pad_r = {after(s.in_h, s.out_h, s.kernel_h, s.stride_h, s.dilation_h, s.pad_top),
             after(s.in_w, s.out_w, s.kernel_w, s.stride_w, s.dilation_w, s.pad_left)};
  return g;
}

// oneDNN computes the output size from the padding itself; it must be ours.
bool sizes_agree(const ConvShape& s, const Geometry& g) {
  const auto out = [](std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation,
                      std::int64_t before, std::int64_t after) {
    return (in + before + after - ((k - 1) * dilation + 1)) / stride + 1;
  };
  return out(s.in_h, s.kernel_h, s.stride_h, s.dilation_h, g.pad_l[0], g.pad_r[0]) == s.out_h &&
         out(s.in_w, s.kernel_w, s.stride_w, s.dilation_w, g.pad_l[1], g.pad_r[1]) == s.out_w;
}

// The primitives of one shape, each made on first use.
struct Entry {
  Geometry g;
  bool supported = true;
  // The plain forward pass: the hint the backward primitives are made from.
  std::optional<dnnl::convolution_forward::primitive_desc> forward_pd;
  // Forward primitives by variant: bit 0 bias, bit 1 ReLU post-op.
  std::array<std::optional<dnnl::convolution_forward::primitive_desc>, 4> variant_pd;
  std::array<std::optional<dnnl::convolution_forward>, 4> forward;
  std::optional<dnnl::convolution_backward_data> backward_data;
  std::optional<dnnl::convolution_backward_data::primitive_desc> backward_data_pd;
  std::optional<dnnl::convolution_backward_weights> backward_weights;
  std::optional<dnnl::convolution_backward_weights::primitive_desc> backward_weights_pd;
};

// One cache per thread: primitives, their weight buffers and the stream are
// then never shared between threads.
Entry* entry_for(const ConvShape& s) {
  thread_local std::map<Key, std::unique_ptr<Entry>> cache;
  Key key = key_of(s);
  auto found = cache.find(key);
  if (found != cache.end()) return found->second->supported ? found->second.get() : nullptr;
  // Batch sizes vary (the last batch of an epoch); a few dozen shapes is plenty.
  if (cache.size() >= 64) cache.clear();
  auto e = std::make_unique<Entry>();
  e->g = geometry(s);
  e->supported = sizes_agree(s, e->g);
  if (e->supported) {
    try {
      const Geometry& g = e->g;
      e->forward_pd.emplace(
          dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                          dnnl::algorithm::convolution_direct, g.src, g.any_weights,
                                          g.dst, g.strides, g.dilates, g.pad_l, g.pad_r),
          cpu_engine());
    } catch (const dnnl::error&) {
      e->supported = false;
    }
  }
  Entry* out = e->supported ? e.get() : nullptr;
  cache.emplace(key, std::move(e));
  return out;
}

dnnl::stream& cpu_stream() {
  thread_local dnnl::stream stream(cpu_engine());
  return stream;
}

// The kernel in the layout `want`, reordered into a per-thread buffer when it
// differs from kerascpp's.
memory weights_as(const memory::desc& want, const memory::desc& user, const float* kernel) {
  memory user_mem(user, cpu_engine(), const_cast<float*>(kernel));
  if (want == user) return user_mem;
  memory converted(want, cpu_engine());
  dnnl::reorder(user_mem, converted).execute(cpu_stream(), user_mem, converted);
  return converted;
}

}  // namespace

bool onednn_conv2d_forward(const ConvShape& s, const float* x, const float* kernel, float* y,
                           const float* bias, bool relu) {
  Entry* e = entry_for(s);
  if (e == nullptr) return false;
  const int variant = (bias != nullptr ? 1 : 0) | (relu ? 2 : 0);
  try {
    auto& pd = e->variant_pd[variant];
    if (!pd) {
      const Geometry& g = e->g;
      dnnl::primitive_attr attr;
      if (relu) {
        dnnl::post_ops ops;
        ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
        attr.set_post_ops(ops);
      }
      const auto kind = dnnl::prop_kind::forward_training;
      const auto alg = dnnl::algorithm::convolution_direct;
      pd.emplace(
          bias != nullptr
              ? dnnl::convolution_forward::desc(kind, alg, g.src, g.any_weights, g.bias, g.dst,
                                                g.strides, g.dilates, g.pad_l, g.pad_r)
              : dnnl::convolution_forward::desc(kind, alg, g.src, g.any_weights, g.dst, g.strides,
                                                g.dilates, g.pad_l, g.pad_r),
          attr, cpu_engine());
      e->forward[variant].emplace(*pd);
    }
    const memory w = weights_as(pd->weights_desc(), e->g.user_weights, kernel);
    memory src(e->g.src, cpu_engine(), const_cast<float*>(x));
    memory dst(e->g.dst, cpu_engine(), y);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
    if (bias != nullptr) {
      args.emplace(DNNL_ARG_BIAS, memory(e->g.bias, cpu_engine(), const_cast<float*>(bias)));
    }
    e->forward[variant]->execute(cpu_stream(), args);
    cpu_stream().wait();
    return true;
  } catch (const dnnl::error&) {
    return false;
  }
}

bool onednn_conv2d_backward_data(const ConvShape& s, const float* dy, const float* kernel,
                                 float* dx) {
  Entry* e = entry_for(s);
  if (e == nullptr) return false;
  try {
    if (!e->backward_data) {
      const Geometry& g = e->g;
      e->backward_data_pd.emplace(dnnl::convolution_backward_data::desc(
                                      dnnl::algorithm::convolution_direct, g.src, g.any_weights,
                                      g.dst, g.strides, g.dilates, g.pad_l, g.pad_r),
                                  cpu_engine(), *e->forward_pd);
      e->backward_data.emplace(*e->backward_data_pd);
    }
    const memory w = weights_as(e->backward_data_pd->weights_desc(), e->g.user_weights, kernel);
    memory diff_dst(e->g.dst, cpu_engine(), const_cast<float*>(dy));
    memory diff_src(e->g.src, cpu_engine(), dx);
    e->backward_data->execute(
        cpu_stream(),
        {{DNNL_ARG_DIFF_DST, diff_dst}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, diff_src}});
    cpu_stream().wait();
    return true;
  } catch (const dnnl::error&) {
    return false;
  }
}

bool onednn_conv2d_backward_filter(const ConvShape& s, const float* x, const float* dy,
                                   float* dkernel, float* dbias) {
  Entry* e = entry_for(s);
  if (e == nullptr) return false;
  try {
    if (!e->backward_weights) {
      const Geometry& g = e->g;
      e->backward_weights_pd.emplace(dnnl::convolution_backward_weights::desc(
                                         dnnl::algorithm::convolution_direct, g.src, g.any_weights,
                                         g.bias, g.dst, g.strides, g.dilates, g.pad_l, g.pad_r),
                                     cpu_engine(), *e->forward_pd);
      e->backward_weights.emplace(*e->backward_weights_pd);
    }
    const memory::desc& want = e->backward_weights_pd->diff_weights_desc();
    memory user(e->g.user_weights, cpu_engine(), dkernel);
    memory diff_weights = want == e->g.user_weights ? user : memory(want, cpu_engine());
    memory src(e->g.src, cpu_engine(), const_cast<float*>(x));
    memory diff_dst(e->g.dst, cpu_engine(), const_cast<float*>(dy));
    // oneDNN sums dy per channel for the bias anyway; without a caller's
    // buffer it goes to a scratch one.
    memory diff_bias =
        dbias != nullptr ? memory(e->g.bias, cpu_engine(), dbias) : memory(e->g.bias, cpu_engine());
    e->backward_weights->execute(cpu_stream(), {{DNNL_ARG_SRC, src},
                                                {DNNL_ARG_DIFF_DST, diff_dst},
                                                {DNNL_ARG_DIFF_WEIGHTS, diff_weights},
                                                {DNNL_ARG_DIFF_BIAS, diff_bias}});
    if (!(want == e->g.user_weights)) {
      dnnl::reorder(diff_weights, user).execute(cpu_stream(), diff_weights, user);
    }
    cpu_stream().wait();
    return true;
  } catch (const dnnl::error&) {
    return false;
  }
}

}  // namespace keras::backend::cpu
