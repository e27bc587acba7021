#include "layers/conv_utils.hpp"

#include <algorithm>
#include <cctype>

#include "layers/layer_factory.hpp"
#include "layers/layer_utils.hpp"

namespace keras::layers {

Padding2D::Padding2D(const IntTuple& height, const IntTuple& width) {
  const IntTuple* sides[2] = {&height, &width};
  for (int axis = 0; axis < 2; ++axis) {
    const std::vector<std::int64_t>& v = sides[axis]->values;
    if (v.size() != 1 && v.size() != 2) {
      throw Error(std::string("padding/cropping: the ") + (axis == 0 ? "height" : "width") +
                  " entry must be one int or a pair (before, after), got " +
                  std::to_string(v.size()) + " values.");
    }
    values[axis] = {v[0], v.size() == 2 ? v[1] : v[0]};
  }
}

std::vector<std::int64_t> standardize_tuple(const std::string& layer, const IntTuple& value,
                                            int rank, const std::string& what, bool allow_zero) {
  const std::vector<std::int64_t>& v = value.values;
  if (v.size() != 1 && v.size() != static_cast<std::size_t>(rank)) {
    throw Error(layer + ": the `" + what + "` argument must be an int or a tuple of " +
                std::to_string(rank) + " integers. Received " + what + "=" + format_dims(v) + ".");
  }
  std::vector<std::int64_t> out(static_cast<std::size_t>(rank), v[0]);
  if (v.size() == static_cast<std::size_t>(rank)) out = v;
  for (std::int64_t x : out) {
    if (x < 0 || (x == 0 && !allow_zero)) {
      throw Error(layer + ": the `" + what + "` argument must hold " +
                  (allow_zero ? "non-negative" : "positive") + " integers. Received " + what + "=" +
                  format_dims(out) + ".");
    }
  }
  return out;
}

std::string standardize_padding(const std::string& layer, const std::string& padding,
                                bool allow_causal) {
  std::string p = padding;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (p == "valid" || p == "same" || (allow_causal && p == "causal")) return p;
  throw Error(layer + ": the `padding` argument must be one of \"valid\", \"same\"" +
              (allow_causal ? std::string(", \"causal\"") : std::string()) +
              ". Received: padding=\"" + padding + "\".");
}

std::string standardize_data_format(const std::string& layer, const std::string& data_format) {
  if (data_format == "channels_last" || data_format == "channels_first") return data_format;
  throw Error(layer +
              ": the `data_format` argument must be one of \"channels_first\", "
              "\"channels_last\". Received: data_format=\"" +
              data_format + "\".");
}

void check_strides_dilation(const std::string& layer, const std::vector<std::int64_t>& strides,
                            const std::vector<std::int64_t>& dilation_rate) {
  if (*std::max_element(strides.begin(), strides.end()) > 1 &&
      *std::max_element(dilation_rate.begin(), dilation_rate.end()) > 1) {
    throw Error(layer +
                ": `strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                "Received: strides=" +
                format_dims(strides) + " and dilation_rate=" + format_dims(dilation_rate) + ".");
  }
}

namespace {

// The 1-D layer of a 2-D one and back (Conv2D <-> Conv1D), when kerascpp has it.
std::string sibling(const std::string& class_name, int spatial) {
  const std::string from = spatial == 2 ? "2D" : "1D";
  const std::string to = spatial == 2 ? "1D" : "2D";
  const std::size_t at = class_name.rfind(from);
  if (at == std::string::npos) return "";
  const std::string other = class_name.substr(0, at) + to + class_name.substr(at + 2);
  const auto known = registered_layer_classes();
  return std::find(known.begin(), known.end(), other) != known.end() ? other : "";
}

// The usual reasons for a wrong rank, and their fixes.
std::string spatial_rank_hint(const std::string& class_name, const Shape& shape, int spatial,
                              bool channels_first) {
  const Shape sample = shape.without_batch();
  const std::string one = sibling(class_name, spatial);
  if (spatial == 2 && shape.rank() == 3) {
    const Shape with_channel = channels_first ? sample.prepend(1) : sample.append(1);
    std::string dims = with_channel.to_string();
    dims = "{" + dims.substr(1, dims.size() - 2) + "}";
    return " Images need a channel axis: for one channel, add Reshape(" + dims +
           ") first or give the Input the shape " + dims + "" +
           (one.empty() ? "" : "; for (batch, steps, features) sequences use " + one) + ".";
  }
  if (spatial == 2 && shape.rank() == 2) {
    return " The input is flat: Reshape it into (height, width, channels) first.";
  }
  if (spatial == 2 && shape.rank() == 5) {
    return " For a sequence of images, apply it to each one: TimeDistributed(" + class_name +
           "(...)).";
  }
  if (spatial == 1 && shape.rank() == 2) {
    std::string dims = sample.append(1).to_string();
    dims = "{" + dims.substr(1, dims.size() - 2) + "}";
    return " A sequence needs a feature axis: for one feature per step, add Reshape(" + dims +
           ") first or give the Input the shape " + dims + ".";
  }
  if (spatial == 1 && shape.rank() == 4 && !one.empty()) {
    return " For images use " + one + ".";
  }
  return "";
}

}  // namespace

void check_spatial_rank(const LayerImpl& layer, const Shape& shape, int spatial,
                        bool channels_first) {
  if (shape.rank() == spatial + 2) return;
  std::string layout;
  if (spatial == 1) {
    layout = channels_first ? "(batch, channels, steps)" : "(batch, steps, channels)";
  } else {
    layout =
        channels_first ? "(batch, channels, height, width)" : "(batch, height, width, channels)";
  }
  throw Error(layer.describe() + " expects inputs of rank " + std::to_string(spatial + 2) + " " +
              layout + ", got shape " + shape.to_string() + "." +
              spatial_rank_hint(layer.class_name(), shape, spatial, channels_first));
}

WindowIndices window_indices(const Shape& input, const Shape& output, int spatial,
                             bool channels_first, const std::vector<std::int64_t>& size,
                             const std::vector<std::int64_t>& strides,
                             const std::vector<std::int64_t>& dilation, const std::string& padding,
                             const std::string& in_channel, const std::string& out_channel) {
  static const std::vector<std::string> kOne{"t"}, kTwo{"h", "w"}, kWindowOne{"k"},
      kWindowTwo{"i", "j"};
  const std::vector<std::string>& letters = spatial == 1 ? kOne : kTwo;
  WindowIndices out;
  out.window = spatial == 1 ? kWindowOne : kWindowTwo;
  const int first = channels_first ? 2 : 1;
  std::vector<std::string> in_spatial, out_spatial;
  for (int a = 0; a < spatial; ++a) {
    const std::size_t i = static_cast<std::size_t>(a);
    const std::int64_t s = strides.size() > i ? strides[i] : strides.at(0);
    const std::int64_t d = dilation.size() > i ? dilation[i] : dilation.at(0);
    const std::int64_t k = size.size() > i ? size[i] : size.at(0);
    std::int64_t before = 0;
    if (padding == "causal") {
      before = (k - 1) * d;
    } else if (padding == "same") {
      const std::int64_t n = input[first + a], m = output[first + a];
      if (n != None && m != None) {
        before = std::max<std::int64_t>((m - 1) * s + (k - 1) * d + 1 - n, 0) / 2;
      }
    }
    std::string position = letters[i] + (s > 1 ? "*" + std::to_string(s) : "") + " + " +
                           out.window[i] + (d > 1 ? "*" + std::to_string(d) : "");
    if (before > 0) position += " - " + std::to_string(before);
    in_spatial.push_back(position);
    out_spatial.push_back(letters[i]);
    out.sizes += (a ? " x " : "") + std::to_string(k);
    const std::int64_t m = output[first + a];
    out.positions += (a ? " x " : "") + (m == None ? std::string("None") : std::to_string(m));
  }
  if (spatial > 1 && output.slice(first, first + spatial).is_fully_defined()) {
    out.positions += " = " + std::to_string(output.slice(first, first + spatial).num_elements());
  }
  out.output = {"b"};
  out.input = {"b"};
  if (channels_first) {
    out.output.push_back(out_channel);
    out.input.push_back(in_channel);
  }
  out.output.insert(out.output.end(), out_spatial.begin(), out_spatial.end());
  out.input.insert(out.input.end(), in_spatial.begin(), in_spatial.end());
  if (!channels_first) {
    out.output.push_back(out_channel);
    out.input.push_back(in_channel);
  }
  return out;
}

std::string stride_phrase(const std::vector<std::int64_t>& strides) {
  const bool same =
      std::all_of(strides.begin(), strides.end(), [&](std::int64_t s) { return s == strides[0]; });
  if (same && strides[0] == 1) return "";
  if (same) return " with stride " + std::to_string(strides[0]);
  return " with strides " + format_dims(strides);
}

std::string padding_note(const std::string& padding, const std::string& outside) {
  if (padding == "same") {
    return "padding=\"same\": the output keeps the input's size (divided by the stride); " +
           outside;
  }
  if (padding == "causal") {
    return "padding=\"causal\": step t sees only steps up to t; " + outside;
  }
  return "";
}

std::int64_t channel_dim(const Shape& shape, bool channels_first) {
  return channels_first ? shape[1] : shape[-1];
}

void check_channels(const LayerImpl& layer, const Shape& shape, bool channels_first,
                    std::int64_t expected) {
  const std::int64_t got = channel_dim(shape, channels_first);
  if (got == expected || got == None) return;
  throw Error(layer.describe() + " expects inputs with " + std::to_string(expected) +
              " channels (axis " + (channels_first ? "1" : "-1") + "), got shape " +
              shape.to_string() + ".");
}

IntTuple tuple_field(const LayerConfig& c, const std::string& field) {
  if (c.has(field) && c.raw().at(field).is_array()) return IntTuple(c.integers(field));
  return IntTuple(c.integer(field));
}

IntTuple tuple_field(const LayerConfig& c, const std::string& field, const IntTuple& fallback) {
  return c.has(field) ? tuple_field(c, field) : fallback;
}

std::optional<IntTuple> optional_tuple_field(const LayerConfig& c, const std::string& field) {
  if (!c.has(field)) return std::nullopt;
  return tuple_field(c, field);
}

Padding2D padding2d_field(const LayerConfig& c, const std::string& field,
                          const Padding2D& fallback) {
  if (!c.has(field)) return fallback;
  const json& v = c.raw().at(field);
  if (v.is_number_integer()) return Padding2D(v.get<std::int64_t>());
  if (!v.is_array() || v.size() != 2) {
    throw Error(c.where(field) +
                " must be an int, [height, width] or [[top, bottom], [left, "
                "right]], got " +
                v.dump() + ".");
  }
  IntTuple sides[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const json& side = v[static_cast<std::size_t>(i)];
    if (side.is_number_integer()) {
      sides[i] = IntTuple(side.get<std::int64_t>());
    } else if (side.is_array() && side.size() == 2 && side[0].is_number_integer() &&
               side[1].is_number_integer()) {
      sides[i] = IntTuple{side[0].get<std::int64_t>(), side[1].get<std::int64_t>()};
    } else {
      throw Error(c.where(field) +
                  " must be an int, [height, width] or [[top, bottom], [left, "
                  "right]], got " +
                  v.dump() + ".");
    }
  }
  return Padding2D(sides[0], sides[1]);
}

}  // namespace keras::layers
