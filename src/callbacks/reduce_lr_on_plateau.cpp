#include "keras/callbacks/reduce_lr_on_plateau.hpp"

#include <cstdio>
#include <iostream>

#include "keras/model.hpp"

namespace keras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : o_(std::move(options)), monitor_(o_.monitor, o_.mode, o_.min_delta, "ReduceLROnPlateau") {
  if (o_.factor >= 1.0) {
    throw Error("ReduceLROnPlateau does not support a factor >= 1.0, got " +
                std::to_string(o_.factor) + ".");
  }
}

void ReduceLROnPlateau::on_train_begin(Logs&) {
  wait_ = 0;
  cooldown_counter_ = 0;
  best_.reset();
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  const double lr = model().optimizer().learning_rate();
  logs["learning_rate"] = lr;
  const std::optional<double> current = monitor_.value(logs);
  if (!current) return;
  if (cooldown_counter_ > 0) {
    cooldown_counter_ -= 1;
    wait_ = 0;
  }
  if (monitor_.is_improvement(*current, best_)) {
    best_ = current;
    wait_ = 0;
  } else if (cooldown_counter_ <= 0) {
    wait_ += 1;
    if (wait_ >= o_.patience && lr > o_.min_lr) {
      const double new_lr = std::max(lr * o_.factor, o_.min_lr);
      model().optimizer().set_learning_rate(new_lr);
      if (o_.verbose > 0) {
        char buffer[128];
        std::snprintf(buffer, sizeof(buffer),
                      "\nEpoch %d: ReduceLROnPlateau reducing learning rate to %g.", epoch + 1,
                      new_lr);
        std::cout << buffer << "\n";
      }
      cooldown_counter_ = o_.cooldown;
      wait_ = 0;
    }
  }
}

}  // namespace keras::callbacks
