#pragma once
// keras.datasets.fashion_mnist, read from the Debian package
// dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/*.gz) instead of a
// download: ((x_train, y_train), (x_test, y_test)) with uint8 images
// (60000, 28, 28) / (10000, 28, 28) and uint8 labels (60000,) / (10000,).
#include <string>
#include <utility>

#include "keras/tensor.hpp"

namespace keras::datasets::fashion_mnist {

inline constexpr const char* kDefaultDirectory = "/usr/share/datasets/fashion-mnist";

// Throws keras::Error naming the missing file and the package to install.
std::pair<std::pair<Tensor, Tensor>, std::pair<Tensor, Tensor>> load_data(
    const std::string& directory = kDefaultDirectory);

}  // namespace keras::datasets::fashion_mnist
