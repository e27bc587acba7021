#pragma once
// keras.callbacks.LearningRateScheduler: sets the learning rate at the start
// of each epoch to schedule(epoch, current_rate); logs "learning_rate".
#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace keras::callbacks
