// Concatenate (keras/src/layers/merging/concatenate.py).
#include "keras/layers/concatenate.hpp"

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/layer_config_writer.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"
#include "layers/merge.hpp"

namespace keras::layers {

namespace {

class ConcatenateImpl : public LayerImpl {
 public:
  explicit ConcatenateImpl(const ConcatenateOptions& options)
      : LayerImpl("Concatenate", options.name, options.trainable), axis_(options.axis) {}

  int num_inputs() const override { return -1; }
  void explain(detail::ExplainWriter& w) const override {
    const Shape& out = w.output();
    const int axis = axis_ < 0 ? axis_ + out.rank() : axis_;
    std::vector<std::string> slice = detail::feature_axes(out);
    const std::string letter = slice[static_cast<std::size_t>(axis)];
    slice[static_cast<std::size_t>(axis)] = ":";
    std::vector<std::string> parts;
    std::string sizes;
    for (std::size_t i = 0; i < w.input_shapes().size(); ++i) {
      parts.push_back(detail::indexed("x" + std::to_string(i + 1), slice));
      sizes += (i ? " + " : "") + detail::dim(w.input_shapes()[i][axis]);
    }
    w.formula(detail::indexed("y", slice) + " = concat(" + detail::joined(parts, ", ") + ")");
    w.note("joins the inputs end to end along axis " + std::to_string(axis_) + " (" + letter +
           "): " + sizes + " = " + detail::dim(out[axis]) +
           "; the other axes must be equal; no weights");
  }

  void write_config(detail::ConfigWriter& w) const override { w.base().set("axis", axis_); }
  bool supports_masking() const override { return true; }

  void build(const std::vector<Shape>& input_shapes) override {
    compute_output_shape(input_shapes);  // validates
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    std::vector<Shape> shapes;
    for (const Tensor& x : inputs) shapes.push_back(x.shape());
    compute_output_shape(shapes);  // the same errors as a symbolic call
    return {ops::concatenate(in_one_dtype(inputs), axis_)};
  }

  // The first input's shape with the concatenation axis summed (None when any
  // input's is unknown); every other dimension must agree where known.
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    if (input_shapes.empty()) throw Error(describe() + " needs a list of at least one input.");
    const int axis = concat_axis(input_shapes);
    Shape out = input_shapes[0];
    for (std::size_t i = 1; i < input_shapes.size(); ++i) {
      const std::int64_t d = input_shapes[i][axis];
      out[axis] = out[axis] == None || d == None ? None : out[axis] + d;
    }
    return {out};
  }

  // Keras: an input without a mask counts as all kept; a mask of lower rank
  // than its input is repeated along the input's last axis; the joined masks
  // are reduced with `any` over the last axis.
  std::vector<std::optional<Tensor>> compute_mask(
      const std::vector<Tensor>& inputs,
      const std::vector<std::optional<Tensor>>& masks) const override {
    bool any_mask = false;
    for (const auto& m : masks) any_mask = any_mask || m.has_value();
    if (!any_mask || masks.size() != inputs.size()) return {};
    std::vector<Tensor> full;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const Shape& shape = inputs[i].shape();
      if (!masks[i]) {
        full.push_back(Tensor::ones(shape, DType::float32));
      } else if (masks[i]->rank() < inputs[i].rank()) {
        full.push_back(
            ops::broadcast_to(ops::expand_dims(ops::cast(*masks[i], DType::float32), -1), shape));
      } else {
        full.push_back(ops::cast(*masks[i], DType::float32));
      }
    }
    const Tensor joined = ops::concatenate(full, axis_);
    return {ops::greater(ops::max(joined, {-1}), Tensor::scalar(0.5, DType::float32))};
  }

 private:
  // Checks the shapes (equal ranks; equal known dimensions off the axis) and
  // returns the concatenation axis as a non-negative index.
  int concat_axis(const std::vector<Shape>& shapes) const {
    merged_batch_size(*this, shapes);
    const int rank = shapes[0].rank();
    if (axis_ < -rank || axis_ >= rank) {
      throw Error(describe() + " concatenates along axis " + std::to_string(axis_) +
                  ", which inputs of shapes " + format_shapes(shapes) + " do not have.");
    }
    const int axis = axis_ < 0 ? axis_ + rank : axis_;
    auto mismatch = [&] {
      throw Error(describe() +
                  " requires inputs with matching shapes except for the "
                  "concatenation axis " +
                  std::to_string(axis_) + ". Received: input_shape=" + format_shapes(shapes) + "." +
                  repeat_hint(shapes));
    };
    for (const Shape& s : shapes) {
      if (s.rank() != rank) mismatch();
    }
    for (int k = 0; k < rank; ++k) {
      if (k == axis) continue;
      std::int64_t known = None;  // unknown dimensions match anything
      for (const Shape& s : shapes) {
        if (s[k] == None) continue;
        if (known != None && s[k] != known) mismatch();
        known = s[k];
      }
    }
    return axis;
  }

  // A vector per sample next to a sequence: RepeatVector makes it one per step.
  std::string repeat_hint(const std::vector<Shape>& shapes) const {
    for (const Shape& a : shapes) {
      for (const Shape& b : shapes) {
        if (a.rank() == 3 && b.rank() == 2 && a[1] != None && (axis_ == -1 || axis_ == 2)) {
          return " To join a " + b.to_string() + " vector to each of the " + std::to_string(a[1]) +
                 " steps of a " + a.to_string() + " sequence, repeat it first: RepeatVector(" +
                 std::to_string(a[1]) + ").";
        }
      }
    }
    return "";
  }

  int axis_;
};

}  // namespace

Concatenate::Concatenate(ConcatenateOptions options)
    : Layer(std::make_shared<ConcatenateImpl>(options)) {}

std::shared_ptr<LayerImpl> concatenate_from_config(const LayerConfig& c) {
  const auto common = c.common();
  const std::int64_t axis = c.integer("axis", -1);
  if (axis < -Shape::kMaxRank || axis >= Shape::kMaxRank) {
    throw Error(c.where("axis") + " is " + std::to_string(axis) +
                ", which is not an axis of a tensor kerascpp supports.");
  }
  return Concatenate(
             {.axis = static_cast<int>(axis), .name = common.name, .trainable = common.trainable})
      .ptr();
}

}  // namespace keras::layers
