#pragma once
// Embedding: turns integer indices into dense vectors, row i of a trainable
// (input_dim, output_dim) table for index i. Inputs of any rank give
// input_shape + (output_dim,): Embedding(10000, 64) on (None, 50) gives
// (None, 50, 64) with 640,000 parameters. Float inputs holding integers are
// cast to integers first, as Keras does. With mask_zero, index 0 is padding:
// the layer's output mask is (inputs != 0), which downstream layers (LSTM,
// Bidirectional, Dense, TimeDistributed) and the loss and metrics honour.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::layers {

struct EmbeddingOptions {
  initializers::Initializer embeddings_initializer = "uniform";
  // Keras' None by default; a name ("l2") or regularizers::L2(0.001), ...
  regularizers::Regularizer embeddings_regularizer;
  constraints::Constraint embeddings_constraint;
  bool mask_zero = false;
  // Accepted and ignored, as in Keras 3 (where it is deprecated).
  std::optional<std::int64_t> input_length;
  regularizers::Regularizer activity_regularizer;
  std::string name;
  bool trainable = true;
};

class Embedding : public Layer {
 public:
  // input_dim: the vocabulary size (largest index + 1); output_dim: the size
  // of each vector. Both must be positive.
  Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options = {});
};

}  // namespace keras::layers
