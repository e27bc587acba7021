#pragma once
// keras.callbacks.ReduceLROnPlateau: multiplies the learning rate by `factor`
// after `patience` epochs without improvement; logs "learning_rate".
#include <optional>
#include <string>

#include "keras/callbacks/monitor.hpp"

namespace keras::callbacks {

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  int patience = 10;
  int verbose = 0;
  std::string mode = "auto";
  double min_delta = 1e-4;
  int cooldown = 0;
  double min_lr = 0.0;
};

class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  ReduceLROnPlateauOptions o_;
  Monitor monitor_;
  int wait_ = 0;
  int cooldown_counter_ = 0;
  std::optional<double> best_;
};

}  // namespace keras::callbacks
