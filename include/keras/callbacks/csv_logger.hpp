#pragma once
// keras.callbacks.CSVLogger: one row per epoch (epoch, then the sorted log
// keys), "\r\n" line ends as Python's csv module writes them.
#include <fstream>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct CSVLoggerOptions {
  std::string separator = ",";
  bool append = false;
};

class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  std::string filename_;
  CSVLoggerOptions o_;
  std::shared_ptr<std::ofstream> file_;
  std::vector<std::string> keys_;
  bool append_header_ = true;
};

}  // namespace keras::callbacks
