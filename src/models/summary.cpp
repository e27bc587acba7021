#include "models/summary.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <unordered_set>

#include "keras/layers/input_layer.hpp"
#include "models/summary_table.hpp"

namespace keras::detail {

namespace {

// COLUMNS as Python's int() reads it; 0 when unset or not a number.
int columns_from_env(bool digits_only) {
  const char* env = std::getenv("COLUMNS");
  if (env == nullptr) return 0;
  std::string s(env);
  if (digits_only) {
    if (s.empty()) return 0;
    for (char c : s) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
    }
  }
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  while (end && *end && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (end == s.c_str() || (end && *end)) return 0;
  return v > 0 && v < 100000 ? static_cast<int>(v) : 0;
}

int tty_columns(int fd) {
  if (!isatty(fd)) return 0;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
  return ws.ws_col;
}

std::string with_commas(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// Keras' readable_memory_size.
std::string readable_size(double bytes) {
  static const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  for (const char* unit : units) {
    if (bytes / 1024 < 1) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f %s", bytes, unit);
      return buf;
    }
    bytes /= 1024;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %s", bytes, units[5]);
  return buf;
}

std::int64_t count_elements(const std::vector<Variable>& ws) {
  std::int64_t n = 0;
  for (const auto& w : ws) n += w.shape().num_elements();
  return n;
}

double memory_size(const std::vector<Variable>& ws) {
  std::unordered_set<const void*> seen;
  double bytes = 0;
  for (const auto& w : ws) {
    if (!seen.insert(w.id()).second) continue;
    // Keras on JAX (x64 off) holds int64 variables, such as the optimizer's
    // iteration count, in int32: 4 bytes each in its summary.
    const std::size_t size = w.dtype() == DType::int64 ? 4 : dtype_size(w.dtype());
    bytes += static_cast<double>(w.shape().num_elements()) * static_cast<double>(size);
  }
  return bytes;
}

// "(None, 3, 16)": Keras joins the dimensions itself, so (4,) prints "(4)".
std::string format_shape(const Shape& s) {
  std::string out = "(";
  for (int i = 0; i < s.rank(); ++i) {
    if (i) out += ", ";
    out += s[i] == None ? "None" : std::to_string(s[i]);
  }
  return out + ")";
}

std::string format_shapes(const std::vector<Shape>& shapes) {
  if (shapes.size() == 1) return format_shape(shapes[0]);
  std::string out = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) out += (i ? ", " : "") + format_shape(shapes[i]);
  return out + "]";
}

// Keras' format_layer_shape: the outputs of the layer's last call, else the
// shape its build shapes give, else "?".
std::string format_layer_shape(LayerImpl& layer) {
  const auto nodes = layer.inbound_nodes();
  if (!nodes.empty()) return format_shapes(nodes.back()->output_shapes);
  if (layer.build_shapes().empty()) return "?";
  try {
    return format_shapes(layer.compute_output_shape(layer.build_shapes()));
  } catch (const Error&) {
    return "?";
  }
}

struct Style {
  bool sequential_like = true;
  const Graph* graph = nullptr;  // for "Connected to"
};

// Keras prints a Functional model in 3 columns when each depth has one node
// with one input and no layer is called twice.
Style summary_style(const FunctionalImpl& model) {
  Style style;
  if (model.is_sequential() || !model.has_graph()) return style;
  const Graph& g = model.graph();
  std::unordered_set<const Node*> nodes;
  for (const auto& depth : g.nodes_by_depth) {
    if (depth.size() > 1 || (depth.size() == 1 && input_tensors(*depth[0]).size() > 1)) {
      style.sequential_like = false;
      break;
    }
    for (const auto& n : depth) nodes.insert(n.get());
  }
  if (style.sequential_like) {
    for (const auto& layer : model.layers()) {
      int calls = 0;
      for (const auto& n : layer->inbound_nodes()) calls += nodes.count(n.get()) ? 1 : 0;
      if (calls > 1) {
        style.sequential_like = false;
        break;
      }
    }
  }
  if (!style.sequential_like) style.graph = &g;
  return style;
}

std::string connections(LayerImpl& layer, const Graph& g) {
  std::string out;
  for (const auto& node : layer.inbound_nodes()) {
    if (!g.contains(node.get())) continue;
    for (const auto& x : input_tensors(*node)) {
      if (!out.empty()) out += ", ";
      out += x.layer().name() + "[" + std::to_string(x.node()->node_index) + "][" +
             std::to_string(x.tensor_index()) + "]";
    }
  }
  return out.empty() ? "-" : out;
}

void add_rows(LayerImpl& layer, int level, const Style& style, const SummaryOptions& options,
              std::vector<std::vector<std::string>>& rows) {
  std::string prefix;
  if (level > 0) {
    for (int i = 0; i < level; ++i) prefix += "   ";
    prefix += "\u2514 ";  // └
  }
  std::vector<std::string> row;
  row.push_back(prefix + layer.name() + " (" + layer.class_name() + ")");
  row.push_back(format_layer_shape(layer));
  row.push_back(layer.built() ? with_commas(layer.count_params()) : "0 (unbuilt)");
  if (!style.sequential_like) row.push_back(connections(layer, *style.graph));
  if (options.show_trainable) {
    row.push_back(layer.weights().empty() ? "-" : (layer.trainable() ? "Y" : "N"));
  }
  rows.push_back(std::move(row));
  if (!options.expand_nested) return;
  if (const FunctionalImpl* inner = as_model(&layer)) {
    for (const auto& sub : inner->layers()) add_rows(*sub, level + 1, style, options, rows);
  }
}

// Keras' get_layer_index_bound_by_layer_name: [first, last + 1) of the
// layers whose names match (re.match) the two patterns.
std::pair<std::size_t, std::size_t> layer_bounds(
    const std::vector<std::shared_ptr<LayerImpl>>& layers,
    const std::optional<std::pair<std::string, std::string>>& range) {
  if (!range) return {0, layers.size()};
  auto matches = [&](const std::string& pattern) {
    std::vector<std::size_t> out;
    std::regex re;
    try {
      re = std::regex(pattern);
    } catch (const std::regex_error& e) {
      throw Error("summary: layer_range pattern \"" + pattern +
                  "\" is not a valid regex: " + e.what());
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (std::regex_search(layers[i]->name(), re, std::regex_constants::match_continuous)) {
        out.push_back(i);
      }
    }
    return out;
  };
  const auto lower = matches(range->first);
  const auto upper = matches(range->second);
  if (lower.empty() || upper.empty()) {
    throw Error("Passed layer_names do not match the layer names in the model. Received: ('" +
                range->first + "', '" + range->second + "')");
  }
  if (lower.front() > upper.back()) return {upper.front(), lower.back() + 1};
  return {lower.front(), upper.back() + 1};
}

}  // namespace

int terminal_columns() {
  if (int c = columns_from_env(false)) return c;
  if (int c = tty_columns(STDOUT_FILENO)) return c;
  return 80;
}

int console_columns() {
  if (int c = columns_from_env(true)) return c;
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (isatty(fd)) {
      const int c = tty_columns(fd);
      return c > 0 ? c : 80;
    }
  }
  return 80;
}

std::string print_summary(const FunctionalImpl& model, const SummaryOptions& options) {
  const Style style = summary_style(model);
  int default_length = style.sequential_like ? 88 : 108;
  std::vector<double> positions = options.positions;
  std::vector<rich::Column> columns = {{"Layer (type)", rich::Justify::left},
                                       {"Output Shape", rich::Justify::left},
                                       {"Param #", rich::Justify::right}};
  if (!style.sequential_like) columns.push_back({"Connected to", rich::Justify::left});
  if (positions.empty()) {
    positions = style.sequential_like ? std::vector<double>{0.45, 0.80, 1.0}
                                      : std::vector<double>{0.3, 0.56, 0.74, 1.0};
  }
  if (positions.size() != columns.size()) {
    throw Error("summary: positions has " + std::to_string(positions.size()) +
                " entries, but the table has " + std::to_string(columns.size()) + " columns.");
  }
  if (options.show_trainable) {
    default_length += 12;
    for (double& p : positions) p *= 0.90;
    positions.push_back(1.0);
    columns.push_back({"Trainable", rich::Justify::center});
  }
  default_length = std::min(default_length, terminal_columns() - 4);
  const int line_length = options.line_length != 0 ? options.line_length : default_length;
  int current = 0;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const int width = static_cast<int>(positions[i] * line_length) - current;
    if (width < 4) throw Error("Insufficient console width to print summary.");
    columns[i].width = width;
    current += width;
  }

  // A Functional lists its operations (the ops of its masks too), a
  // Sequential its layers, as Keras' print_summary.
  const std::vector<std::shared_ptr<LayerImpl>> layers =
      model.is_sequential() || !model.has_graph() ? model.layers() : model.graph().operations;
  const auto [first, last] = layer_bounds(layers, options.layer_range);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = first; i < last; ++i) add_rows(*layers[i], 0, style, options, rows);

  const std::vector<Variable> trainable = model.trainable_weights();
  const std::vector<Variable> non_trainable = model.non_trainable_weights();
  std::int64_t total = count_elements(trainable) + count_elements(non_trainable);
  double total_bytes = memory_size(trainable) + memory_size(non_trainable);
  std::optional<std::vector<Variable>> optimizer;
  if (model.optimizer_variables) {
    optimizer = model.optimizer_variables();
    total += count_elements(*optimizer);
    total_bytes += memory_size(*optimizer);
  }

  const int console_width = options.console_width > 0 ? options.console_width : console_columns();
  std::string out = rich::print_text("Model: \"" + model.name() + "\"", console_width);
  out += rich::crop_lines(rich::render_table(columns, rows, line_length), console_width);
  auto footer = [&](const std::string& label, std::int64_t n, double bytes) {
    out += rich::print_text(
        " " + label + " params: " + with_commas(n) + " (" + readable_size(bytes) + ")",
        console_width);
  };
  footer("Total", total, total_bytes);
  footer("Trainable", count_elements(trainable), memory_size(trainable));
  footer("Non-trainable", count_elements(non_trainable), memory_size(non_trainable));
  if (optimizer) footer("Optimizer", count_elements(*optimizer), memory_size(*optimizer));
  return out;
}

}  // namespace keras::detail
