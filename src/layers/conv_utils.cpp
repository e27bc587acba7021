#include "layers/conv_utils.hpp"

#include <algorithm>
#include <cctype>

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
              layout + ", got shape " + shape.to_string() + ".");
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
