// The seed questions' models explained: each expected text below is written
// by hand from the rules (Dense contracts the last axis with one kernel
// shared by every position; Flatten lays the values out in row-major order;
// an LSTM has 4 * units * (input_dim + units + 1) parameters; Bidirectional
// holds two independent copies; TimeDistributed shares its layer's weights
// across the steps), not copied from the program's output.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "keras/keras.hpp"

namespace {

namespace L = keras::layers;
using keras::Input;
using keras::Sequential;

// "Dense(4) on (None, 2, 3) gives (None, 2, 4)": the question that started it.
TEST(SeedModelsExplained, DenseOn2x3ContractsOnlyTheLastAxis) {
  keras::backend::clear_session();
  Sequential model({Input({2, 3}), L::Dense(4)});
  EXPECT_EQ(model.explain_string(),
            "Model: \"sequential\" (Sequential): (None, 2, 3) -> (None, 2, 4)\n"
            "\n"
            "dense (Dense): (None, 2, 3) -> (None, 2, 4)\n"
            "  y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]\n"
            "  contracts the last axis (3 -> 4); the same kernel is used at each of the 2 "
            "positions\n"
            "  params: kernel (3, 4) = 12 + bias (4,) = 4 -> 16\n"
            "\n"
            "Total params: 16 (trainable: 16, non-trainable: 0)\n");
}

// "Why only 60 parameters?": 5 * 10 + 10, whatever the 20 positions.
TEST(SeedModelsExplained, DenseOn20x5Has60Parameters) {
  keras::backend::clear_session();
  Sequential model({Input({20, 5}), L::Dense(10)});
  const std::string want =
      "Model: \"sequential\" (Sequential): (None, 20, 5) -> (None, 20, 10)\n"
      "\n"
      "dense (Dense): (None, 20, 5) -> (None, 20, 10)\n"
      "  y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]\n"
      "  contracts the last axis (5 -> 10); the same kernel is used at each of the 20 "
      "positions\n"
      "  params: kernel (5, 10) = 50 + bias (10,) = 10 -> 60\n"
      "\n"
      "Total params: 60 (trainable: 60, non-trainable: 0)\n";
  EXPECT_EQ(model.explain_string(), want);
  // explain(os) prints the same text.
  std::ostringstream os;
  model.explain(os);
  EXPECT_EQ(os.str(), want);
}

// Dense(16) -> relu -> Flatten -> Dense(4) on (3, 2): 48 + 0 + 0 + 196 = 244.
TEST(SeedModelsExplained, FlattenBetweenDenseLayers) {
  keras::backend::clear_session();
  Sequential model({Input({3, 2}), L::Dense(16), L::Activation("relu"), L::Flatten(), L::Dense(4)});
  EXPECT_EQ(model.explain_string(),
            "Model: \"sequential\" (Sequential): (None, 3, 2) -> (None, 4)\n"
            "\n"
            "dense (Dense): (None, 3, 2) -> (None, 3, 16)\n"
            "  y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]\n"
            "  contracts the last axis (2 -> 16); the same kernel is used at each of the 3 "
            "positions\n"
            "  params: kernel (2, 16) = 32 + bias (16,) = 16 -> 48\n"
            "\n"
            "activation (Activation): (None, 3, 16) -> (None, 3, 16)\n"
            "  y[b,t,c] = relu(x[b,t,c])\n"
            "  applies relu to each value on its own; the shape does not change; no weights\n"
            "  params: none\n"
            "\n"
            "flatten (Flatten): (None, 3, 16) -> (None, 48)\n"
            "  y[b, i*16 + j] = x[b,i,j]\n"
            "  lays the 3 x 16 = 48 values of each sample out along one axis, the last axis "
            "varying fastest; a Dense after it sees all of them at once; no weights\n"
            "  params: none\n"
            "\n"
            "dense_1 (Dense): (None, 48) -> (None, 4)\n"
            "  y[b,u] = sum_c x[b,c] * kernel[c,u] + bias[u]\n"
            "  contracts the last axis (48 -> 4)\n"
            "  params: kernel (48, 4) = 192 + bias (4,) = 4 -> 196\n"
            "\n"
            "Total params: 244 (trainable: 244, non-trainable: 0)\n");
}

// The Fashion-MNIST MLP of `kerascpp demo`.
TEST(SeedModelsExplained, FashionMnistMlpOfTheDemo) {
  keras::backend::clear_session();
  Sequential model({Input({28, 28}), L::Flatten(), L::Rescaling(1.0 / 255),
                    L::Dense(512, {.activation = "relu"}), L::Dense(256, {.activation = "relu"}),
                    L::Dense(10, {.activation = "softmax"})});
  EXPECT_EQ(model.explain_string(),
            "Model: \"sequential\" (Sequential): (None, 28, 28) -> (None, 10)\n"
            "\n"
            "flatten (Flatten): (None, 28, 28) -> (None, 784)\n"
            "  y[b, i*28 + j] = x[b,i,j]\n"
            "  lays the 28 x 28 = 784 values of each sample out along one axis, the last axis "
            "varying fastest; a Dense after it sees all of them at once; no weights\n"
            "  params: none\n"
            "\n"
            "rescaling (Rescaling): (None, 784) -> (None, 784)\n"
            "  y[b,c] = x[b,c] * 1/255\n"
            "  the same scale and offset for every value; no weights\n"
            "  params: none\n"
            "\n"
            "dense (Dense): (None, 784) -> (None, 512)\n"
            "  y[b,u] = relu(sum_c x[b,c] * kernel[c,u] + bias[u])\n"
            "  contracts the last axis (784 -> 512)\n"
            "  params: kernel (784, 512) = 401,408 + bias (512,) = 512 -> 401,920\n"
            "\n"
            "dense_1 (Dense): (None, 512) -> (None, 256)\n"
            "  y[b,u] = relu(sum_c x[b,c] * kernel[c,u] + bias[u])\n"
            "  contracts the last axis (512 -> 256)\n"
            "  params: kernel (512, 256) = 131,072 + bias (256,) = 256 -> 131,328\n"
            "\n"
            "dense_2 (Dense): (None, 256) -> (None, 10)\n"
            "  y[b,u] = softmax(sum_c x[b,c] * kernel[c,u] + bias[u])\n"
            "  contracts the last axis (256 -> 10)\n"
            "  softmax normalises over u: the 10 outputs of each sample sum to 1\n"
            "  params: kernel (256, 10) = 2,560 + bias (10,) = 10 -> 2,570\n"
            "\n"
            "Total params: 535,818 (trainable: 535,818, non-trainable: 0)\n");
}

// TimeDistributed(Dense(10)) on (20, 5): the same 60 weights, used at every step.
TEST(SeedModelsExplained, TimeDistributedDenseSharesItsWeightsAcrossSteps) {
  keras::backend::clear_session();
  Sequential model({Input({20, 5}), L::TimeDistributed(L::Dense(10))});
  EXPECT_EQ(model.explain_string(),
            "Model: \"sequential\" (Sequential): (None, 20, 5) -> (None, 20, 10)\n"
            "\n"
            "time_distributed (TimeDistributed): (None, 20, 5) -> (None, 20, 10)\n"
            "  y[b,t,:] = dense(x[b,t,:])\n"
            "  applies dense to each of the 20 steps on its own, as if each step were a sample of "
            "shape (5,); the same weights serve every step (below, b runs over all (sample, step) "
            "pairs)\n"
            "  a Dense on (None, 20, 5) computes the same by itself: it contracts only the last "
            "axis\n"
            "    dense (Dense): (None, 5) -> (None, 10)\n"
            "      y[b,u] = sum_c x[b,c] * kernel[c,u] + bias[u]\n"
            "      contracts the last axis (5 -> 10)\n"
            "      params: kernel (5, 10) = 50 + bias (10,) = 10 -> 60\n"
            "  params: dense: 60\n"
            "\n"
            "Total params: 60 (trainable: 60, non-trainable: 0)\n");
}

// The seed tagger: Embedding(10000, 64) on length 50 -> Bidirectional(LSTM(75,
// return_sequences), "ave") -> Dense(200) -> TimeDistributed(Dense(6, softmax)).
// The time axis stays all the way; the LSTM has 4 * 75 * (64 + 75 + 1) = 42,000
// weights per direction; the Dense layers use one kernel for all 50 steps.
TEST(SeedModelsExplained, TaggerKeepsTheTimeAxisAllTheWay) {
  keras::backend::clear_session();
  auto tokens = Input({50}, {.dtype = "int32"});
  auto h = L::Embedding(10000, 64)(tokens);
  h = L::Bidirectional(L::LSTM(75, {.return_sequences = true}), {.merge_mode = "ave"})(h);
  h = L::Dense(200)(h);
  auto tags = L::TimeDistributed(L::Dense(6, {.activation = "softmax"}))(h);
  keras::Model tagger(tokens, tags);
  const std::string lstm_step =
      "        z = x[b,t,:] . kernel + h[b,t-1,:] . recurrent_kernel + bias, cut into the gates "
      "i, f, g, o (75 each)\n"
      "        c[b,t,u] = sigmoid(f[u]) * c[b,t-1,u] + sigmoid(i[u]) * tanh(g[u])\n"
      "        h[b,t,u] = sigmoid(o[u]) * tanh(c[b,t,u])\n";
  std::string backward_step = lstm_step;
  for (std::size_t at = backward_step.find("t-1"); at != std::string::npos;
       at = backward_step.find("t-1")) {
    backward_step.replace(at, 3, "t+1");
  }
  const std::string lstm_params =
      "      params: kernel (64, 300) = 19,200 + recurrent_kernel (75, 300) = 22,500 + bias "
      "(300,) = 300 -> 42,000\n"
      "      i.e. 4 * units * (input_dim + units + 1) = 4 * 75 * (64 + 75 + 1) = 42,000\n";
  EXPECT_EQ(
      tagger.explain_string(),
      "Model: \"functional\" (Functional): (None, 50) -> (None, 50, 6)\n"
      "\n"
      "input_layer (InputLayer): (None, 50)\n"
      "  x[b,t]: the model's input, int32\n"
      "  axes: b: batch (any size), t: 50\n"
      "  params: none\n"
      "\n"
      "embedding (Embedding): (None, 50) -> (None, 50, 64)\n"
      "  y[b,t,e] = embeddings[x[b,t], e]\n"
      "  looks up row x of the (10000, 64) table at each of the 50 positions: each of the "
      "10,000 indices 0 .. 9999 has its own 64 trainable values\n"
      "  params: embeddings (10000, 64) = 640,000\n"
      "\n"
      "bidirectional (Bidirectional): (None, 50, 64) -> (None, 50, 75)\n"
      "  y[b,t,u] = (forward[b,t,u] + backward[b,t,u]) / 2\n"
      "  two independent copies of the LSTM, each with weights of its own, read the sequence: "
      "forward_lstm from the first step to the last, backward_lstm from the last to the first; "
      "the backward outputs are put back in time order, so both describe step t\n"
      "    forward_lstm (LSTM): (None, 50, 64) -> (None, 50, 75)\n"
      "      y[b,t,u] = h[b,t,u] at each step t, where\n" +
          lstm_step +
          "      reads the 50 steps one after another, starting from h = c = 0; the same "
          "kernel, recurrent_kernel and bias are used at every step\n"
          "      with a mask, a masked step keeps the previous state\n" +
          lstm_params +
          "    backward_lstm (LSTM): (None, 50, 64) -> (None, 50, 75)\n"
          "      y[b,t,u] = h[b,49-t,u] (in reading order), where\n" +
          backward_step +
          "      reads the 50 steps one after another, the last first (go_backwards), starting "
          "from h = c = 0; the same kernel, recurrent_kernel and bias are used at every step\n"
          "      with a mask, a masked step keeps the previous state\n" +
          lstm_params +
          "  params: forward_lstm: 42,000 + backward_lstm: 42,000 -> 84,000\n"
          "\n"
          "dense (Dense): (None, 50, 75) -> (None, 50, 200)\n"
          "  y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]\n"
          "  contracts the last axis (75 -> 200); the same kernel is used at each of the 50 "
          "positions\n"
          "  params: kernel (75, 200) = 15,000 + bias (200,) = 200 -> 15,200\n"
          "\n"
          "time_distributed (TimeDistributed): (None, 50, 200) -> (None, 50, 6)\n"
          "  y[b,t,:] = dense_1(x[b,t,:])\n"
          "  applies dense_1 to each of the 50 steps on its own, as if each step were a sample "
          "of shape (200,); the same weights serve every step (below, b runs over all (sample, "
          "step) pairs)\n"
          "  a Dense on (None, 50, 200) computes the same by itself: it contracts only the last "
          "axis\n"
          "    dense_1 (Dense): (None, 200) -> (None, 6)\n"
          "      y[b,u] = softmax(sum_c x[b,c] * kernel[c,u] + bias[u])\n"
          "      contracts the last axis (200 -> 6)\n"
          "      softmax normalises over u: the 6 outputs of each sample sum to 1\n"
          "      params: kernel (200, 6) = 1,200 + bias (6,) = 6 -> 1,206\n"
          "  params: dense_1: 1,206\n"
          "\n"
          "Total params: 740,406 (trainable: 740,406, non-trainable: 0)\n");
}

}  // namespace
