// Dot (keras/src/layers/merging/dot.py and its batch_dot): the contracted
// axes are moved next to each other and the product is one batched matmul.
#include "keras/layers/dot.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "layers/merge.hpp"
#include "ops/normalization.hpp"

namespace keras::layers {

namespace {

class DotImpl : public LayerImpl {
 public:
  DotImpl(std::array<int, 2> axes, bool one_axis, const DotOptions& options)
      : LayerImpl("Dot", options.name, options.trainable),
        axes_(axes),
        one_axis_(one_axis),
        normalize_(options.normalize) {}

  void explain(detail::ExplainWriter& w) const override {
    const Shape& s0 = w.input_shapes().at(0);
    const Shape& s1 = w.input_shapes().at(1);
    const auto [a0, a1] = resolved(s0.rank(), s1.rank());
    const std::vector<std::string> free0 = detail::letters(s0.rank() - 2, "i");
    const std::vector<std::string> free1 = detail::letters(s1.rank() - 2, "p");
    std::vector<std::string> x0{"b"}, x1{"b"}, y{"b"};
    for (int i = 1, k = 0; i < s0.rank(); ++i) {
      x0.push_back(i == a0 ? "c" : free0[static_cast<std::size_t>(k++)]);
    }
    for (int i = 1, k = 0; i < s1.rank(); ++i) {
      x1.push_back(i == a1 ? "c" : free1[static_cast<std::size_t>(k++)]);
    }
    y.insert(y.end(), free0.begin(), free0.end());
    y.insert(y.end(), free1.begin(), free1.end());
    if (y.size() == 1) y.push_back("0");
    w.formula(detail::indexed("y", y) + " = sum_c " + detail::indexed("x1", x0) + " * " +
              detail::indexed("x2", x1));
    w.note("contracts axis " + std::to_string(a0) + " of x1 with axis " + std::to_string(a1) +
           " of x2 (c, " + detail::dim(s0[a0]) + " values), separately for each sample b; " +
           "no weights");
    if (normalize_) {
      w.note(
          "normalize=true: each input is first divided by its L2 norm along c, so y is the "
          "cosine similarity");
    }
  }

  // Keras' get_config: axes as given (an integer or a pair).
  void write_config(detail::ConfigWriter& w) const override {
    w.base()
        .set("axes", one_axis_ ? detail::json(axes_[0]) : detail::json(axes_))
        .set("normalize", normalize_);
  }

  int num_inputs() const override { return -1; }
  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    check_pair(input_shapes);
    const auto [a0, a1] = resolved(input_shapes[0].rank(), input_shapes[1].rank());
    const std::int64_t d0 = input_shapes[0][a0], d1 = input_shapes[1][a1];
    // Keras compares the two sizes as they are: an unknown one matches nothing.
    if (d0 != d1) {
      throw Error(describe() + ": incompatible input shapes: axis values " + dim(d0) +
                  " (at axis " + std::to_string(a0) + ") != " + dim(d1) + " (at axis " +
                  std::to_string(a1) + "). Full input shapes: " + input_shapes[0].to_string() +
                  ", " + input_shapes[1].to_string());
    }
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    std::vector<Shape> shapes;
    for (const Tensor& x : inputs) shapes.push_back(x.shape());
    check_pair(shapes);
    const std::vector<Tensor> xs = in_one_dtype(inputs);
    const auto [a0, a1] = resolved(xs[0].rank(), xs[1].rank());
    if (xs[0].shape()[a0] != xs[1].shape()[a1]) build(shapes);  // throws Keras' message
    Tensor x = xs[0], y = xs[1];
    if (normalize_) {
      // keras.ops.normalize's default epsilon: keras.backend.epsilon().
      x = ops::l2_normalize(x, {a0}, 1e-7);
      y = ops::l2_normalize(y, {a1}, 1e-7);
    }
    return {batch_dot(x, y, a0, a1)};
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_pair(input_shapes);
    const auto [a0, a1] = resolved(input_shapes[0].rank(), input_shapes[1].rank());
    std::vector<std::int64_t> out;
    for (int i = 0; i < input_shapes[0].rank(); ++i) {
      if (i != a0) out.push_back(input_shapes[0][i]);
    }
    for (int i = 1; i < input_shapes[1].rank(); ++i) {
      if (i != a1) out.push_back(input_shapes[1][i]);
    }
    if (out.size() == 1) out.push_back(1);
    return {Shape(out)};
  }

  // Keras' Dot.compute_mask: no mask.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>&) const override {
    return {};
  }

 private:
  static std::string dim(std::int64_t d) { return d == None ? "None" : std::to_string(d); }

  void check_pair(const std::vector<Shape>& shapes) const {
    if (shapes.size() != 2) {
      throw Error(describe() + " should be called on a list of 2 inputs. Received: input_shape=" +
                  format_shapes(shapes));
    }
    for (const Shape& s : shapes) {
      if (s.rank() < 2) {
        throw Error(describe() +
                    " cannot do batch_dot on inputs with rank < 2. Received inputs "
                    "with shapes " +
                    shapes[0].to_string() + " and " + shapes[1].to_string() + ".");
      }
    }
    merged_batch_size(*this, shapes);
    const auto [a0, a1] = resolved(shapes[0].rank(), shapes[1].rank());
    if (a0 == 0 || a1 == 0) {
      throw Error(describe() +
                  " cannot perform batch_dot over axis 0. If your inputs are not batched, add a "
                  "dummy batch dimension to your inputs using keras.ops.expand_dims(x, 0)");
    }
  }

  // The two axes as non-negative indices of inputs of these ranks.
  std::array<int, 2> resolved(int rank0, int rank1) const {
    std::array<int, 2> out{};
    const int ranks[2] = {rank0, rank1};
    for (int i = 0; i < 2; ++i) {
      const int a = axes_[static_cast<std::size_t>(i)];
      if (a >= ranks[i] || a < -ranks[i]) {
        throw Error(describe() + ": axis " + std::to_string(a) + " is out of range for input " +
                    std::to_string(i) + " of rank " + std::to_string(ranks[i]) + ".");
      }
      out[static_cast<std::size_t>(i)] = a < 0 ? a + ranks[i] : a;
    }
    return out;
  }

  // Keras' batch_dot: x's axis moved last, y's moved to position 1, both
  // flattened to (B, rows, K) and (B, K, cols), multiplied, then reshaped.
  static Tensor batch_dot(const Tensor& x, const Tensor& y, int a0, int a1) {
    std::vector<int> px, py{0, a1};
    std::vector<std::int64_t> out{x.shape()[0]};
    std::int64_t rows = 1, cols = 1;
    for (int i = 0; i < x.rank(); ++i) {
      if (i == a0) continue;
      px.push_back(i);
      if (i > 0) {
        rows *= x.shape()[i];
        out.push_back(x.shape()[i]);
      }
    }
    px.push_back(a0);
    for (int i = 1; i < y.rank(); ++i) {
      if (i == a1) continue;
      py.push_back(i);
      cols *= y.shape()[i];
      out.push_back(y.shape()[i]);
    }
    const std::int64_t batch = x.shape()[0], k = x.shape()[a0];
    const Tensor xt = ops::reshape(ops::transpose(x, px), Shape{batch, rows, k});
    const Tensor yt = ops::reshape(ops::transpose(y, py), Shape{batch, k, cols});
    if (out.size() == 1) out.push_back(1);
    return ops::reshape(ops::matmul(xt, yt), Shape(out));
  }

  std::array<int, 2> axes_;
  bool one_axis_;
  bool normalize_;
};

}  // namespace

Dot::Dot(int axes, DotOptions options)
    : Layer(std::make_shared<DotImpl>(std::array<int, 2>{axes, axes}, true, options)) {}

Dot::Dot(std::array<int, 2> axes, DotOptions options)
    : Layer(std::make_shared<DotImpl>(axes, false, options)) {}

std::shared_ptr<LayerImpl> dot_from_config(const LayerConfig& c) {
  const auto common = c.common();
  const DotOptions options{.normalize = c.boolean("normalize", false),
                           .name = common.name,
                           .trainable = common.trainable};
  const std::vector<int> axes = c.axes("axes", {});
  if (axes.size() == 1 && !c.raw().at("axes").is_array()) return Dot(axes[0], options).ptr();
  if (axes.size() != 2) {
    throw Error(c.where("axes") + " must be an integer or a list of two integers.");
  }
  return Dot(std::array<int, 2>{axes[0], axes[1]}, options).ptr();
}

}  // namespace keras::layers
