// The four questions kerascpp started from, answered by running them:
//   1. Why does Dense(4) on (None, 2, 3) give (None, 2, 4)?  And why does
//      Dense(10) on (None, 20, 5) have only 60 parameters?
//   2. Dense(16) on (3, 2) then Dense(4) predicts (1, 3, 4); with Flatten, (1, 4).
//   3. Flatten (or Reshape) of an image before Dense.
// Each model prints Keras' own summary table.
#include <keras/keras.hpp>

#include <iostream>

namespace L = keras::layers;

int main() {
  std::cout << "1. Dense contracts the last axis only: the same kernel serves every position.\n";
  keras::Sequential dense_2x3({keras::Input({2, 3}), L::Dense(4)});
  dense_2x3.summary();
  keras::Sequential dense_20x5({keras::Input({20, 5}), L::Dense(10)});
  dense_20x5.summary();
  keras::Sequential time_distributed({keras::Input({20, 5}), L::TimeDistributed(L::Dense(10))});
  time_distributed.summary();
  std::cout << "Dense(10) on (None, 20, 5): kernel (5, 10) + bias (10,) = "
            << dense_20x5.count_params() << " parameters, as TimeDistributed(Dense(10)): "
            << time_distributed.count_params() << ".\n\n";

  std::cout << "2. Flatten decides whether the 3 rows are mixed.\n";
  keras::Sequential with_flatten({
      keras::Input({3, 2}),
      L::Dense(16),
      L::Activation("relu"),
      L::Flatten(),
      L::Dense(4),
  });
  with_flatten.summary();
  keras::Tensor x({1, 3, 2}, {1, 2, 3, 4, 5, 6});
  std::cout << "predict with Flatten: " << with_flatten.predict(x).shape().to_string() << "\n";
  keras::Sequential without_flatten({
      keras::Input({3, 2}),
      L::Dense(16),
      L::Activation("relu"),
      L::Dense(4),
  });
  without_flatten.summary();
  std::cout << "predict without Flatten: " << without_flatten.predict(x).shape().to_string()
            << "\n\n";

  std::cout << "3. An image classifier head: Flatten, Rescaling, Dense.\n";
  keras::Sequential image({
      keras::Input({28, 28, 3}),
      L::Flatten(),
      L::Rescaling(1.0 / 255),
      L::Dense(128, {.activation = "relu"}),
      L::Dense(2, {.activation = "softmax"}),
  });
  image.summary();
  return 0;
}
