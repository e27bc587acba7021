#pragma once
// keras.callbacks.History: what fit returns. history["loss"][e] is the
// epoch-e value of each logged quantity; epoch lists the 0-based epochs run.
#include <map>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras {

class History : public callbacks::Callback {
 public:
  std::map<std::string, std::vector<double>> history;
  // The entries Keras' history holds as one list per epoch (a metric of
  // several values, e.g. Precision with several thresholds): arrays[key][e]
  // are the values of epoch e. Their keys are not in `history`.
  std::map<std::string, std::vector<std::vector<double>>> arrays;
  std::vector<int> epoch;
  callbacks::Params params;

  void on_train_begin(callbacks::Logs& logs) override;
  void on_epoch_end(int epoch_index, callbacks::Logs& logs) override;
  // history.at(key) with an error that lists the keys (and says where a key
  // of `arrays` is).
  const std::vector<double>& operator[](const std::string& key) const;
};

}  // namespace keras
