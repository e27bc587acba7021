#include "training/progbar_logger.hpp"

#include <iostream>
#include <map>

namespace keras::training {

namespace {

// Keras' progress bar shows np.mean of a value of several numbers (a float32
// array, summed in float32).
double mean_of(const std::vector<double>& values) {
  float sum = 0.0f;
  for (double v : values) sum += static_cast<float>(v);
  return values.empty() ? 0.0 : static_cast<double>(sum / static_cast<float>(values.size()));
}

// The entries in Keras' sorted order, those of several numbers among them.
utils::Progbar::Values values_of(const callbacks::Logs& logs) {
  if (logs.arrays.empty()) return utils::Progbar::Values(logs.begin(), logs.end());
  std::map<std::string, double> all(logs.begin(), logs.end());
  for (const auto& [key, values] : logs.arrays) all[key] = mean_of(values);
  return utils::Progbar::Values(all.begin(), all.end());
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
