#include "keras/callbacks/history.hpp"

#include "keras/error.hpp"

namespace keras {

void History::on_train_begin(callbacks::Logs&) { params = Callback::params(); }

void History::on_epoch_end(int epoch_index, callbacks::Logs& logs) {
  epoch.push_back(epoch_index);
  for (const auto& [key, value] : logs) history[key].push_back(value);
  for (const auto& [key, values] : logs.arrays) arrays[key].push_back(values);
}

const std::vector<double>& History::operator[](const std::string& key) const {
  auto it = history.find(key);
  if (it == history.end()) {
    if (arrays.count(key) != 0) {
      throw Error("History: \"" + key + "\" holds several values per epoch (one per threshold, " +
                  "as Keras' history holds a list); read history.arrays.at(\"" + key + "\").");
    }
    std::string keys;
    for (const auto& [k, v] : history) keys += (keys.empty() ? "" : ", ") + k;
    throw Error("History has no \"" + key + "\"; it has: " + keys + ".");
  }
  return it->second;
}

}  // namespace keras
