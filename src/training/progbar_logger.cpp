#include "training/progbar_logger.hpp"

#include <iostream>

namespace keras::training {

namespace {
utils::Progbar::Values values_of(const callbacks::Logs& logs) {
  return utils::Progbar::Values(logs.begin(), logs.end());
}
}  // namespace

void ProgbarLogger::on_train_begin(callbacks::Logs&) { in_fit_ = true; }

void ProgbarLogger::on_epoch_begin(int epoch, callbacks::Logs&) {
  seen_ = 0;
  bar_ = std::make_unique<utils::Progbar>(params().steps,
                                          utils::ProgbarOptions{.verbose = params().verbose});
  if (params().verbose && params().epochs > 1) {
    std::cout << "Epoch " << epoch + 1 << "/" << params().epochs << "\n" << std::flush;
  }
}

void ProgbarLogger::update(std::int64_t batch, const callbacks::Logs& logs) {
  seen_ = batch + 1;
  if (bar_ && params().verbose == 1) bar_->update(seen_, values_of(logs), false);
}

void ProgbarLogger::finalize(const callbacks::Logs& logs) {
  if (!bar_) return;
  const std::int64_t target = params().steps > 0 ? params().steps : seen_;
  bar_->update(target, values_of(logs), true);
  bar_.reset();
}

void ProgbarLogger::on_train_batch_end(std::int64_t batch, callbacks::Logs& logs) {
  update(batch, logs);
}

void ProgbarLogger::on_epoch_end(int, callbacks::Logs& logs) { finalize(logs); }

void ProgbarLogger::on_test_begin(callbacks::Logs&) {
  if (in_fit_) return;
  seen_ = 0;
  bar_ = std::make_unique<utils::Progbar>(params().steps,
                                          utils::ProgbarOptions{.verbose = params().verbose});
}

void ProgbarLogger::on_test_batch_end(std::int64_t batch, callbacks::Logs& logs) {
  if (!in_fit_) update(batch, logs);
}

void ProgbarLogger::on_test_end(callbacks::Logs& logs) {
  if (!in_fit_) finalize(logs);
}

}  // namespace keras::training
