#include "keras/callbacks/learning_rate_scheduler.hpp"

#include <cstdio>
#include <iostream>

#include "keras/model.hpp"

namespace keras::callbacks {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs&) {
  optimizers::Optimizer optimizer = model().optimizer();
  const double lr = schedule_(epoch, optimizer.learning_rate());
  optimizer.set_learning_rate(lr);
  if (verbose_ > 0) {
    char buffer[128];
    std::snprintf(buffer, sizeof(buffer),
                  "\nEpoch %d: LearningRateScheduler setting learning rate to %g.", epoch + 1, lr);
    std::cout << buffer << "\n";
  }
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) {
  logs["learning_rate"] = model().optimizer().learning_rate();
}

}  // namespace keras::callbacks
