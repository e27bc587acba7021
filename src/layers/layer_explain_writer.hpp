#pragma once
// Explaining a layer call in words and index notation: what each layer's
// LayerImpl::explain writes (next to its call()) and what Model::explain
// prints. One block per call:
//
//   dense (Dense): (None, 20, 5) -> (None, 20, 10)
//     y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]
//     contracts the last axis (5 -> 10); the same kernel is used at each of the 20 positions
//     params: kernel (5, 10) = 50 + bias (10,) = 10 -> 60
//
// A layer writes the formula lines and sentences; the writer adds the header,
// the sub-layers' blocks (indented) and the parameter arithmetic, which it
// reads from the layer's weights. Axis names are letters: b the batch, t one
// axis between the batch and the last (positions, time steps), h, w two such
// axes, d, h, w three, i, j, k, ... more; the layer names the axes it works on
// (c input features, u units, e embedding, f filters).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::detail {

class ExplainWriter {
 public:
  ExplainWriter(const LayerImpl& layer, std::vector<Shape> input_shapes,
                std::vector<Shape> output_shapes);

  const LayerImpl& layer() const { return *layer_; }
  const std::vector<Shape>& input_shapes() const { return input_shapes_; }
  const std::vector<Shape>& output_shapes() const { return output_shapes_; }
  // The first input's and output's shapes; throw keras::Error when there is none.
  const Shape& input() const;
  const Shape& output() const;

  // The operation in index notation: "y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]".
  ExplainWriter& formula(const std::string& text);
  // A sentence in words, without a final full stop.
  ExplainWriter& note(const std::string& text);
  // The layer's own rule for its parameter count, shown under the weights:
  // "4 * units * (input_dim + units + 1) = 4 * 75 * (64 + 75 + 1) = 42,000".
  ExplainWriter& params_rule(const std::string& text);
  // A sub-layer explained as a block inside this one, for a call with these
  // shapes (a wrapper's inner layer, a nested model's layers). The parameter
  // line then names the sub-layers instead of listing their weights.
  ExplainWriter& sublayer(const LayerImpl& layer, std::vector<Shape> input_shapes,
                          std::vector<Shape> output_shapes);
  // A sub-layer's block made beforehand (explain_calls).
  ExplainWriter& sublayer(ExplainWriter block);
  // What LayerImpl::explain does by default: the block says that kerascpp
  // cannot explain this class yet.
  void unexplained() { explained_ = false; }
  bool explained() const { return explained_; }
  // Whether the layer wrote at least one formula.
  bool has_formula() const { return formulas_ > 0; }

  // The whole block, each line indented by `indent` spaces, ending in "\n".
  std::string text(int indent = 0) const;

 private:
  std::string params_line() const;

  const LayerImpl* layer_;
  std::vector<Shape> input_shapes_;
  std::vector<Shape> output_shapes_;
  std::vector<std::string> lines_;
  std::vector<std::string> rules_;
  std::vector<ExplainWriter> sublayers_;
  int formulas_ = 0;
  bool explained_ = true;
};

// ---- What layers use to write their lines ----

// "1,234,567".
std::string with_commas(std::int64_t n);
// "1 row", "2 rows": the count and the noun, plural unless the count is 1.
std::string plural(std::int64_t n, const std::string& noun);
// "None" or the number.
std::string dim(std::int64_t d);
// Axis names for a tensor of this shape: "b" for the batch axis, the letters
// of the axes between (see above), then `trailing` for the last axes.
// axis_names((None, 20, 5), {"c"}) is {"b", "t", "c"}. Throws keras::Error
// when the shape has fewer axes than 1 + trailing.size().
std::vector<std::string> axis_names(const Shape& shape, const std::vector<std::string>& trailing);
// The axes of a tensor whose last axis holds features: axis_names(shape,
// {"c"}), or {"b"} for a tensor of rank 1.
std::vector<std::string> feature_axes(const Shape& shape);
// The axes of a tensor whose channels are on `axis` (non-negative), named c.
std::vector<std::string> channel_axes(const Shape& shape, int axis);
// The axes other than `skip`s.
std::vector<std::string> without(const std::vector<std::string>& axes,
                                 const std::vector<std::string>& skip);
// Letters for n axes in general position (Flatten, Reshape, Permute): i, j, k, ...
std::vector<std::string> letters(int n, const std::string& first = "i");
// "x[b,t,c]"; "x[b, h*2 + i, c]" when an index is an expression.
std::string indexed(const std::string& tensor, const std::vector<std::string>& axes);
// The axes joined with commas: "b,t".
std::string joined(const std::vector<std::string>& axes, const std::string& separator = ",");
// How many positions axes [begin, end) of the shape hold, in words: "20
// positions", "28 x 28 = 784 positions", "any number of positions" (None);
// empty when the range is empty.
std::string positions(const Shape& shape, int begin, int end);
// The sizes of axes [begin, end) of the shape and their product: "3 x 16 =
// 48", "20" for one axis, "28 x None" when one is unknown.
std::string grid(const Shape& shape, int begin, int end);
// "the same kernel is used at each of the 20 positions": the sentence that
// says a weight is shared over axes [1, rank - 1) of the shape; empty when
// there are no such axes.
std::string shared_over_positions(const std::string& what, const Shape& shape);
// The activation applied to an expression: "relu(expr)"; expr for "linear".
std::string activated(const std::string& activation, const std::string& expression);
// Index notation of the row-major position of axes with these sizes:
// row_major({"i", "j", "k"}, {28, 28, 3}) is "i*84 + j*3 + k".
std::string row_major(const std::vector<std::string>& axes, const std::vector<std::int64_t>& dims);
// What the axes stand for: "b: batch (any size), t: 2, c: 3".
std::string axes_legend(const Shape& shape, const std::vector<std::string>& axes);
// A number as Python prints a float, to 6 significant digits: "0.3", "1e-07";
// a value that 6 digits do not hold exactly but 1/n does is written "1/255".
std::string number(double value);
// What an activation does, in words: "applies relu to each value on its
// own", or for softmax "normalises over the last axis (c): ...".
std::string activation_note(const std::string& activation, const std::vector<std::string>& axes);
// The activation applied to x[axes]: "relu(x[b,c])", "exp(x[b,c]) / sum_k exp(x[b,k])".
std::string activation_formula(const std::string& activation, const std::string& tensor,
                               const std::vector<std::string>& axes);
// "(None, 3)" or "[(None, 3), (None, 4)]".
std::string shapes_text(const std::vector<Shape>& shapes);

// ---- Explaining layers and models ----

// The shapes of one call of a layer.
struct CallShapes {
  std::vector<Shape> inputs;
  std::vector<Shape> outputs;
};
// The layer's calls, from its symbolic calls (inbound nodes) when it has
// any, else from the shapes it was built for; empty when neither is known.
// keep() selects the nodes that count (a model's own); empty: all.
std::vector<CallShapes> layer_calls(LayerImpl& layer,
                                    const std::function<bool(const Node&)>& keep = {});
// A writer filled with the layer's explanation of this call. Models
// (Functional, Sequential) are explained as the sequence of their layers.
ExplainWriter explain_call(const LayerImpl& layer, const CallShapes& call);
// The first call explained and the others listed (a shared layer); a block
// that says "not called yet" when no call is known.
ExplainWriter explain_calls(const LayerImpl& layer, const std::vector<CallShapes>& calls);
// The block of a layer in a model: its first call explained, its other
// calls listed; "not called yet" when no call is known.
std::string explain_layer(const LayerImpl& layer, const std::vector<CallShapes>& calls,
                          int indent = 0);

}  // namespace keras::detail
