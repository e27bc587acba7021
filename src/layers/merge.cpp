#include "layers/merge.hpp"

#include <algorithm>
#include <set>

#include "keras/ops.hpp"
#include "layers/layer_explain_writer.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

std::int64_t merged_batch_size(const LayerImpl& layer, const std::vector<Shape>& shapes) {
  std::set<std::int64_t> known;
  for (const Shape& s : shapes) {
    if (s.rank() < 1) {
      throw Error(layer.describe() + " expects inputs with a batch axis, got shapes " +
                  format_shapes(shapes) + ".");
    }
    if (s[0] != None) known.insert(s[0]);
  }
  if (known.size() > 1) {
    throw Error(layer.describe() +
                " cannot merge tensors with different batch sizes. Received "
                "tensors with shapes " +
                format_shapes(shapes) + ".");
  }
  return known.empty() ? None : *known.begin();
}

std::vector<Tensor> in_one_dtype(const std::vector<Tensor>& inputs) {
  std::vector<Tensor> out;
  if (inputs.empty()) return out;
  const DType dtype = to_compute_dtype(inputs[0]).dtype();
  for (const Tensor& x : inputs) out.push_back(x.dtype() == dtype ? x : ops::cast(x, dtype));
  return out;
}

std::vector<std::optional<Tensor>> or_of_masks(const std::vector<std::optional<Tensor>>& masks) {
  if (masks.empty()) return {};
  for (const auto& m : masks) {
    if (!m) return {std::nullopt};
  }
  Tensor out = *masks[0];
  for (std::size_t i = 1; i < masks.size(); ++i) out = ops::logical_or(out, *masks[i]);
  return {out};
}

std::optional<Tensor> mask_like(const std::optional<Tensor>& mask, const Tensor& x) {
  if (!mask || mask->rank() != x.rank() - 1) return std::nullopt;
  for (int i = 0; i < mask->rank(); ++i) {
    if (mask->shape()[i] != x.shape()[i]) return std::nullopt;
  }
  return ops::broadcast_to(ops::expand_dims(ops::cast(*mask, DType::bool_), -1), x.shape());
}

Tensor apply_merge_op_and_or_mask(const std::vector<Tensor>& xs,
                                  const std::vector<std::optional<Tensor>>& masks,
                                  Tensor (*op)(const Tensor&, const Tensor&)) {
  Tensor output = xs[0];
  std::optional<Tensor> output_mask = masks.empty() ? std::nullopt : mask_like(masks[0], xs[0]);
  for (std::size_t i = 1; i < xs.size(); ++i) {
    Tensor x = xs[i];
    const std::optional<Tensor> mask = masks.empty() ? std::nullopt : mask_like(masks[i], x);
    if (mask) x = ops::where(*mask, x, output);
    if (output_mask) output = ops::where(*output_mask, output, x);
    output_mask = mask && output_mask ? std::optional<Tensor>(ops::logical_or(*output_mask, *mask))
                                      : std::nullopt;
    output = op(output, x);
  }
  return output;
}

void explain_elementwise(
    detail::ExplainWriter& w, const std::string& verb,
    const std::function<std::string(const std::vector<std::string>&)>& combine) {
  const Shape& out = w.output();
  const std::vector<std::string> y = detail::feature_axes(out);
  std::vector<std::string> terms;
  std::vector<std::string> repeats;
  for (std::size_t i = 0; i < w.input_shapes().size(); ++i) {
    const Shape& s = w.input_shapes()[i];
    const std::string name = "x" + std::to_string(i + 1);
    // An input of lower rank gets size-1 axes right after its batch axis.
    const int missing = out.rank() - s.rank();
    std::vector<std::string> axes{"b"};
    std::vector<std::string> repeated;
    for (int a = 1; a < out.rank(); ++a) {
      const int k = a - missing;
      if (k < 1) {
        repeated.push_back(y[static_cast<std::size_t>(a)]);
      } else if (s[k] == 1 && out[a] != 1) {
        axes.push_back("0");
        repeated.push_back(y[static_cast<std::size_t>(a)]);
      } else {
        axes.push_back(y[static_cast<std::size_t>(a)]);
      }
    }
    terms.push_back(detail::indexed(name, axes));
    if (!repeated.empty()) {
      repeats.push_back(name + " " + s.to_string() + " is repeated along " +
                        detail::joined(repeated, ", "));
    }
  }
  w.formula(detail::indexed("y", y) + " = " + combine(terms));
  const bool names_inputs = verb.find("x1") != std::string::npos;
  w.note(verb + (names_inputs ? "" : " the " + std::to_string(terms.size()) + " inputs") +
         ", value by value; no weights");
  for (const std::string& r : repeats) w.note(r);
}

// ---- ElementwiseMergeImpl ----

ElementwiseMergeImpl::ElementwiseMergeImpl(std::string class_name, std::string verb,
                                           const std::string& name, bool trainable)
    : LayerImpl(std::move(class_name), name, trainable), verb_(std::move(verb)) {}

void ElementwiseMergeImpl::check_count(const std::vector<Shape>&) const {}

void ElementwiseMergeImpl::build(const std::vector<Shape>& input_shapes) {
  compute_output_shape(input_shapes);  // validates
}

std::vector<Shape> ElementwiseMergeImpl::compute_output_shape(
    const std::vector<Shape>& input_shapes) {
  if (input_shapes.empty()) throw Error(describe() + " needs a list of at least one input.");
  check_count(input_shapes);
  const std::int64_t batch = merged_batch_size(*this, input_shapes);
  Shape out = input_shapes[0].without_batch();
  for (std::size_t i = 1; i < input_shapes.size(); ++i) {
    out = broadcast(out, input_shapes[i].without_batch(), input_shapes);
  }
  return {out.prepend(batch)};
}

Shape ElementwiseMergeImpl::broadcast(const Shape& a, const Shape& b,
                                      const std::vector<Shape>& all) const {
  if (a.rank() < b.rank()) return broadcast(b, a, all);
  const int lead = a.rank() - b.rank();
  std::vector<std::int64_t> out(a.begin(), a.begin() + lead);
  for (int k = 0; k < b.rank(); ++k) {
    const std::int64_t i = a[lead + k];
    const std::int64_t j = b[k];
    if (i == None || j == None) {
      out.push_back(None);
    } else if (i == 1 || j == 1 || i == j) {
      out.push_back(i == 1 ? j : i);
    } else {
      throw Error(describe() + " cannot " + verb_ + " inputs of shapes " + format_shapes(all) +
                  ": their non-batch shapes " + a.to_string() + " and " + b.to_string() +
                  " do not broadcast (dimensions " + std::to_string(i) + " and " +
                  std::to_string(j) + " differ and neither is 1).");
    }
  }
  return Shape(out);
}

std::vector<Tensor> ElementwiseMergeImpl::call(const std::vector<Tensor>& inputs,
                                               const CallContext& ctx) {
  std::vector<Shape> shapes;
  int max_rank = 0;
  for (const Tensor& x : inputs) {
    shapes.push_back(x.shape());
    max_rank = std::max(max_rank, x.rank());
  }
  compute_output_shape(shapes);  // the same errors as a symbolic call
  std::vector<Tensor> xs = in_one_dtype(inputs);
  // Keras aligns inputs of lower rank by adding axes after the batch axis.
  for (Tensor& x : xs) {
    while (x.rank() < max_rank) x = ops::expand_dims(x, 1);
  }
  std::vector<std::optional<Tensor>> masks;
  if (ctx.masks.size() == inputs.size()) masks = ctx.masks;
  return {merge(xs, masks)};
}

std::vector<std::optional<Tensor>> ElementwiseMergeImpl::compute_mask(
    const std::vector<Tensor>&, const std::vector<std::optional<Tensor>>& masks) const {
  return or_of_masks(masks);
}

}  // namespace keras::layers
