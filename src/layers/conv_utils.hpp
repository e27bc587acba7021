#pragma once
// What the convolution, pooling and spatial reshaping layers share: Keras'
// argument standardisation (standardize_tuple, standardize_padding,
// standardize_data_format), the input checks of their InputSpecs, and the
// config readers for int-or-tuple fields.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/layer.hpp"
#include "keras/layers/int_tuple.hpp"
#include "layers/layer_config.hpp"

namespace keras::layers {

// Exactly `rank` values: one value repeated, or one per axis. Each must be
// > 0 (>= 0 with allow_zero); errors name the layer class and the argument.
std::vector<std::int64_t> standardize_tuple(const std::string& layer, const IntTuple& value,
                                            int rank, const std::string& what,
                                            bool allow_zero = false);
// "valid", "same" (any case) or, with allow_causal, "causal"; lowercased.
std::string standardize_padding(const std::string& layer, const std::string& padding,
                                bool allow_causal = false);
// "channels_last" or "channels_first".
std::string standardize_data_format(const std::string& layer, const std::string& data_format);
// The data_format string a config holds for a layer that keeps a flag.
inline const char* data_format_name(bool channels_first) {
  return channels_first ? "channels_first" : "channels_last";
}
// Keras' conv layers reject strides > 1 together with dilation_rate > 1.
void check_strides_dilation(const std::string& layer, const std::vector<std::int64_t>& strides,
                            const std::vector<std::int64_t>& dilation_rate);

// Inputs of exactly spatial + 2 axes; the message says which layout.
void check_spatial_rank(const LayerImpl& layer, const Shape& shape, int spatial,
                        bool channels_first);
// ---- for explain: a window sliding over the spatial axes, in index notation ----
struct WindowIndices {
  std::vector<std::string> output;  // b, the spatial letters and the channel, in layout order
  std::vector<std::string> input;   // the same with each spatial letter a window position
  std::vector<std::string> window;  // the window's letters: k (1-D); i, j (2-D)
  std::string sizes;                // "3 x 3"
  std::string positions;            // the output positions: "6 x 6 = 36"
};
// Output position h reads input position h*stride + i*dilation - (padding
// before): "h*2 + i", "t + k - 2". The channel axes are named in_channel
// and out_channel.
WindowIndices window_indices(const Shape& input, const Shape& output, int spatial,
                             bool channels_first, const std::vector<std::int64_t>& size,
                             const std::vector<std::int64_t>& strides,
                             const std::vector<std::int64_t>& dilation, const std::string& padding,
                             const std::string& in_channel, const std::string& out_channel);
// " with stride 2", " with strides (2, 1)", or "" for stride 1.
std::string stride_phrase(const std::vector<std::int64_t>& strides);
// What "same" / "causal" padding means for a window, or "" for "valid".
std::string padding_note(const std::string& padding, const std::string& outside);

// The channel dimension of an input (axis 1 or -1).
std::int64_t channel_dim(const Shape& shape, bool channels_first);
// Once built: the channel dimension must be what the weights were made for
// (Keras' InputSpec(axes={channel_axis: channels})).
void check_channels(const LayerImpl& layer, const Shape& shape, bool channels_first,
                    std::int64_t expected);

// A config field Keras writes as an int or a list of ints ("kernel_size": [3, 3]).
IntTuple tuple_field(const LayerConfig& c, const std::string& field);
IntTuple tuple_field(const LayerConfig& c, const std::string& field, const IntTuple& fallback);
std::optional<IntTuple> optional_tuple_field(const LayerConfig& c, const std::string& field);
// ZeroPadding2D's padding / Cropping2D's cropping: an int, [h, w] or [[t, b], [l, r]].
Padding2D padding2d_field(const LayerConfig& c, const std::string& field,
                          const Padding2D& fallback);

}  // namespace keras::layers
