// Shape errors a user can hit name the layer, both shapes and, where one is
// clear, the nearest fix. One test per message that gained a fix.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "keras/keras.hpp"

namespace {

namespace L = keras::layers;
using keras::Input;
using keras::None;
using keras::Sequential;
using keras::Shape;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ShapeErrors, DenseOnOneNumberPerSampleAsksForAFeatureAxis) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input(Shape{}), L::Dense(3)});
            }),
            "Dense \"dense\" expects inputs of rank 2 or more (batch, ..., features), got shape "
            "(None,). Each sample needs a feature axis: for one number per sample use "
            "keras::Input({1}), or add Reshape({1}) first.");
}

TEST(ShapeErrors, DenseWithAnUnknownLastDimensionAsksForAKnownOne) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({4, None}), L::Dense(3)});
            }),
            "Dense \"dense\" needs to know the last dimension of its inputs to create its "
            "kernel, got shape (None, 4, None). Give the Input a known last dimension (the "
            "number of features).");
}

TEST(ShapeErrors, DenseOnTheRightNumberOfValuesInTheWrongLayoutSuggestsFlatten) {
  keras::backend::clear_session();
  L::Dense dense(4);
  dense(Input({6}));
  EXPECT_EQ(error_of([&] {
              dense(Input({3, 2}));
            }),
            "Dense \"dense\" expects inputs whose last dimension is 6, got shape (None, 3, 2). "
            "Dense contracts only the last axis; add Flatten() first to mix all axes.");
}

TEST(ShapeErrors, RepeatVectorOnASequenceSuggestsFlatten) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({3, 4}), L::RepeatVector(2)});
            }),
            "RepeatVector \"repeat_vector\" expects inputs of rank 2 (batch, features), got "
            "shape (None, 3, 4) of rank 3. It repeats one vector per sample; add Flatten() "
            "first to repeat all of each sample's values.");
  EXPECT_EQ(error_of([] {
              Sequential({Input(Shape{}), L::RepeatVector(2)});
            }),
            "RepeatVector \"repeat_vector_1\" expects inputs of rank 2 (batch, features), got "
            "shape (None,) of rank 1. Each sample needs a feature axis: add Reshape({1}) first.");
}

TEST(ShapeErrors, ReshapeToTheWrongSizeSuggestsMinusOne) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({12}), L::Reshape({5, 2})});
            }),
            "Reshape \"reshape\" cannot reshape inputs of shape (None, 12) (12 values per "
            "sample) to target_shape (5, 2) (10 values): the total size must be unchanged. Use "
            "-1 for the dimension Reshape should compute: target_shape (-1, 2) gives (6, 2).");
  EXPECT_EQ(error_of([] {
              Sequential({Input({28, 28, 3}), L::Reshape({2351})});
            }),
            "Reshape \"reshape_1\" cannot reshape inputs of shape (None, 28, 28, 3) (2352 values "
            "per sample) to target_shape (2351,) (2351 values): the total size must be "
            "unchanged. To put every value on one axis, use target_shape (2352,) or Flatten().");
  // No -1 target fits when the other dimensions do not divide the size.
  EXPECT_EQ(error_of([] {
              Sequential({Input({12}), L::Reshape({2, 5})});
            }),
            "Reshape \"reshape_2\" cannot reshape inputs of shape (None, 12) (12 values per "
            "sample) to target_shape (2, 5) (10 values): the total size must be unchanged.");
}

TEST(ShapeErrors, ConcatenatingAVectorWithASequenceSuggestsRepeatVector) {
  keras::backend::clear_session();
  auto sequence = Input({4, 3});
  auto vector = Input({3});
  EXPECT_EQ(error_of([&] {
              L::Concatenate()({sequence, vector});
            }),
            "Concatenate \"concatenate\" requires inputs with matching shapes except for the "
            "concatenation axis -1. Received: input_shape=[(None, 4, 3), (None, 3)]. To join a "
            "(None, 3) vector to each of the 4 steps of a (None, 4, 3) sequence, repeat it "
            "first: RepeatVector(4).");
  // The fix works: the repeated vector joins each step.
  auto joined = L::Concatenate()({sequence, L::RepeatVector(4)(vector)}).at(0);
  EXPECT_EQ(joined.shape(), Shape({None, 4, 6}));
  // Inputs of one rank that differ off the axis: no fix is obvious, none is offered.
  EXPECT_EQ(error_of([] {
              L::Concatenate()({Input({3, 4}), Input({5, 4})});
            }),
            "Concatenate \"concatenate_2\" requires inputs with matching shapes except for the "
            "concatenation axis -1. Received: input_shape=[(None, 3, 4), (None, 5, 4)].");
}

TEST(ShapeErrors, ConvolutionOnImagesWithoutAChannelAxisSuggestsReshape) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({28, 28}), L::Conv2D(8, 3)});
            }),
            "Conv2D \"conv2d\" expects inputs of rank 4 (batch, height, width, channels), got "
            "shape (None, 28, 28). Images need a channel axis: for one channel, add "
            "Reshape({28, 28, 1}) first or give the Input the shape {28, 28, 1}; for (batch, "
            "steps, features) sequences use Conv1D.");
  // The fix works.
  Sequential fixed({Input({28, 28}), L::Reshape({28, 28, 1}), L::Conv2D(8, 3)});
  EXPECT_EQ(fixed.outputs()[0].shape(), Shape({None, 26, 26, 8}));
  // channels_first puts the new axis first.
  EXPECT_NE(error_of([] {
              Sequential({Input({28, 28}), L::Conv2D(8, 3, {.data_format = "channels_first"})});
            }).find("add Reshape({1, 28, 28}) first"),
            std::string::npos);
}

TEST(ShapeErrors, PoolingAFlatInputSuggestsReshapingIt) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({784}), L::MaxPooling2D()});
            }),
            "MaxPooling2D \"max_pooling2d\" expects inputs of rank 4 (batch, height, width, "
            "channels), got shape (None, 784). The input is flat: Reshape it into (height, width, "
            "channels) first.");
}

TEST(ShapeErrors, ConvolutionOnASequenceOfImagesSuggestsTimeDistributed) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({5, 28, 28, 1}), L::Conv2D(8, 3)});
            }),
            "Conv2D \"conv2d\" expects inputs of rank 4 (batch, height, width, channels), got "
            "shape (None, 5, 28, 28, 1). For a sequence of images, apply it to each one: "
            "TimeDistributed(Conv2D(...)).");
  Sequential fixed({Input({5, 28, 28, 1}), L::TimeDistributed(L::Conv2D(8, 3))});
  EXPECT_EQ(fixed.outputs()[0].shape(), Shape({None, 5, 26, 26, 8}));
}

TEST(ShapeErrors, OneDimensionalLayersOnTheWrongRank) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({100}), L::Conv1D(4, 3)});
            }),
            "Conv1D \"conv1d\" expects inputs of rank 3 (batch, steps, channels), got shape "
            "(None, 100). A sequence needs a feature axis: for one feature per step, add "
            "Reshape({100, 1}) first or give the Input the shape {100, 1}.");
  EXPECT_EQ(error_of([] {
              Sequential({Input({28, 28, 3}), L::GlobalAveragePooling1D()});
            }),
            "GlobalAveragePooling1D \"global_average_pooling1d\" expects inputs of rank 3 "
            "(batch, steps, channels), got shape (None, 28, 28, 3). For images use "
            "GlobalAveragePooling2D.");
}

TEST(ShapeErrors, TimeDistributedWithoutATimeAxisSuggestsReturnSequences) {
  keras::backend::clear_session();
  EXPECT_EQ(
      error_of([] {
        Sequential({Input({10, 4}), L::LSTM(8), L::TimeDistributed(L::Dense(3))});
      }),
      "TimeDistributed \"time_distributed\" expects inputs of rank 3 or more (batch, time, ...), "
      "got shape (None, 8). It applies Dense \"dense\" to each step of a sequence: if the input "
      "comes from a recurrent layer, give that layer return_sequences=True; on inputs without a "
      "time axis, use dense itself, without TimeDistributed.");
  Sequential fixed(
      {Input({10, 4}), L::LSTM(8, {.return_sequences = true}), L::TimeDistributed(L::Dense(3))});
  EXPECT_EQ(fixed.outputs()[0].shape(), Shape({None, 10, 3}));
}

TEST(ShapeErrors, BidirectionalWithoutATimeAxisSuggestsReturnSequences) {
  keras::backend::clear_session();
  EXPECT_EQ(error_of([] {
              Sequential({Input({10, 4}), L::LSTM(8), L::Bidirectional(L::LSTM(3))});
            }),
            "Bidirectional \"bidirectional\" expects inputs of rank 3 (batch, time, features), "
            "got shape (None, 8). The input has no time axis: if it comes from another recurrent "
            "layer, give that layer return_sequences=True; otherwise add one with "
            "Reshape({time, features}).");
}

}  // namespace
