#pragma once
// The model that fuzz_weights_h5 loads weights into, shared with
// tests/saving/fuzz_regressions_test.cpp (which replays the inputs the fuzzer
// kept into the same model). Its layers cover every layout the .weights.h5
// reader knows: plain layers, a recurrent layer's cell, both sides of a
// Bidirectional, a TimeDistributed's inner layer, a nested model, and a
// built optimizer's variables.
#include <vector>

#include "keras/layers.hpp"
#include "keras/model.hpp"

namespace keras::fuzz {

inline Model weights_h5_model() {
  namespace L = keras::layers;
  auto sequence = Input({4, 3});
  auto h = L::Bidirectional(L::LSTM(2, {.return_sequences = true}))(sequence);
  h = L::TimeDistributed(L::Dense(2))(h);
  h = L::GRU(2)(h);
  auto image = Input({6, 6, 1});
  auto g = L::Conv2D(2, 3)(image);
  g = L::BatchNormalization()(g);
  g = L::Flatten()(g);
  Sequential head({Input({2}), L::Dense(3), L::Dense(2)});
  g = head(L::Dense(2)(g));
  auto out = L::Dense(1)(L::Concatenate()({h, g})[0]);
  Model model({sequence, image}, out);
  model.compile({.optimizer = "adam", .loss = "mse"});
  // One step builds the optimizer, so its variables are read too.
  const Tensor x1 = Tensor::zeros({2, 4, 3});
  const Tensor x2 = Tensor::zeros({2, 6, 6, 1});
  const Tensor y = Tensor::zeros({2, 1});
  model.fit(std::vector<Tensor>{x1, x2}, std::vector<Tensor>{y},
            {.batch_size = 2, .epochs = 1, .verbose = 0});
  return model;
}

}  // namespace keras::fuzz
