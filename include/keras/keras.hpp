#pragma once
// kerascpp: Keras 3 in C++. One include for everything a model needs:
//   #include <keras/keras.hpp>
//   namespace L = keras::layers;
//   keras::Sequential model({keras::Input({3, 2}), L::Dense(16), L::Flatten(), L::Dense(4)});
#include "keras/activations.hpp"
#include "keras/callbacks.hpp"
#include "keras/datasets/fashion_mnist.hpp"
#include "keras/dtype.hpp"
#include "keras/error.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/initializers.hpp"
#include "keras/io/npy.hpp"
#include "keras/layer.hpp"
#include "keras/layers.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "keras/shape.hpp"
#include "keras/tensor.hpp"
#include "keras/utils.hpp"
#include "keras/utils/model_to_dot.hpp"
#include "keras/utils/progbar.hpp"
#include "keras/utils/to_categorical.hpp"
#include "keras/variable.hpp"
