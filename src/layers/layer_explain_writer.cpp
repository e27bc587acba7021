// ExplainWriter and the helpers layers use to explain a call (see
// layer_explain_writer.hpp for the format).
#include "layers/layer_explain_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "keras/error.hpp"

namespace keras::detail {

ExplainWriter::ExplainWriter(const LayerImpl& layer, std::vector<Shape> input_shapes,
                             std::vector<Shape> output_shapes)
    : layer_(&layer),
      input_shapes_(std::move(input_shapes)),
      output_shapes_(std::move(output_shapes)) {}

const Shape& ExplainWriter::input() const {
  if (input_shapes_.empty()) throw Error(layer_->describe() + ": no input shape to explain.");
  return input_shapes_[0];
}

const Shape& ExplainWriter::output() const {
  if (output_shapes_.empty()) throw Error(layer_->describe() + ": no output shape to explain.");
  return output_shapes_[0];
}

ExplainWriter& ExplainWriter::formula(const std::string& text) {
  lines_.push_back(text);
  ++formulas_;
  return *this;
}

ExplainWriter& ExplainWriter::note(const std::string& text) {
  lines_.push_back(text);
  return *this;
}

ExplainWriter& ExplainWriter::params_rule(const std::string& text) {
  rules_.push_back(text);
  return *this;
}

ExplainWriter& ExplainWriter::sublayer(ExplainWriter block) {
  sublayers_.push_back(std::move(block));
  return *this;
}

ExplainWriter& ExplainWriter::sublayer(const LayerImpl& layer, std::vector<Shape> input_shapes,
                                       std::vector<Shape> output_shapes) {
  return sublayer(explain_call(layer, {std::move(input_shapes), std::move(output_shapes)}));
}

namespace {

std::string weight_term(const Variable& v, bool layer_trainable) {
  std::string term =
      v.name() + " " + v.shape().to_string() + " = " + with_commas(v.shape().num_elements());
  if (!v.trainable() || !layer_trainable) term += " (non-trainable)";
  return term;
}

}  // namespace

std::string ExplainWriter::params_line() const {
  if (!layer_->built()) return "none yet (the layer is not built)";
  std::vector<std::string> terms;
  std::int64_t listed = 0;
  auto add_weights = [&](const std::vector<Variable>& weights) {
    for (const Variable& v : weights) {
      terms.push_back(weight_term(v, layer_->trainable()));
      listed += v.shape().num_elements();
    }
  };
  if (sublayers_.empty()) {
    add_weights(layer_->weights());
  } else {
    // The sub-layers' blocks list their weights: here each counts as one term.
    add_weights(layer_->own_weights());
    std::vector<const LayerImpl*> seen;
    for (const ExplainWriter& sub : sublayers_) {
      const LayerImpl& s = sub.layer();
      if (std::find(seen.begin(), seen.end(), &s) != seen.end()) continue;
      seen.push_back(&s);
      const std::int64_t n = s.count_params();
      if (n == 0) continue;
      terms.push_back(s.name() + ": " + with_commas(n));
      listed += n;
    }
    const std::int64_t total = layer_->count_params();
    if (listed != total) terms.push_back("other weights: " + with_commas(total - listed));
  }
  if (terms.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < terms.size(); ++i) out += (i ? " + " : "") + terms[i];
  if (terms.size() > 1) out += " -> " + with_commas(layer_->count_params());
  return out;
}

std::string ExplainWriter::text(int indent) const {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = pad + layer_->name() + " (" + layer_->class_name() + "): ";
  if (output_shapes_.empty()) {
    out += "not called yet: kerascpp explains a layer once it knows its input shape\n";
    return out;
  }
  if (!input_shapes_.empty()) out += shapes_text(input_shapes_) + " -> ";
  out += shapes_text(output_shapes_) + "\n";
  if (!explained_ && lines_.empty()) {
    out += pad + "  (kerascpp cannot explain " + layer_->class_name() + " layers yet)\n";
  }
  for (const std::string& line : lines_) out += pad + "  " + line + "\n";
  for (const ExplainWriter& sub : sublayers_) out += sub.text(indent + 4);
  out += pad + "  params: " + params_line() + "\n";
  for (const std::string& rule : rules_) out += pad + "  i.e. " + rule + "\n";
  return out;
}

// ---- helpers ----

std::string with_commas(std::int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string plural(std::int64_t n, const std::string& noun) {
  return with_commas(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string dim(std::int64_t d) { return d == None ? "None" : std::to_string(d); }

std::vector<std::string> axis_names(const Shape& shape, const std::vector<std::string>& trailing) {
  const int middle = shape.rank() - 1 - static_cast<int>(trailing.size());
  if (middle < 0) {
    throw Error("axis_names: shape " + shape.to_string() + " has too few axes for " +
                std::to_string(trailing.size()) + " named ones and the batch axis.");
  }
  std::vector<std::string> out{"b"};
  static const std::vector<std::string> kOne{"t"};
  static const std::vector<std::string> kTwo{"h", "w"};
  static const std::vector<std::string> kThree{"d", "h", "w"};
  static const std::vector<std::string> kMany{"i", "j", "k", "l", "m", "n", "o", "p", "q", "r"};
  const std::vector<std::string>& letters = middle == 1   ? kOne
                                            : middle == 2 ? kTwo
                                            : middle == 3 ? kThree
                                                          : kMany;
  for (int i = 0; i < middle; ++i) {
    out.push_back(i < static_cast<int>(letters.size()) ? letters[static_cast<std::size_t>(i)]
                                                       : "i" + std::to_string(i));
  }
  out.insert(out.end(), trailing.begin(), trailing.end());
  return out;
}

std::vector<std::string> feature_axes(const Shape& shape) {
  return shape.rank() >= 2 ? axis_names(shape, {"c"}) : axis_names(shape, {});
}

std::vector<std::string> channel_axes(const Shape& shape, int axis) {
  if (axis == shape.rank() - 1) return feature_axes(shape);
  std::vector<std::string> out = axis_names(shape, {});
  out.at(static_cast<std::size_t>(axis)) = "c";
  return out;
}

std::vector<std::string> without(const std::vector<std::string>& axes,
                                 const std::vector<std::string>& skip) {
  std::vector<std::string> out;
  for (const std::string& a : axes) {
    if (std::find(skip.begin(), skip.end(), a) == skip.end()) out.push_back(a);
  }
  return out;
}

std::vector<std::string> letters(int n, const std::string& first) {
  std::vector<std::string> out;
  const char start = first.empty() ? 'i' : first[0];
  for (int i = 0; i < n; ++i) {
    const int c = start + i;
    out.push_back(c <= 'z' ? std::string(1, static_cast<char>(c)) : "a" + std::to_string(i));
  }
  return out;
}

std::string row_major(const std::vector<std::string>& axes, const std::vector<std::int64_t>& dims) {
  std::string out;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    std::int64_t stride = 1;
    bool known = true;
    for (std::size_t j = i + 1; j < dims.size(); ++j) {
      if (dims[j] == None) known = false;
      stride *= dims[j];
    }
    out += (i ? " + " : "") + axes[i];
    if (!known) {
      out += "*(...)";
    } else if (stride != 1) {
      out += "*" + std::to_string(stride);
    }
  }
  return out;
}

std::string axes_legend(const Shape& shape, const std::vector<std::string>& axes) {
  std::string out;
  for (int i = 0; i < shape.rank() && i < static_cast<int>(axes.size()); ++i) {
    out += (i ? ", " : "") + axes[static_cast<std::size_t>(i)] + ": ";
    if (i == 0) {
      out += shape[0] == None ? "batch (any size)" : "batch of " + std::to_string(shape[0]);
    } else {
      out += shape[i] == None ? "any length" : std::to_string(shape[i]);
    }
  }
  return out;
}

std::string number(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  std::string out = buf;
  if (value > 0 && value < 1 && std::strtod(buf, nullptr) != value) {
    const double inverse = 1.0 / value;
    const double rounded = std::round(inverse);
    if (rounded >= 2 && rounded < 1e6 && std::abs(inverse - rounded) < 1e-9 * rounded) {
      return "1/" + std::to_string(static_cast<std::int64_t>(rounded));
    }
  }
  // Python writes floats with a decimal point: 1.0, not 1.
  if (out.find_first_of(".en") == std::string::npos) out += ".0";
  return out;
}

std::string activation_formula(const std::string& activation, const std::string& tensor,
                               const std::vector<std::string>& axes) {
  const std::string x = indexed(tensor, axes);
  if (activation == "softmax" || activation == "log_softmax") {
    std::vector<std::string> other = axes;
    other.back() += "'";
    const std::string ratio =
        "exp(" + x + ") / sum_" + other.back() + " exp(" + indexed(tensor, other) + ")";
    return activation == "softmax" ? ratio : "log(" + ratio + ")";
  }
  return activated(activation, x);
}

std::string activation_note(const std::string& activation, const std::vector<std::string>& axes) {
  if (activation == "softmax" || activation == "log_softmax") {
    const std::vector<std::string> rows(axes.begin(), axes.end() - 1);
    const std::string what = activation == "softmax" ? "the values" : "the exps of the values";
    return activation + " normalises over the last axis (" + axes.back() + "): " + what +
           " along " + axes.back() + " sum to 1 for each " + joined(rows, ", ") +
           "; the shape does not change";
  }
  if (activation.empty() || activation == "linear") {
    return "passes each value through unchanged (linear activation)";
  }
  return "applies " + activation + " to each value on its own; the shape does not change";
}

std::string joined(const std::vector<std::string>& axes, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < axes.size(); ++i) out += (i ? separator : "") + axes[i];
  return out;
}

std::string indexed(const std::string& tensor, const std::vector<std::string>& axes) {
  // Expressions ("h*2 + i") read better apart: x[b, h*2 + i, c].
  const bool spaced = std::any_of(axes.begin(), axes.end(), [](const std::string& a) {
    return a.find(' ') != std::string::npos;
  });
  return tensor + "[" + joined(axes, spaced ? ", " : ",") + "]";
}

std::string grid(const Shape& shape, int begin, int end) {
  if (begin >= end) return "";
  bool known = true;
  std::int64_t count = 1;
  std::string out;
  for (int i = begin; i < end; ++i) {
    out += (i > begin ? " x " : "") + dim(shape[i]);
    if (shape[i] == None) {
      known = false;
    } else {
      count *= shape[i];
    }
  }
  if (known && end - begin > 1) out += " = " + with_commas(count);
  if (known && end - begin == 1) out = with_commas(count);
  return out;
}

std::string positions(const Shape& shape, int begin, int end) {
  if (begin >= end) return "";
  const std::string g = grid(shape, begin, end);
  if (g.find("None") != std::string::npos) return "any number of positions (" + g + ")";
  std::int64_t count = 1;
  for (int i = begin; i < end; ++i) count *= shape[i];
  return g + (count == 1 ? " position" : " positions");
}

std::string shared_over_positions(const std::string& what, const Shape& shape) {
  if (shape.rank() <= 2) return "";
  const std::string where = positions(shape, 1, shape.rank() - 1);
  if (where.rfind("any number", 0) == 0) {
    return "the same " + what + " is used at every position, however many (" +
           where.substr(where.find('(') + 1, where.size() - where.find('(') - 2) + ")";
  }
  return "the same " + what + " is used at each of the " + where;
}

std::string activated(const std::string& activation, const std::string& expression) {
  if (activation.empty() || activation == "linear") return expression;
  return activation + "(" + expression + ")";
}

std::string shapes_text(const std::vector<Shape>& shapes) {
  if (shapes.size() == 1) return shapes[0].to_string();
  std::string out = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    out += (i ? ", " : "") + shapes[i].to_string();
  }
  return out + "]";
}

// ---- layers and models ----

std::vector<CallShapes> layer_calls(LayerImpl& layer,
                                    const std::function<bool(const Node&)>& keep) {
  std::vector<CallShapes> calls;
  for (const auto& node : layer.inbound_nodes()) {
    if (keep && !keep(*node)) continue;
    CallShapes call;
    for (const KerasTensor& x : node->inputs) call.inputs.push_back(x.shape());
    call.outputs = node->output_shapes;
    calls.push_back(std::move(call));
  }
  if (calls.empty() && layer.built() && !layer.build_shapes().empty()) {
    try {
      calls.push_back({layer.build_shapes(), layer.compute_output_shape(layer.build_shapes())});
    } catch (const Error&) {
      // Shapes it cannot answer for: explained as not called.
    }
  }
  return calls;
}

namespace {

bool is_model(const LayerImpl& layer) {
  return layer.class_name() == "Functional" || layer.class_name() == "Sequential";
}

// A model used as a layer: its own layers, in order, each on the shapes of
// its calls inside the model. (FunctionalImpl could explain itself with an
// override; it is done here, from the public graph, so that this file is all
// that explain needs from src/models.)
void explain_model(const LayerImpl& model, ExplainWriter& w) {
  const bool sequential = model.class_name() == "Sequential";
  std::vector<std::shared_ptr<LayerImpl>> layers;
  for (const auto& sub : model.sublayers()) {
    // As model.layers: a Sequential's InputLayer is not one of its layers.
    if (!(sequential && sub->class_name() == "InputLayer")) layers.push_back(sub);
  }
  const std::string count =
      std::to_string(layers.size()) + (layers.size() == 1 ? " layer runs" : " layers run");
  if (sequential) {
    w.note("a Sequential model used as a layer: its " + count + " one after another");
  } else {
    w.note("a Functional model used as a layer: its " + count + " as its graph connects them");
  }
  for (const auto& sub : layers) w.sublayer(explain_calls(*sub, layer_calls(*sub)));
}

}  // namespace

ExplainWriter explain_call(const LayerImpl& layer, const CallShapes& call) {
  ExplainWriter w(layer, call.inputs, call.outputs);
  if (call.outputs.empty()) return w;
  try {
    if (is_model(layer)) {
      explain_model(layer, w);
    } else {
      layer.explain(w);
    }
  } catch (const Error& e) {
    // One layer that cannot explain this call does not stop the others.
    w.unexplained();
    w.note(std::string("(explaining this call failed: ") + e.what() + ")");
  }
  return w;
}

ExplainWriter explain_calls(const LayerImpl& layer, const std::vector<CallShapes>& calls) {
  if (calls.empty()) return ExplainWriter(layer, {}, {});
  ExplainWriter w = explain_call(layer, calls[0]);
  if (calls.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      list += (i ? ", then " : "") + shapes_text(calls[i].inputs) + " -> " +
              shapes_text(calls[i].outputs);
    }
    w.note("called " + std::to_string(calls.size()) +
           " times, with the same weights each time: " + list);
  }
  return w;
}

std::string explain_layer(const LayerImpl& layer, const std::vector<CallShapes>& calls,
                          int indent) {
  return explain_calls(layer, calls).text(indent);
}

}  // namespace keras::detail
