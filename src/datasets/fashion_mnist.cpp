#include "keras/datasets/fashion_mnist.hpp"

#include <filesystem>

#include "keras/datasets/idx.hpp"

namespace keras::datasets::fashion_mnist {

namespace {

Tensor load_part(const std::string& directory, const std::string& file, const Shape& expected) {
  const std::string path = directory + "/" + file;
  if (!std::filesystem::exists(path)) {
    throw Error("fashion_mnist.load_data(): " + path +
                " is missing. Install the Debian package dataset-fashion-mnist "
                "(apt-get install dataset-fashion-mnist) or pass the folder that holds the "
                "four Fashion-MNIST .gz files.");
  }
  Tensor t = load_idx(path);
  if (t.shape() != expected || t.dtype() != DType::uint8) {
    throw Error("fashion_mnist.load_data(): " + path + " holds " +
                std::string(dtype_name(t.dtype())) + " values of shape " + t.shape().to_string() +
                ", expected uint8 of shape " + expected.to_string() + ".");
  }
  return t;
}

}  // namespace

std::pair<std::pair<Tensor, Tensor>, std::pair<Tensor, Tensor>> load_data(
    const std::string& directory) {
  Tensor x_train = load_part(directory, "train-images-idx3-ubyte.gz", {60000, 28, 28});
  Tensor y_train = load_part(directory, "train-labels-idx1-ubyte.gz", {60000});
  Tensor x_test = load_part(directory, "t10k-images-idx3-ubyte.gz", {10000, 28, 28});
  Tensor y_test = load_part(directory, "t10k-labels-idx1-ubyte.gz", {10000});
  return {{x_train, y_train}, {x_test, y_test}};
}

}  // namespace keras::datasets::fashion_mnist
