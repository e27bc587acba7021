#include "keras/callbacks/early_stopping.hpp"

#include <iostream>

#include "keras/model.hpp"

namespace keras::callbacks {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : o_(std::move(options)), monitor_(o_.monitor, o_.mode, o_.min_delta, "EarlyStopping") {}

void EarlyStopping::on_train_begin(Logs&) {
  // A callback object may be reused across fit calls.
  wait_ = 0;
  stopped_epoch_ = 0;
  best_.reset();
  best_weights_.clear();
  best_epoch_ = 0;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  const std::optional<double> current = monitor_.value(logs);
  if (!current) {
    std::string keys;
    for (const auto& [k, v] : logs) keys += (keys.empty() ? "" : ",") + k;
    std::cerr << "EarlyStopping conditioned on metric `" << o_.monitor
              << "` which is not available. Available metrics are: " << keys << "\n";
    return;
  }
  if (epoch < o_.start_from_epoch) return;
  if (o_.restore_best_weights && best_weights_.empty()) {
    best_weights_ = model().get_weights();
    best_epoch_ = epoch;
  }
  wait_ += 1;
  if (monitor_.is_improvement(*current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (o_.restore_best_weights) best_weights_ = model().get_weights();
    // Only restart the wait if both the baseline and the previous best are beaten.
    if (!o_.baseline || monitor_.is_improvement(*current, o_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= o_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().set_stop_training(true);
  }
}

void EarlyStopping::on_train_end(Logs&) {
  if (stopped_epoch_ > 0 && o_.verbose > 0) {
    std::cout << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  }
  if (o_.restore_best_weights && !best_weights_.empty()) {
    if (o_.verbose > 0) {
      std::cout << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1
                << ".\n";
    }
    model().set_weights(best_weights_);
  }
}

}  // namespace keras::callbacks
