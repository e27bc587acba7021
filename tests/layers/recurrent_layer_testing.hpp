#pragma once
// Shared by the SimpleRNN, LSTM and GRU tests: the reference calls whose
// outputs were computed with real Keras 3.15.1 (JAX backend) by this script:
//
//   def wave(shape, offset, scale=0.5):
//       n = int(np.prod(shape))
//       return (scale * np.sin(0.37 * np.arange(n) + offset)).reshape(shape).astype("float32")
//   B, T, I, U = 2, 4, 3, 2
//   x = wave((B, T, I), 0.0, 1.0)
//   mask = np.array([[True, False, True, True], [False, True, True, False]])
//   layer = getattr(layers, cls)(U, return_sequences=True, return_state=True, **kw)
//   states = [wave((B, U), 1.0 + k, 0.8) for k in range(2 if cls == "LSTM" else 1)]
//   layer.build((B, T, I))
//   layer.set_weights([wave(w.shape, 2.0 + k, 0.6) for k, w in enumerate(layer.get_weights())])
//   out = layer(x, initial_state=states if use_state else None, mask=mask if use_mask else None)
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::testing {

inline Tensor wave(const Shape& shape, double offset, double scale) {
  std::vector<float> v(static_cast<std::size_t>(shape.num_elements()));
  for (std::size_t i = 0; i < v.size(); ++i) {
    v[i] = static_cast<float>(scale * std::sin(0.37 * static_cast<double>(i) + offset));
  }
  return Tensor(shape, v);
}

struct KerasRecurrentCase {
  std::string name;
  bool use_mask = false;
  bool use_state = false;
  std::vector<std::vector<double>> outputs;  // sequence output, then the final states
};

// Calls layer (made with return_sequences and return_state) as the script
// does and compares every output with Keras'.
inline void expect_matches_keras(const Layer& layer, const KerasRecurrentCase& c) {
  const Shape x_shape{2, 4, 3};
  layer.impl().maybe_build({x_shape});
  std::vector<Tensor> weights;
  int k = 0;
  for (const Tensor& w : layer.get_weights()) weights.push_back(wave(w.shape(), 2.0 + k++, 0.6));
  layer.set_weights(weights);
  std::vector<Tensor> inputs{wave(x_shape, 0.0, 1.0)};
  const std::size_t states = c.outputs.size() - 1;
  if (c.use_state) {
    for (std::size_t i = 0; i < states; ++i) {
      inputs.push_back(wave(Shape{2, 2}, 1.0 + static_cast<double>(i), 0.8));
    }
  }
  CallContext ctx;
  if (c.use_mask) {
    ctx.masks.push_back(
        Tensor(Shape{2, 4}, std::vector<bool>{true, false, true, true, false, true, true, false}));
  }
  const std::vector<Tensor> got = layer.impl().apply(inputs, ctx);
  ASSERT_EQ(got.size(), c.outputs.size()) << c.name;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto values = got[i].to_vector<double>();
    ASSERT_EQ(values.size(), c.outputs[i].size()) << c.name << " output " << i;
    for (std::size_t j = 0; j < values.size(); ++j) {
      EXPECT_NEAR(values[j], c.outputs[i][j], 1e-6 + 1e-5 * std::abs(c.outputs[i][j]))
          << c.name << " output " << i << " element " << j;
    }
  }
}

}  // namespace keras::testing
