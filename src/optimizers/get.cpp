#include <algorithm>
#include <cctype>

#include "keras/optimizers.hpp"

namespace keras::optimizers {

// Keras matches optimizer strings case-insensitively against class names.
Optimizer get(const std::string& name) {
  std::string key = name;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (key == "sgd") return SGD();
  if (key == "rmsprop") return RMSprop();
  if (key == "adam") return Adam();
  if (key == "adamw") return AdamW();
  if (key == "adagrad") return Adagrad();
  if (key == "adadelta") return Adadelta();
  if (key == "adamax") return Adamax();
  if (key == "nadam") return Nadam();
  if (key == "lion") return Lion();
  throw Error("Unknown optimizer \"" + name +
              "\"; expected one of sgd, rmsprop, adam, adamw, adagrad, adadelta, adamax, nadam, "
              "lion.");
}

}  // namespace keras::optimizers
